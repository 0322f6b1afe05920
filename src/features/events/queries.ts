import type { Db } from '../../db/database.ts';
import type { EventTable } from '../../db/schema.ts';
import { Audience, childFactsOf } from '../messages/index.ts';
import type { Attendance, FamilyFacts } from './event.ts';

/** Kysely queries for events; every one scoped by school. */
export type SchoolEvent = EventTable & { audience: Audience };

function withAudience(e: EventTable): SchoolEvent {
  return { ...e, audience: Audience.parse(JSON.parse(e.audience_json)) };
}

export async function eventById(db: Db, schoolId: string, id: string): Promise<SchoolEvent | undefined> {
  const e = await db.selectFrom('events').selectAll().where('school_id', '=', schoolId).where('id', '=', id).executeTakeFirst();
  return e ? withAudience(e) : undefined;
}

export async function sessionsOf(db: Db, schoolId: string, eventIds: string[]) {
  if (eventIds.length === 0) return [];
  return db.selectFrom('event_sessions').selectAll().where('school_id', '=', schoolId).where('event_id', 'in', eventIds).orderBy('starts_at').execute();
}

export async function sessionById(db: Db, schoolId: string, id: string) {
  return db.selectFrom('event_sessions').selectAll().where('school_id', '=', schoolId).where('id', '=', id).executeTakeFirst();
}

