import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { alertStaff, staffWithRoles } from '../../platform/alerts/alerts.ts';
import { audit } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { schoolCalendar } from '../../platform/calendar/calendar-queries.ts';
import { addSchoolDays } from '../../platform/calendar/school-days.ts';
import { schoolLocalInstant } from '../../platform/calendar/time.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { childFor } from './carer-words.ts';
import { emailCarers, emailStaff, familyToTell, mailContext, type MailContext } from './meetings-notify.ts';
import { agendaOf, meetingStaffOf, prepHelpersFor, pupilOf } from './meetings-queries.ts';
import { canAddToAgenda } from './meetings-rules.ts';
import type { SendOptions, StaffActor } from './meetings-schedule.ts';
import type { CarerActor } from './requests.ts';

type Db = Kysely<Database>;

/**
 * Before the meeting: the agenda (staff items and the family's own questions), a familiar member
 * of staff to help the family prepare, and the family liaison officer invited.
 */

export type AgendaResult = { ok: true; id: string } | { ok: false; problem: string };

/**
 * Add an agenda item (staff) or a question (the family). Staff may email the family the agenda
 * at once; a family's question is mentioned to the lead by email (without its words).
 */
export async function addAgendaItem(db: Db, actor: StaffActor | CarerActor, meetingId: string, text: string, opts: SendOptions & { tellFamily?: boolean }): Promise<AgendaResult> {
  const meeting = await db.selectFrom('meetings').select(['id', 'status', 'pupil_id']).where('id', '=', meetingId).where('school_id', '=', actor.schoolId).executeTakeFirst();
  if (!meeting) return { ok: false, problem: 'Page not found' };
  if (!canAddToAgenda(meeting.status)) return { ok: false, problem: meeting.status === 'cancelled' ? 'This meeting was cancelled.' : 'This meeting has already happened.' };
  // The same words from the same person again (a double click) are on the agenda already.
  const same = await db.selectFrom('meeting_agenda_items').select('id').where('meeting_id', '=', meetingId).where('added_by_id', '=', actor.id).where('text', '=', text).executeTakeFirst();
  if (same) return { ok: true, id: same.id };
  const ctx = await mailContext(db, actor.schoolId, opts.baseUrl, opts.now);
  const id = newId();
  const pupil = await pupilOf(db, actor.schoolId, meeting.pupil_id);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('meeting_agenda_items')
      .values({ id, school_id: actor.schoolId, meeting_id: meetingId, text, added_by_kind: actor.kind, added_by_id: actor.id, created_at: opts.now.toISOString() })
      .execute();
    await audit(
      trx,
      actor,
      { schoolId: actor.schoolId, action: actor.kind === 'staff' ? 'meeting.agenda_item_added' : 'meeting.question_added', entity: 'meeting', entityId: meetingId, after: { item_id: id, text } },
      opts.now,
    );
    if (actor.kind === 'carer') {
      const me = await trx.selectFrom('carers').select(['given_name', 'family_name']).where('id', '=', actor.id).executeTakeFirstOrThrow();
      const leads = (await meetingStaffOf(trx, meetingId)).filter((s) => s.role === 'lead' || s.role === 'preparer').map((s) => s.id);
      await emailStaff(trx, ctx, leads, {
        key: `question:${id}`,
        subject: `${me.given_name} ${me.family_name} added a question for the meeting about ${pupil?.given_name ?? 'their child'}`,
        path: `/meetings/${meetingId}`,
      });
    } else if (opts.tellFamily) {
      await emailAgenda(trx, actor, ctx, { id: meetingId, pupil_id: meeting.pupil_id });
    }
  });
  return { ok: true, id };
}

/**
 * The family asks a familiar member of staff (class teacher, family liaison officer, SENCO) to help
 * them prepare. Recorded once per family member; the person becomes part of the meeting and is alerted.
 */
