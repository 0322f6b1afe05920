import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Database, LocalDate, Relationship } from '../../db/schema.ts';

/**
 * One rule: may this carer hear about this child, for this purpose?
 *
 * Every feature that shows, sends or offers something about a child to a carer asks here (plain
 * function `mayHear` over typed values; `whoMayHear` for a set of pupils from the database;
 * `restrictionStops` when the question is part of a larger SQL query). The table:
 *
 * - The link must say "may receive information". Its default (defaultMayReceiveInformation) follows
 *   DfE guidance: anyone with parental responsibility or who has care of the child (lives with them).
 * - A restriction in force that stops information stops every purpose.
 * - One that stops contact also stops booking and every meeting email (invitation, agenda, summary):
 *   those bring the carer and the child's school life together. It does not stop newsletters,
 *   letters, urgent notices, praise, surveys, complaints, the portal or the profile: a parent under a
 *   contact-only order keeps the information parental responsibility gives them.
 * - Booking a parents' evening is stopped by any restriction in force, whatever it stops (the school
 *   decides, case by case, with the office booking for them if right).
 * - An individual message (about one child, to the family) is information like praise.
 * - Newsletters and letters go to the household: carers the child lives with and a carer who lives
 *   apart and asked for copies (when nobody is recorded as living with the child, the first contact
 *   hears: see firstContactsHear).
 */
export const HEAR_PURPOSES = [
  'portal',
  'newsletter',
  'letter',
  'urgent',
  'praise',
  'booking',
  'meeting_invitation',
  'meeting_agenda',
  'meeting_summary',
  'survey',
  'complaint',
  'profile',
  'individual',
] as const;
export type HearPurpose = (typeof HEAR_PURPOSES)[number];

/** What a restriction in force says the person may not do. */
export const RESTRICTION_STOPS = ['information', 'contact', 'collection'] as const;
export type RestrictionStop = (typeof RESTRICTION_STOPS)[number];

/** One restriction in force between this carer and this child (dates already checked). */
export type RestrictionInForce = { information: boolean; contact: boolean; collection: boolean };

export type HearLink = {
  relationship: Relationship;
  parentalResponsibility: boolean;
  livesWith: boolean;
  mayReceiveInformation: boolean;
  wantsCopies: boolean;
};

export type NotHearReason = 'restriction' | 'no_information' | 'lives_apart';
export type HearDecision = { may: true } | { may: false; reason: NotHearReason };

/** Which restrictions stop each purpose: 'any' is any restriction in force, whatever it stops. */
export const STOPPED_BY: Readonly<Record<HearPurpose, readonly RestrictionStop[] | 'any'>> = {
  portal: ['information'],
  newsletter: ['information'],
  letter: ['information'],
  urgent: ['information'],
  praise: ['information'],
  survey: ['information'],
  complaint: ['information'],
  profile: ['information'],
  individual: ['information'],
  booking: 'any',
  meeting_invitation: ['information', 'contact'],
  meeting_agenda: ['information', 'contact'],
  meeting_summary: ['information', 'contact'],
};

/** Purposes that go to the household only (lives with the child, or asked for copies). */
const HOUSEHOLD_ONLY: ReadonlySet<HearPurpose> = new Set<HearPurpose>(['newsletter', 'letter']);

/** DfE guidance: parental responsibility, or care of the child (lives with them: foster carers, grandparents raising a child). */
export function defaultMayReceiveInformation(link: { parentalResponsibility: boolean; livesWith: boolean }): boolean {
  return link.parentalResponsibility || link.livesWith;
}

export function restrictionStopsPurpose(r: RestrictionInForce, purpose: HearPurpose): boolean {
  const stoppedBy = STOPPED_BY[purpose];
  if (stoppedBy === 'any') return true;
  return stoppedBy.some((s) => r[s]);
}

export function mayHear(link: HearLink, restrictions: readonly RestrictionInForce[], purpose: HearPurpose): HearDecision {
  if (restrictions.some((r) => restrictionStopsPurpose(r, purpose))) return { may: false, reason: 'restriction' };
  if (!link.mayReceiveInformation) return { may: false, reason: 'no_information' };
  if (HOUSEHOLD_ONLY.has(purpose) && !link.livesWith && !link.wantsCopies) return { may: false, reason: 'lives_apart' };
  return { may: true };
}

/** A restriction in force on a date: not lifted, started, not ended. */
export function restrictionInForce(eb: ExpressionBuilder<Database, 'restrictions'>, today: LocalDate) {
  return eb.and([eb('restrictions.lifted_at', 'is', null), eb('restrictions.starts_on', '<=', today), eb.or([eb('restrictions.ends_on', 'is', null), eb('restrictions.ends_on', '>=', today)])]);
}

