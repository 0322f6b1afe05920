import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Database, LocalDate } from '../../db/schema.ts';
import { pupilReach, type User } from './roles.ts';
import { carerMayHear } from './hear.ts';

export { restrictionInForce } from './hear.ts';

/**
 * Relationship scopes: which pupils (and so which carers) a user may see.
 * Each helper answers for one school; every query is scoped by school_id.
 */

type Eb = ExpressionBuilder<Database, 'pupils'>;

/**
 * A where-clause over `pupils` that keeps only the pupils this user may see.
 * - carers: those they may hear about for the purpose 'portal' (see hear.ts): linked, "may receive
 *   information", and no restriction in force that stops it;
 * - staff: whole school, own classes, or nothing, by role (see pupilReach).
 */
export function pupilsVisibleTo(user: User, today: LocalDate, teachersSeeAllPupils: boolean) {
  return (eb: Eb) => {
    const sameSchool = eb('pupils.school_id', '=', user.schoolId);
    if (user.kind === 'carer') {
      return eb.and([
        sameSchool,
        eb.exists(
          eb
            .selectFrom('carer_pupils')
            .select(sql`1`.as('one'))
            .whereRef('carer_pupils.pupil_id', '=', 'pupils.id')
            .where('carer_pupils.carer_id', '=', user.id)
            .where((cp) => carerMayHear(cp, 'portal', today)),
        ),
      ]);
    }
    const reach = pupilReach(user, teachersSeeAllPupils);
    if (reach === 'school') return sameSchool;
    if (reach === 'none') return eb.val(false);
    return eb.and([sameSchool, eb('pupils.class_id', 'in', eb.selectFrom('class_teachers').select('class_teachers.class_id').where('class_teachers.staff_id', '=', user.id))]);
  };
}

export type ScopeContext = { today: LocalDate; teachersSeeAllPupils: boolean };

export async function canSeePupil(db: Kysely<Database>, user: User, pupilId: string, ctx: ScopeContext): Promise<boolean> {
  const row = await db
    .selectFrom('pupils')
    .select('pupils.id')
    .where('pupils.id', '=', pupilId)
    .where(pupilsVisibleTo(user, ctx.today, ctx.teachersSeeAllPupils))
    .executeTakeFirst();
  return !!row;
}

/**
 * Staff may see a carer when they may see at least one of the carer's pupils
 * (or, for whole-school roles, any carer of their school). Carers see no other carer's record.
 */
export async function canSeeCarer(db: Kysely<Database>, user: User, carerId: string, ctx: ScopeContext): Promise<boolean> {
  if (user.kind === 'carer') return false;
  const reach = pupilReach(user, ctx.teachersSeeAllPupils);
  if (reach === 'none') return false;
  if (reach === 'school') {
    const row = await db.selectFrom('carers').select('id').where('id', '=', carerId).where('school_id', '=', user.schoolId).executeTakeFirst();
    return !!row;
  }
  const row = await db
    .selectFrom('carer_pupils')
    .innerJoin('pupils', 'pupils.id', 'carer_pupils.pupil_id')
    .select('carer_pupils.id')
    .where('carer_pupils.carer_id', '=', carerId)
    .where(pupilsVisibleTo(user, ctx.today, ctx.teachersSeeAllPupils))
    .executeTakeFirst();
  return !!row;
}