export async function askPrepHelp(db: Db, actor: CarerActor, meetingId: string, staffId: string, opts: SendOptions): Promise<{ ok: true } | { ok: false; problem: string }> {
  const meeting = await db.selectFrom('meetings').select(['id', 'status', 'pupil_id']).where('id', '=', meetingId).where('school_id', '=', actor.schoolId).executeTakeFirst();
  if (!meeting) return { ok: false, problem: 'Page not found' };
  if (!canAddToAgenda(meeting.status)) return { ok: false, problem: 'This meeting is not coming up, so there is nothing to prepare.' };
  const helpers = await prepHelpersFor(db, actor.schoolId, meeting.pupil_id);
  if (!helpers.some((h) => h.id === staffId)) return { ok: false, problem: 'Choose someone from the list' };
  const me = await db.selectFrom('carers').select(['given_name', 'family_name']).where('id', '=', actor.id).executeTakeFirstOrThrow();
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('meeting_carers')
      .set({ prep_help_staff_id: staffId, prep_help_asked_at: opts.now.toISOString() })
      .where('meeting_id', '=', meetingId)
      .where('carer_id', '=', actor.id)
      .where('prep_help_staff_id', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return { ok: false as const, problem: 'You have already asked someone to help you prepare.' };
    await trx
      .insertInto('meeting_staff')
      .values({ meeting_id: meetingId, staff_id: staffId, school_id: actor.schoolId, role: 'preparer' })
      .onConflict((oc) => oc.columns(['meeting_id', 'staff_id']).doNothing())
      .execute();
    await audit(trx, actor, { schoolId: actor.schoolId, action: 'meeting.prep_help_asked', entity: 'meeting', entityId: meetingId, after: { staff_id: staffId } }, opts.now);
    await alertStaff(
      trx,
      {
        schoolId: actor.schoolId,
        staffIds: [staffId],
        kind: 'prep_help',
        title: `${me.given_name} ${me.family_name} asked you to help them prepare for a meeting`,
        link: `/meetings/${meetingId}`,
        key: `prep_help:${meetingId}:${actor.id}`,
      },
      opts.now,
      opts.baseUrl,
    );
    return { ok: true as const };
  });
}

/** Invite the school's family liaison officer(s) to a meeting; 'none' when the school has none. */
export async function inviteLiaison(db: Db, actor: StaffActor, meetingId: string, opts: SendOptions): Promise<'invited' | 'already' | 'none'> {
  const flos = await staffWithRoles(db, actor.schoolId, ['family_liaison']);
  if (flos.length === 0) return 'none';
  const ctx = await mailContext(db, actor.schoolId, opts.baseUrl, opts.now);
  return db.transaction().execute(async (trx) => {
    const added: string[] = [];
    for (const flo of flos) {
      const r = await trx
        .insertInto('meeting_staff')
        .values({ meeting_id: meetingId, staff_id: flo, school_id: actor.schoolId, role: 'liaison' })
        .onConflict((oc) => oc.columns(['meeting_id', 'staff_id']).doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) added.push(flo);
    }
    if (added.length === 0) return 'already' as const;
    await audit(trx, actor, { schoolId: actor.schoolId, action: 'meeting.liaison_invited', entity: 'meeting', entityId: meetingId, after: { staff: added } }, opts.now);
    await emailStaff(trx, ctx, added, { key: `liaison:${meetingId}`, subject: 'You are invited to a meeting with a family', path: `/meetings/${meetingId}` });
    return 'invited' as const;
  });
}

/** Names an agenda as it stands (its items): the same agenda is emailed once, a changed one again. */
export function agendaVersion(agenda: { id: string }[]): string {
  return createHash('sha256')
    .update(agenda.map((a) => a.id).join(','))
    .digest('hex')
    .slice(0, 16);
}

/**
 * The agenda emails a meeting's family has been sent, newest first (keys `email:agenda:<meeting>:<version>:<carer>`).
 * Found by the outbox's `ref` index: the outbox keeps every email ever sent, and a key pattern
 * (`like 'email:agenda:…:%'`) can use no index on either database (SQLite's LIKE ignores case,
 * PostgreSQL's text is not in the C collation), so it walked the whole outbox on every staff meeting
 * page and for every meeting in the daily run. The meeting's summary emails share the `ref`, so the
 * key pattern still picks the agenda ones among the meeting's few rows. (Rows written before the
 * agendas carried a `ref` were given it by migration 0041.)
 */
export function agendaEmailsStatement(db: Db, meetingId: string) {
  return db.selectFrom('outbox').select(['idempotency_key', 'created_at']).where('ref', '=', meetingId).where('idempotency_key', 'like', `email:agenda:${meetingId}:%`).orderBy('created_at', 'desc');
}

/** The family is sent the agenda two school days before the meeting, unless it was sent already. */
export const AGENDA_SCHOOL_DAYS_BEFORE = 2;