/**
 * The same rule inside SQL: a where-clause over `restrictions` that keeps a restriction in force
 * that stops this purpose. Use it as `not exists (… restrictions for this carer and child … where restrictionStops)`.
 */
export function restrictionStops(eb: ExpressionBuilder<Database, 'restrictions'>, purpose: HearPurpose, today: LocalDate) {
  const stoppedBy = STOPPED_BY[purpose];
  const inForce = restrictionInForce(eb, today);
  if (stoppedBy === 'any') return inForce;
  return eb.and([inForce, eb.or(stoppedBy.map((s) => eb(`restrictions.stops_${s}`, '=', 1)))]);
}

/**
 * Inside SQL, over `carer_pupils` rows: a restriction in force between that carer and child that stops
 * the purpose ('booking' is stopped by any restriction, whatever it stops: a staff view or export that
 * must say "restricted" asks for that).
 */
export function linkRestricted(eb: ExpressionBuilder<Database, 'carer_pupils'>, purpose: HearPurpose, today: LocalDate) {
  return eb.exists(
    eb
      .selectFrom('restrictions')
      .select(sql`1`.as('one'))
      .whereRef('restrictions.pupil_id', '=', 'carer_pupils.pupil_id')
      .whereRef('restrictions.carer_id', '=', 'carer_pupils.carer_id')
      .where((r) => restrictionStops(r, purpose, today)),
  );
}

/**
 * The whole rule inside SQL, over `carer_pupils` rows: the link may receive information and no
 * restriction in force between that carer and child stops the purpose. Not for newsletters and
 * letters, which also look at the household (use whoMayHear for those).
 */
export function carerMayHear(eb: ExpressionBuilder<Database, 'carer_pupils'>, purpose: Exclude<HearPurpose, 'newsletter' | 'letter'>, today: LocalDate) {
  return eb.and([eb('carer_pupils.may_receive_information', '=', 1), eb.not(linkRestricted(eb, purpose, today))]);
}

/** Every carer–child pair of a school that a restriction in force keeps from this purpose. */
export async function restrictedPairs(db: Kysely<Database>, q: { schoolId: string; purpose: HearPurpose; today: LocalDate }): Promise<{ carerId: string; pupilId: string }[]> {
  const rows = await db
    .selectFrom('restrictions')
    .select(['carer_id', 'pupil_id'])
    .where('school_id', '=', q.schoolId)
    .where((eb) => restrictionStops(eb, q.purpose, q.today))
    .execute();
  return rows.map((r) => ({ carerId: r.carer_id, pupilId: r.pupil_id }));
}

export type HearAnswer = { pupilId: string; carerId: string; contactPriority: number; link: HearLink; restrictions: RestrictionInForce[]; decision: HearDecision };

const CHUNK = 900; // ids per IN (...) list: under SQLite's bind limit with room to spare

/**
 * For a set of pupils in one school: every carer linked to each, and whether they may hear for this
 * purpose (with the reason when not). `carerIds` narrows it to these carers.
 */
export async function whoMayHear(
  db: Kysely<Database>,
  q: { schoolId: string; pupilIds: readonly string[]; purpose: HearPurpose; today: LocalDate; carerIds?: readonly string[] },
): Promise<HearAnswer[]> {
  const pupilIds = [...new Set(q.pupilIds)];
  if (pupilIds.length === 0 || (q.carerIds && q.carerIds.length === 0)) return [];
  const answers: HearAnswer[] = [];
  for (let i = 0; i < pupilIds.length; i += CHUNK) {
    const ids = pupilIds.slice(i, i + CHUNK);
    let links = db
      .selectFrom('carer_pupils')
      .select(['pupil_id', 'carer_id', 'relationship', 'parental_responsibility', 'lives_with_pupil', 'may_receive_information', 'wants_copies', 'contact_priority'])
      .where('school_id', '=', q.schoolId)
      .where('pupil_id', 'in', ids);
    let restrictions = db
      .selectFrom('restrictions')
      .select(['pupil_id', 'carer_id', 'stops_information', 'stops_contact', 'stops_collection'])
      .where('school_id', '=', q.schoolId)
      .where('pupil_id', 'in', ids)
      .where((eb) => restrictionInForce(eb, q.today));
    if (q.carerIds && q.carerIds.length <= CHUNK) {
      links = links.where('carer_id', 'in', [...q.carerIds]);
      restrictions = restrictions.where('carer_id', 'in', [...q.carerIds]);
    }
    const inForce = new Map<string, RestrictionInForce[]>();
    for (const r of await restrictions.execute()) {
      const key = `${r.pupil_id}:${r.carer_id}`;
      inForce.set(key, [...(inForce.get(key) ?? []), { information: r.stops_information === 1, contact: r.stops_contact === 1, collection: r.stops_collection === 1 }]);
    }
    const wanted = q.carerIds ? new Set(q.carerIds) : null;
    for (const l of await links.execute()) {
      if (wanted && !wanted.has(l.carer_id)) continue;
      const link: HearLink = {
        relationship: l.relationship,
        parentalResponsibility: l.parental_responsibility === 1,
        livesWith: l.lives_with_pupil === 1,
        mayReceiveInformation: l.may_receive_information === 1,
        wantsCopies: l.wants_copies === 1,
      };
      const restrictions = inForce.get(`${l.pupil_id}:${l.carer_id}`) ?? [];
      answers.push({ pupilId: l.pupil_id, carerId: l.carer_id, contactPriority: l.contact_priority, link, restrictions, decision: mayHear(link, restrictions, q.purpose) });
    }
  }
  return answers;
}