/** Every event of the school, newest first, with its sessions and how many were asked and said yes. */
export async function eventsOf(db: Db, schoolId: string) {
  const events = await db.selectFrom('events').selectAll().where('school_id', '=', schoolId).orderBy('created_at', 'desc').execute();
  const ids = events.map((e) => e.id);
  const [sessions, invited, yes] = await Promise.all([
    sessionsOf(db, schoolId, ids),
    ids.length
      ? db
          .selectFrom('event_invitees')
          .select(['event_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where('school_id', '=', schoolId)
          .groupBy('event_id')
          .execute()
      : [],
    ids.length
      ? db
          .selectFrom('event_rsvps')
          .select(['event_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where('school_id', '=', schoolId)
          .where('answer', '=', 'yes')
          .groupBy('event_id')
          .execute()
      : [],
  ]);
  const count = (rows: { event_id: string; n: number | string | bigint }[]) => new Map(rows.map((r) => [r.event_id, Number(r.n)]));
  const [invitedBy, yesBy] = [count(invited), count(yes)];
  return events.map((e) => ({ ...e, sessions: sessions.filter((s) => s.event_id === e.id), invited: invitedBy.get(e.id) ?? 0, yes: yesBy.get(e.id) ?? 0 }));
}

/** A school's invitations, each with the carer's answer (nulls while they have not answered): both lists below start here. */
function invitationsWithAnswers(db: Db, schoolId: string) {
  return db
    .selectFrom('event_invitees')
    .leftJoin('event_rsvps', (j) => j.onRef('event_rsvps.event_id', '=', 'event_invitees.event_id').onRef('event_rsvps.carer_id', '=', 'event_invitees.carer_id'))
    .where('event_invitees.school_id', '=', schoolId);
}

/** Who an event was sent to, with their answer and their children in its audience. */
export async function inviteesOf(db: Db, schoolId: string, eventId: string) {
  const rows = await invitationsWithAnswers(db, schoolId)
    .innerJoin('carers', (j) => j.onRef('carers.id', '=', 'event_invitees.carer_id').onRef('carers.school_id', '=', 'event_invitees.school_id'))
    .select([
      'event_invitees.carer_id as carerId',
      'event_invitees.pupil_ids_json',
      'carers.given_name',
      'carers.family_name',
      'carers.preferred_language as language',
      'carers.email',
      'carers.mobile',
      'event_rsvps.answer',
      'event_rsvps.session_id as sessionId',
      'event_rsvps.attending',
    ])
    .where('event_invitees.event_id', '=', eventId)
    .orderBy('carers.family_name')
    .orderBy('carers.given_name')
    .execute();
  return rows.map((r) => ({ ...r, name: `${r.given_name} ${r.family_name}`, pupilIds: JSON.parse(r.pupil_ids_json) as string[] }));
}
export type Invitee = Awaited<ReturnType<typeof inviteesOf>>[number];

/** The register of a session: carers ticked as come (attended = 1). */
export async function registerOf(db: Db, schoolId: string, sessionId: string) {
  return db.selectFrom('event_attendance').select(['carer_id', 'attended']).where('school_id', '=', schoolId).where('session_id', '=', sessionId).execute();
}

/** Every attendance at this school, to tell who came for the first time (event.ts firstTimes). */
export async function allAttendance(db: Db, schoolId: string): Promise<Attendance[]> {
  const rows = await db
    .selectFrom('event_attendance')
    .innerJoin('event_sessions', (j) => j.onRef('event_sessions.id', '=', 'event_attendance.session_id').onRef('event_sessions.school_id', '=', 'event_attendance.school_id'))
    .select(['event_attendance.carer_id', 'event_attendance.session_id', 'event_sessions.starts_at'])
    .where('event_attendance.school_id', '=', schoolId)
    .where('event_attendance.attended', '=', 1)
    .execute();
  return rows.map((r) => ({ carerId: r.carer_id, sessionId: r.session_id, startsAt: r.starts_at }));
}

/** The facts the breakdown groups families by: each invitee's language and their children in the audience. */
export async function familyFacts(db: Db, schoolId: string, invitees: readonly Pick<Invitee, 'carerId' | 'language' | 'pupilIds'>[]): Promise<FamilyFacts[]> {
  const children = await childFactsOf(
    db,
    schoolId,
    invitees.flatMap((i) => i.pupilIds),
  );
  return invitees.map((i) => ({ carerId: i.carerId, language: i.language, children: i.pupilIds.flatMap((id) => children.get(id) ?? []) }));
}

/** How many events that have happened each carer was asked to, for "who never comes?". */
export async function invitationsToPastEvents(db: Db, schoolId: string, now: string) {
  const rows = await db
    .selectFrom('event_invitees')
    .innerJoin('events', (j) => j.onRef('events.id', '=', 'event_invitees.event_id').onRef('events.school_id', '=', 'event_invitees.school_id'))
    .select(['event_invitees.carer_id', 'event_invitees.event_id'])
    .where('event_invitees.school_id', '=', schoolId)
    .where('events.status', '=', 'published')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('event_sessions')
          .select('event_sessions.id')
          .whereRef('event_sessions.event_id', '=', 'events.id')
          .whereRef('event_sessions.school_id', '=', 'events.school_id')
          .where('event_sessions.starts_at', '<', now),
      ),
    )
    .execute();
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.carer_id, (counts.get(r.carer_id) ?? 0) + 1);
  return counts;
}

export async function carerNames(db: Db, schoolId: string, ids: string[]) {
  const names = new Map<string, { name: string; language: string }>();
  for (let i = 0; i < ids.length; i += 900) {
    const rows = await db
      .selectFrom('carers')
      .select(['id', 'given_name', 'family_name', 'preferred_language'])
      .where('school_id', '=', schoolId)
      .where('id', 'in', ids.slice(i, i + 900))
      .execute();
    for (const c of rows) names.set(c.id, { name: `${c.given_name} ${c.family_name}`, language: c.preferred_language });
  }
  return names;
}

/** The published events a carer was sent, with their answer. */
export async function invitationsOf(db: Db, schoolId: string, carerId: string) {
  const rows = await invitationsWithAnswers(db, schoolId)
    .innerJoin('events', (j) => j.onRef('events.id', '=', 'event_invitees.event_id').onRef('events.school_id', '=', 'event_invitees.school_id'))
    .select([
      'events.id',
      'events.kind',
      'events.title',
      'events.description',
      'events.place',
      'events.status',
      'event_invitees.pupil_ids_json',
      'event_rsvps.answer',
      'event_rsvps.session_id',
      'event_rsvps.attending',
    ])
    .where('event_invitees.carer_id', '=', carerId)
    .where('events.status', 'in', ['published', 'cancelled'])
    .execute();
  const sessions = await sessionsOf(
    db,
    schoolId,
    rows.map((r) => r.id),
  );
  return rows
    .map((r) => ({ ...r, pupilIds: JSON.parse(r.pupil_ids_json) as string[], sessions: sessions.filter((s) => s.event_id === r.id) }))
    .sort((a, b) => (a.sessions[0]?.starts_at ?? '').localeCompare(b.sessions[0]?.starts_at ?? ''));
}
export type Invitation = Awaited<ReturnType<typeof invitationsOf>>[number];