/**
 * Email the family the agenda as it stands (items and their own questions so far). Idempotent per
 * agenda: the key names the items, so the same agenda goes once, however it is asked for (the
 * button, the daily run, an item added with "email the family now"); a changed agenda goes again.
 * Returns how many family members it went to (0 when it had gone already or nobody has an email).
 */
export async function emailAgenda(db: Db, actor: Actor, ctx: MailContext, meeting: { id: string; pupil_id: string | null }): Promise<number> {
  const agenda = await agendaOf(db, meeting.id);
  const version = agendaVersion(agenda);
  const pupil = await pupilOf(db, ctx.schoolId, meeting.pupil_id);
  const family = await familyToTell(db, ctx, meeting);
  const key = `agenda:${meeting.id}:${version}`;
  const sent = await agendaEmailsStatement(db, meeting.id).execute();
  if (sent.some((r) => r.idempotency_key.startsWith(`email:${key}:`))) return 0;
  const n = await emailCarers(db, ctx, family, {
    key,
    ref: meeting.id,
    build: (t) => ({
      subject: t('meetings.agenda.subject', { child: childFor(pupil, t) }),
      lines: agenda.length ? [t('meetings.agenda.intro'), ...agenda.map((a) => `- ${a.text}`), '', t('meetings.agenda.addOwn')] : [t('meetings.agenda.empty'), '', t('meetings.agenda.addOwn')],
    }),
    path: `/my-meetings/${meeting.id}`,
  });
  if (n > 0) await audit(db, actor, { schoolId: ctx.schoolId, action: 'meeting.agenda_sent', entity: 'meeting', entityId: meeting.id, after: { items: agenda.length, family: n } }, ctx.now);
  return n;
}

/** "Send the agenda now" on the meeting page: without adding an item. */
export async function sendAgendaNow(db: Db, actor: StaffActor, meetingId: string, opts: SendOptions): Promise<'sent' | 'already' | 'nobody' | 'over'> {
  const meeting = await db.selectFrom('meetings').select(['id', 'status', 'pupil_id']).where('id', '=', meetingId).where('school_id', '=', actor.schoolId).executeTakeFirst();
  if (!meeting || !canAddToAgenda(meeting.status)) return 'over';
  const ctx = await mailContext(db, actor.schoolId, opts.baseUrl, opts.now);
  const family = await familyToTell(db, ctx, meeting);
  if (!family.some((c) => c.email)) return 'nobody';
  return (await db.transaction().execute((trx) => emailAgenda(trx, actor, ctx, meeting))) > 0 ? 'sent' : 'already';
}

/**
 * The daily run: every arranged meeting starting within the next AGENDA_SCHOOL_DAYS_BEFORE school
 * days (each school's own calendar) has its agenda emailed to the family, once per agenda.
 */
export async function sendAgendasDue(db: Db, now: Date, baseUrl: string): Promise<number> {
  const schools = await db.selectFrom('schools').select(['id', 'name', 'time_zone']).execute();
  let sent = 0;
  for (const school of schools) {
    const ctx: MailContext = { schoolId: school.id, schoolName: school.name, timeZone: school.time_zone, baseUrl, now };
    const today = DateTime.fromJSDate(now, { zone: school.time_zone }).toISODate()!;
    const calendar = await schoolCalendar(db, school.id);
    let last: string;
    try {
      last = addSchoolDays(calendar, today, AGENDA_SCHOOL_DAYS_BEFORE);
    } catch {
      // No terms recorded that far ahead: count weekdays.
      let d = DateTime.fromISO(today);
      for (let n = 0; n < AGENDA_SCHOOL_DAYS_BEFORE;) if ((d = d.plus({ days: 1 })).weekday <= 5) n += 1;
      last = d.toISODate()!;
    }
    const end = schoolLocalInstant(DateTime.fromISO(last).plus({ days: 1 }).toISODate()!, '00:00', school.time_zone);
    if (!end.ok) continue;
    const due = await db
      .selectFrom('meetings')
      .select(['id', 'pupil_id'])
      .where('school_id', '=', school.id)
      .where('status', '=', 'scheduled')
      .where('starts_at', '>', now.toISOString())
      .where('starts_at', '<', end.instant)
      .execute();
    for (const meeting of due) sent += await db.transaction().execute((trx) => emailAgenda(trx, { kind: 'system' }, ctx, meeting));
  }
  return sent;
}