/**
 * Household purposes when nobody who may hear is recorded as living with the child: the first
 * contact(s) by priority hear all the same, so no child's family is left without the letter.
 * Takes one pupil's answers; returns them with those carers allowed.
 */
export function firstContactsHear<T extends Pick<HearAnswer, 'contactPriority' | 'link' | 'decision'>>(answers: T[]): T[] {
  const livesApart = (a: T) => !a.decision.may && a.decision.reason === 'lives_apart';
  const allowedOrApart = answers.filter((a) => a.decision.may || livesApart(a));
  if (allowedOrApart.some((a) => a.decision.may && a.link.livesWith)) return answers;
  const first = Math.min(...allowedOrApart.map((a) => a.contactPriority));
  return answers.map((a) => (livesApart(a) && a.contactPriority === first ? { ...a, decision: { may: true } } : a));
}

/** Pupil ids (of these) the carer may hear about for the purpose. */
export async function pupilsCarerMayHearAbout(
  db: Kysely<Database>,
  q: { schoolId: string; carerId: string; pupilIds: readonly string[]; purpose: HearPurpose; today: LocalDate },
): Promise<Set<string>> {
  const answers = await whoMayHear(db, { schoolId: q.schoolId, pupilIds: q.pupilIds, purpose: q.purpose, today: q.today, carerIds: [q.carerId] });
  return new Set(answers.filter((a) => a.decision.may).map((a) => a.pupilId));
}

/** A restriction in force on a carer, about one child: its kind and what it stops (never the details written about it). */
export type RestrictionOnCarer = { pupilId: string; pupilName: string; kind: 'court_order' | 'agreed_arrangement'; stops: RestrictionInForce; startsOn: LocalDate; endsOn: LocalDate | null };

/**
 * The restrictions in force today on one carer, about any child of the school: for staff deciding
 * something about the carer as a person (approving them as a volunteer), not about one child.
 */
export async function restrictionsOnCarer(db: Kysely<Database>, q: { schoolId: string; carerId: string; today: LocalDate }): Promise<RestrictionOnCarer[]> {
  const rows = await db
    .selectFrom('restrictions')
    .innerJoin('pupils', (j) => j.onRef('pupils.id', '=', 'restrictions.pupil_id').onRef('pupils.school_id', '=', 'restrictions.school_id'))
    .select([
      'restrictions.pupil_id',
      'restrictions.kind',
      'restrictions.stops_information',
      'restrictions.stops_contact',
      'restrictions.stops_collection',
      'restrictions.starts_on',
      'restrictions.ends_on',
    ])
    .select(['pupils.given_name', 'pupils.preferred_name', 'pupils.family_name'])
    .where('restrictions.school_id', '=', q.schoolId)
    .where('restrictions.carer_id', '=', q.carerId)
    .where((eb) => restrictionInForce(eb, q.today))
    .orderBy('restrictions.starts_on')
    .execute();
  return rows.map((r) => ({
    pupilId: r.pupil_id,
    pupilName: `${r.preferred_name || r.given_name} ${r.family_name}`,
    kind: r.kind,
    stops: { information: r.stops_information === 1, contact: r.stops_contact === 1, collection: r.stops_collection === 1 },
    startsOn: r.starts_on,
    endsOn: r.ends_on,
  }));
}
