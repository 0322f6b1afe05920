import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { insertInChunks } from '../../db/insert-in-chunks.ts';
import { refreshStatistics } from '../../db/statistics.ts';
import { audit, changedFields, type Actor } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import type { FieldErrors, PageErrors } from '../../platform/web/forms.ts';
import type { Session } from './slots.ts';
import { checkEvening, diffSlots, plannedSlots, publishProblems, sameSessions, type EveningInput, type EveningPlan } from './setup.ts';
import { getEvening, setupChoices, type EveningDetail } from './setup-queries.ts';

/**
 * Parents' evenings as set up by a leader: create, change (slots rebuilt while nobody has booked),
 * rooms and video links, publish. Every change is audited in its own transaction. createEvening,
 * setPlaces and publishEvening take typed input, so the demo data and the benchmark use them too.
 * What these pages read is in setup-queries.ts.
 */

export type Result<T = object> = ({ ok: true } & T) | { ok: false; errors: PageErrors };

async function timeZoneOf(db: Db, schoolId: string): Promise<string> {
  const school = await db.selectFrom('schools').select('time_zone').where('id', '=', schoolId).executeTakeFirstOrThrow();
  return school.time_zone;
}

function sessionRow(schoolId: string, eveningId: string, s: Session) {
  return { school_id: schoolId, evening_id: eveningId, date: s.date, starts: s.starts, ends: s.ends, slot_minutes: s.slotMinutes, breaks_json: JSON.stringify(s.breaks) };
}

/** The evening's own columns as its plan sets them, alike when it is set up and when it is changed. */
function eveningColumns(plan: EveningPlan) {
  return {
    name: plan.name,
    modes: plan.modes.join(','),
    travel_gap_minutes: plan.travelGapMinutes,
    separated_carers: plan.separatedCarers,
    booking_opens_at: plan.bookingOpensAt,
    booking_closes_at: plan.bookingClosesAt,
  };
}

/** What the audit keeps of a new evening: its columns, its sessions, and how many classes and teachers (keys in the order the audit has always stored them). */
function summary(plan: EveningPlan) {
  const { name, ...columns } = eveningColumns(plan);
  return { name, sessions: summaryOfSessions(plan.sessions), classes: plan.classIds.length, teachers: plan.teacherIds.length, ...columns };
}

/** Set up a new evening: its sessions, classes, teachers and every teacher's slots. */
export async function createEvening(db: Db, actor: Actor, schoolId: string, input: EveningInput, now: Date): Promise<Result<{ id: string }>> {
  const timeZone = await timeZoneOf(db, schoolId);
  const checked = checkEvening(input, await setupChoices(db, schoolId), timeZone);
  if (!checked.ok) return checked;
  const plan = checked.value;
  const id = newId();
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('evenings')
      .values({
        id,
        school_id: schoolId,
        ...eveningColumns(plan),
        published_at: null,
        created_by: actor.kind === 'system' ? await anyHead(trx, schoolId) : actor.id,
        created_at: at,
        updated_at: at,
      })
      .execute();
    const sessionIds = plan.sessions.map(() => newId());
    await trx
      .insertInto('evening_sessions')
      .values(plan.sessions.map((s, i) => ({ id: sessionIds[i]!, ...sessionRow(schoolId, id, s) })))
      .execute();
    await trx
      .insertInto('evening_classes')
      .values(plan.classIds.map((classId) => ({ evening_id: id, class_id: classId, school_id: schoolId })))
      .execute();
    await trx
      .insertInto('evening_teachers')
      .values(plan.teacherIds.map((staffId) => ({ evening_id: id, staff_id: staffId, school_id: schoolId, room: null, video_link: null })))
      .execute();
    await insertSlots(trx, schoolId, id, sessionIds, plannedSlots(plan.sessions, plan.teacherIds, timeZone));
    await audit(trx, actor, { schoolId, action: 'evening.created', entity: 'evening', entityId: id, after: summary(plan) }, now);
  });
  return { ok: true, id };
}

/** The system (demo loader) sets evenings up in the head's name: created_by names a person. */
async function anyHead(trx: Transaction<Database>, schoolId: string): Promise<string> {
  const head = await trx.selectFrom('staff_roles').select('staff_id').where('school_id', '=', schoolId).where('role', 'in', ['head', 'senior_leader', 'office']).orderBy('role').executeTakeFirst();
  if (!head) throw new Error('The school has no head, senior leader or office to set up an evening');
  return head.staff_id;
}

async function insertSlots(trx: Transaction<Database>, schoolId: string, eveningId: string, sessionIds: string[], slots: ReturnType<typeof plannedSlots>) {
  await insertInChunks(
    trx,
    'evening_slots',
    slots.map((s) => ({
      id: newId(),
      school_id: schoolId,
      evening_id: eveningId,
      session_id: sessionIds[s.sessionIndex]!,
      staff_id: s.staffId,
      starts_at: s.startsAt,
      ends_at: s.endsAt,
      unavailable: 0 as const,
    })),
  );
}

function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

class Refused extends Error {
  constructor(readonly errors: FieldErrors) {
    super('refused');
  }
}

