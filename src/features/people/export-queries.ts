import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { User } from '../../platform/access/roles.ts';
import { linkRestricted } from '../../platform/access/hear.ts';
import { pupilsVisibleTo, type ScopeContext } from '../../platform/access/scope.ts';
import { carersMatching, pupilsMatching, type PupilFilter } from './queries.ts';

type Db = Kysely<Database>;

/** Every pupil the pupils page would list for this filter, on all its pages, for the CSV download. */
export async function pupilsForExport(db: Db, user: User, scope: ScopeContext, filter: Omit<PupilFilter, 'page'>) {
  return pupilsMatching(db, user, scope, filter)
    .select([
      'pupils.upn',
      'pupils.given_name',
      'pupils.family_name',
      'pupils.preferred_name',
      'pupils.date_of_birth',
      'pupils.year_group',
      'classes.name as class_name',
      'pupils.send_status',
      'pupils.eal',
      'pupils.home_language',
    ])
    .orderBy('pupils.family_name')
    .orderBy('pupils.given_name')
    .orderBy('pupils.id')
    .execute();
}

/**
 * The carers the carers page would list for this search, each with their links to the pupils this
 * user may see (a teacher: their classes' pupils only), and whether a restriction is in force on the
 * link. A carer with no link the user may see is listed once, without a pupil.
 */
export async function carersWithLinksForExport(db: Db, user: User, scope: ScopeContext, q: string | undefined) {
  const carers = await carersMatching(db, user, scope, { q })
    .select([
      'carers.id',
      'carers.title',
      'carers.given_name',
      'carers.family_name',
      'carers.email',
      'carers.mobile',
      'carers.address_line1',
      'carers.address_line2',
      'carers.town',
      'carers.postcode',
      'carers.preferred_language',
      'carers.interpreter_needed',
      'carers.channel_email',
      'carers.channel_sms',
      'carers.channel_app',
      'carers.paper_copies',
    ])
    .orderBy('carers.family_name')
    .orderBy('carers.given_name')
    .orderBy('carers.id')
    .execute();
  const links = await db
    .selectFrom('carer_pupils')
    .innerJoin('pupils', 'pupils.id', 'carer_pupils.pupil_id')
    .leftJoin('classes', 'classes.id', 'pupils.class_id')
    .select([
      'carer_pupils.carer_id',
      'carer_pupils.relationship',
      'carer_pupils.parental_responsibility',
      'carer_pupils.lives_with_pupil',
      'carer_pupils.contact_priority',
      'carer_pupils.may_receive_information',
      'carer_pupils.wants_copies',
      'pupils.upn',
      'pupils.given_name',
      'pupils.preferred_name',
      'pupils.family_name',
      'classes.name as class_name',
    ])
    // Any restriction in force, whatever it stops (the 'booking' purpose's rule): the export says so.
    .select((eb) => linkRestricted(eb, 'booking', scope.today).as('restricted'))
    .where('carer_pupils.school_id', '=', user.schoolId)
    .where('pupils.archived_at', 'is', null)
    .where(pupilsVisibleTo(user, scope.today, scope.teachersSeeAllPupils))
    .orderBy('pupils.family_name')
    .orderBy('pupils.given_name')
    .execute();
  const linksOf = new Map<string, typeof links>();
  for (const link of links) linksOf.set(link.carer_id, [...(linksOf.get(link.carer_id) ?? []), link]);
  type Link = (typeof links)[number];
  return carers.flatMap((carer) => {
    const own: (Link | null)[] = linksOf.get(carer.id) ?? [];
    return (own.length > 0 ? own : [null]).map((link) => ({ carer, link }));
  });
}
