import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Db = Kysely<Database>;

/** Restrictions an import recorded that still wait for the head or DSL to say what the order says (not lifted), oldest first. */
export async function restrictionsToComplete(db: Db, schoolId: string) {
  return db
    .selectFrom('restrictions')
    .innerJoin('pupils', 'pupils.id', 'restrictions.pupil_id')
    .innerJoin('carers', 'carers.id', 'restrictions.carer_id')
    .leftJoin('classes', 'classes.id', 'pupils.class_id')
    .select([
      'restrictions.id',
      'restrictions.pupil_id',
      'restrictions.created_at',
      'pupils.given_name as pupil_given',
      'pupils.family_name as pupil_family',
      'classes.name as class_name',
      'carers.given_name as carer_given',
      'carers.family_name as carer_family',
    ])
    .where('restrictions.school_id', '=', schoolId)
    .where('restrictions.details_pending', '=', 1)
    .where('restrictions.lifted_at', 'is', null)
    .orderBy('restrictions.created_at')
    .orderBy('restrictions.id')
    .execute();
}

/** One restriction on this pupil in this school, with the name of the person it is about. */
export async function restrictionOf(db: Db, schoolId: string, pupilId: string, restrictionId: string) {
  return db
    .selectFrom('restrictions')
    .innerJoin('carers', 'carers.id', 'restrictions.carer_id')
    .selectAll('restrictions')
    .select(['carers.given_name', 'carers.family_name'])
    .where('restrictions.id', '=', restrictionId)
    .where('restrictions.pupil_id', '=', pupilId)
    .where('restrictions.school_id', '=', schoolId)
    .executeTakeFirst();
}