/**
 * Change an evening. While nobody holds or has booked an appointment, its sessions may change and
 * its slots are rebuilt (a slot that stays keeps its unavailable mark). Once anyone has, the
 * sessions, how separated parents book, and the teachers with appointments stay as they are.
 */
export async function updateEvening(db: Db, actor: Actor, schoolId: string, eveningId: string, input: EveningInput, now: Date): Promise<Result | 'missing'> {
  const timeZone = await timeZoneOf(db, schoolId);
  const current = await getEvening(db, schoolId, eveningId);
  if (!current) return 'missing';
  const choices = await setupChoices(db, schoolId);
  const checked = checkEvening(input, choices, timeZone);
  if (!checked.ok) return checked;
  const plan = checked.value;
  try {
    await db.transaction().execute(async (trx) => {
      const live = await trx
        .selectFrom('evening_bookings')
        .select(['staff_id'])
        .distinct()
        .where('evening_id', '=', eveningId)
        .where('school_id', '=', schoolId)
        .where('cancelled_at', 'is', null)
        .execute();
      if (live.length > 0) {
        const errors: FieldErrors = {};
        if (!sameSessions(current.sessions, plan.sessions)) {
          errors.s1_date = 'Families have booked appointments at this evening, so its dates and times cannot change: keep them as they are, or cancel the appointments first';
        }
        const leaving = live.filter((b) => !plan.teacherIds.includes(b.staff_id)).map((b) => choices.staffNames.get(b.staff_id) ?? 'A teacher');
        if (leaving.length > 0)
          errors.teacher_ids = `${leaving.join(', ')} ${leaving.length === 1 ? 'has' : 'have'} appointments booked, so must stay in the evening: keep their classes, or cancel the appointments first`;
        if (plan.separatedCarers !== current.evening.separated_carers) {
          errors.separated_carers = 'Families have booked already, so how parents who live apart book cannot change now';
        }
        if (Object.keys(errors).length > 0) throw new Refused(errors);
      }
      await rebuild(trx, schoolId, eveningId, current, plan, timeZone, choices.staffNames);
      const after = eveningColumns(plan);
      await trx
        .updateTable('evenings')
        .set({ ...after, updated_at: now.toISOString() })
        .where('id', '=', eveningId)
        .where('school_id', '=', schoolId)
        .execute();
      const changes = changedFields(current.evening as unknown as Record<string, unknown>, after);
      const sessionsChanged = !sameSessions(current.sessions, plan.sessions);
      const before = { ...changes.before, ...(sessionsChanged ? { sessions: summaryOfSessions(current.sessions) } : {}), teachers: current.teachers.length, classes: current.classes.length };
      const afterAudit = { ...changes.after, ...(sessionsChanged ? { sessions: summaryOfSessions(plan.sessions) } : {}), teachers: plan.teacherIds.length, classes: plan.classIds.length };
      await audit(trx, actor, { schoolId, action: 'evening.changed', entity: 'evening', entityId: eveningId, before, after: afterAudit }, now);
    });
  } catch (error) {
    if (error instanceof Refused) return { ok: false, errors: error.errors };
    // A family booked one of the times being removed while the change was saved.
    if (isForeignKeyViolation(error))
      return { ok: false, errors: { s1_date: 'A family booked a time just now, so the dates and times cannot change: keep them as they are, or cancel the appointment first' } };
    throw error;
  }
  return { ok: true };
}

function summaryOfSessions(sessions: Session[]): string {
  return sessions.map((s) => `${s.date} ${s.starts}–${s.ends} (${s.slotMinutes} min${s.breaks.map((b) => `, break ${b.starts}–${b.ends}`).join('')})`).join('; ');
}

/** Sessions, classes, teachers and slots brought in line with the plan. */
async function rebuild(trx: Transaction<Database>, schoolId: string, eveningId: string, current: EveningDetail, plan: EveningPlan, timeZone: string, names: Map<string, string>) {
  // Sessions change in place, by time order; extra ones go once no slot points at them.
  const sessionIds: string[] = [];
  for (const [i, s] of plan.sessions.entries()) {
    const existing = current.sessions[i];
    if (existing) {
      await trx
        .updateTable('evening_sessions')
        .set(sessionRow(schoolId, eveningId, s))
        .where('id', '=', existing.id)
        .execute();
      sessionIds.push(existing.id);
    } else {
      const id = newId();
      await trx
        .insertInto('evening_sessions')
        .values({ id, ...sessionRow(schoolId, eveningId, s) })
        .execute();
      sessionIds.push(id);
    }
  }

  await trx.deleteFrom('evening_classes').where('evening_id', '=', eveningId).where('school_id', '=', schoolId).execute();
  await trx
    .insertInto('evening_classes')
    .values(plan.classIds.map((classId) => ({ evening_id: eveningId, class_id: classId, school_id: schoolId })))
    .execute();

  const had = new Set(current.teachers.map((t) => t.staffId));
  const leaving = [...had].filter((id) => !plan.teacherIds.includes(id));
  if (leaving.length > 0) await trx.deleteFrom('evening_teachers').where('evening_id', '=', eveningId).where('staff_id', 'in', leaving).execute();
  const joining = plan.teacherIds.filter((id) => !had.has(id));
  if (joining.length > 0) {
    await trx
      .insertInto('evening_teachers')
      .values(joining.map((staffId) => ({ evening_id: eveningId, staff_id: staffId, school_id: schoolId, room: null, video_link: null })))
      .execute();
  }

  const existing = await trx
    .selectFrom('evening_slots')
    .select(['id', 'staff_id', 'starts_at', 'ends_at', 'session_id'])
    .where('evening_id', '=', eveningId)
    .where('school_id', '=', schoolId)
    .execute();
  const diff = diffSlots(
    existing.map((s) => ({ id: s.id, staffId: s.staff_id, startsAt: s.starts_at, endsAt: s.ends_at })),
    plannedSlots(plan.sessions, plan.teacherIds, timeZone),
  );
  if (diff.remove.length > 0) {
    // Cancelled appointments still point at their slot (the record outlives the booking).
    const pointedAt = await trx.selectFrom('evening_bookings').select(['slot_id', 'staff_id']).distinct().where('evening_id', '=', eveningId).where('slot_id', 'in', diff.remove).execute();
    if (pointedAt.length > 0) {
      const teachers = [...new Set(pointedAt.filter((p) => !plan.teacherIds.includes(p.staff_id)).map((p) => names.get(p.staff_id) ?? 'A teacher'))];
      throw new Refused(
        teachers.length > 0
          ? { teacher_ids: `${teachers.join(', ')} had appointments (since cancelled) at this evening, so must stay in it` }
          : { s1_date: 'Some of these times had appointments that were later cancelled, so they cannot be removed: keep those times, or set up a new evening' },
      );
    }
    for (let i = 0; i < diff.remove.length; i += 500)
      await trx
        .deleteFrom('evening_slots')
        .where('id', 'in', diff.remove.slice(i, i + 500))
        .execute();
  }
  const sessionOf = new Map(existing.map((s) => [s.id, s.session_id]));
  for (const keep of diff.keep) {
    const sessionId = sessionIds[keep.sessionIndex]!;
    if (sessionOf.get(keep.id) !== sessionId) await trx.updateTable('evening_slots').set({ session_id: sessionId }).where('id', '=', keep.id).execute();
  }
  await insertSlots(trx, schoolId, eveningId, sessionIds, diff.add);
  const extra = current.sessions.slice(plan.sessions.length).map((s) => s.id);
  if (extra.length > 0) await trx.deleteFrom('evening_sessions').where('id', 'in', extra).execute();
}

/** Each teacher's room and video link (the second step of setting up). */
export async function setPlaces(db: Db, actor: Actor, schoolId: string, eveningId: string, places: { staffId: string; room: string | null; videoLink: string | null }[], now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const p of places) {
      await trx
        .updateTable('evening_teachers')
        .set({ room: p.room, video_link: p.videoLink })
        .where('evening_id', '=', eveningId)
        .where('staff_id', '=', p.staffId)
        .where('school_id', '=', schoolId)
        .execute();
    }
    await trx.updateTable('evenings').set({ updated_at: now.toISOString() }).where('id', '=', eveningId).where('school_id', '=', schoolId).execute();
    await audit(
      trx,
      actor,
      { schoolId, action: 'evening.rooms_set', entity: 'evening', entityId: eveningId, after: { places: places.map((p) => ({ staff_id: p.staffId, room: p.room, video_link: p.videoLink })) } },
      now,
    );
  });
}

/** Families see the evening once it is published: every teacher needs a room (in person) and a link (video). */
export async function publishEvening(db: Db, actor: Actor, schoolId: string, eveningId: string, now: Date): Promise<Result<{ already: boolean }> | 'missing'> {
  const detail = await getEvening(db, schoolId, eveningId);
  if (!detail) return 'missing';
  if (detail.evening.published_at) return { ok: true, already: true };
  const problems = publishProblems(detail.modes, detail.teachers);
  if (Object.keys(problems).length > 0) return { ok: false, errors: problems };
  const published = await db.transaction().execute(async (trx) => {
    const at = now.toISOString();
    const r = await trx
      .updateTable('evenings')
      .set({ published_at: at, updated_at: at })
      .where('id', '=', eveningId)
      .where('school_id', '=', schoolId)
      .where('published_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return { ok: true as const, already: true };
    await audit(trx, actor, { schoolId, action: 'evening.published', entity: 'evening', entityId: eveningId, after: { published_at: at } }, now);
    return { ok: true as const, already: false };
  });
  // The rush comes next: PostgreSQL plans its reads from statistics that count the new slots (src/db/statistics.ts).
  if (!published.already) await refreshStatistics(db, EVENING_TABLES).catch((error) => console.warn('evening statistics:', error));
  return published;
}
const EVENING_TABLES = ['evening_slots', 'evening_sessions', 'evening_teachers', 'evening_classes', 'evening_bookings', 'evening_attendees'] as const;
