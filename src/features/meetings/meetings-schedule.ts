import type { Kysely } from 'kysely';
import type { Database, Instant, InterpreterBy, MeetingMode, MeetingPurpose } from '../../db/schema.ts';
import { staffWithRoles } from '../../platform/alerts/alerts.ts';
import { audit } from '../../platform/audit/audit.ts';
import { formatInstant, localDate } from '../../platform/calendar/time.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { FieldErrors } from '../../platform/web/forms.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { instantIn } from '../../platform/i18n/dates.ts';
import { bannedFromPremises } from '../conduct/index.ts';
import { emailCarers, emailStaff, familyToTell, mailContext, meetingLines } from './meetings-notify.ts';
import { eligibleCarers, meetingStaffChoices, meetingStaffOf, pupilOf, staffName } from './meetings-queries.ts';
import { canCancel, childName, interpreterProblem, placeProblem, staffingProblem, whoWillBeThere, type SchedulableKind } from './meetings-rules.ts';
import { SAFEGUARDING_ROLES } from '../../platform/safeguarding/safeguarding.ts';

type Db = Kysely<Database>;

/** A member of staff acting (the demo loader passes one too: every meeting has a person behind it). */
export type StaffActor = { kind: 'staff'; id: string; schoolId: string; ip?: string | null };
export type SendOptions = { now: Date; baseUrl: string };

export type ScheduleInput = {
  /** The form's id, so a second press of the button makes no second meeting; new when absent. */
  id?: string;
  kind: SchedulableKind;
  topic: string;
  /** Arranged from another page for this (attendance's link), kept whatever the topic becomes. */
  purpose?: MeetingPurpose | null;
  pupilId: string;
  carerIds: string[];
  leadId: string;
  colleagueId: string | null;
  inviteLiaison: boolean;
  startsAt: Instant;
  endsAt: Instant;
  mode: MeetingMode;
  place: string | null;
  videoLink: string | null;
  interpreterLanguage: string | null;
  interpreterBy?: InterpreterBy | null;
  agenda?: string[];
  /** The organiser has ticked that the head agreed to a meeting at school with a carer banned from the premises. */
  banAgreed?: boolean;
};
export type ScheduleResult = { ok: true; id: string; created: boolean } | { ok: false; errors: FieldErrors };

/** What the organiser is told when a family member chosen for a meeting at school is banned from the premises. */
export function premisesWarning(people: readonly { given_name: string; family_name: string }[]): string {
  const names = people.map((c) => `${c.given_name} ${c.family_name}`).join(' and ');
  return `${names} ${people.length === 1 ? 'is' : 'are'} banned from the school premises on that day: choose a phone or video call, or tick that the head has agreed to this meeting at school`;
}

/**
 * Arrange a meeting with a family: the meeting, who from the school and the family is coming, its
 * agenda, an audit entry and an email to each family member and invited colleague, in one
 * transaction. Checks what needs the database (the carers are the child's, none restricted; a home
 * visit has two staff); the form checks the time. Times in the past are allowed here (the demo
 * school records meetings that have happened).
 */
export async function scheduleMeeting(db: Db, actor: StaffActor, input: ScheduleInput, opts: SendOptions): Promise<ScheduleResult> {
  const ctx = await mailContext(db, actor.schoolId, opts.baseUrl, opts.now);
  const errors: FieldErrors = {};
  const pupil = await pupilOf(db, actor.schoolId, input.pupilId);
  if (!pupil) return { ok: false, errors: { pupil_id: 'Choose the child the meeting is about' } };
  const family = await eligibleCarers(db, actor.schoolId, pupil.id, localDate(opts.now, ctx.timeZone));
  const carerIds = [...new Set(input.carerIds)];
  if (carerIds.length === 0) errors.carer_ids = 'Choose who from the family is coming';
  else if (!carerIds.every((id) => family.some((c) => c.id === id))) errors.carer_ids = 'Choose from the family members shown';
  const choices = await meetingStaffChoices(db, actor.schoolId);
  if (!choices.some((s) => s.id === input.leadId)) errors.lead_id = 'Choose who will lead the meeting';
  if (input.colleagueId && !choices.some((s) => s.id === input.colleagueId)) errors.colleague_id = 'Choose a colleague from the list';
  const staffing = staffingProblem(input.kind, input.leadId, input.colleagueId);
  if (staffing) errors.colleague_id ??= staffing;
  const mode: MeetingMode = input.kind === 'home_visit' ? 'in_person' : input.mode;
  const where = placeProblem(mode, input.place, input.videoLink);
  if (where) errors[where.field] = where.error;
  // A family member or friend never interprets when the DSL or a deputy meets the family (meetings-rules.ts).
  if (input.interpreterLanguage && input.interpreterBy) {
    const leads = input.interpreterBy === 'family' ? await staffWithRoles(db, actor.schoolId, SAFEGUARDING_ROLES) : [];
    const problem = interpreterProblem(
      input.interpreterLanguage,
      input.interpreterBy,
      [input.leadId, input.colleagueId].some((id) => id !== null && leads.includes(id)),
    );
    if (problem) errors.interpreter_by = problem;
  }
  // A meeting at school with a carer banned from the premises (features/conduct) on its day: phone or video, unless the head agreed to it.
  const banned =
    mode === 'in_person' && input.kind !== 'home_visit' && !errors.carer_ids
      ? await bannedFromPremises(db, actor.schoolId, carerIds, localDate(new Date(input.startsAt), ctx.timeZone))
      : new Set<string>();
  if (banned.size > 0 && !input.banAgreed) errors.mode = premisesWarning(family.filter((c) => banned.has(c.id)));
  if (Object.keys(errors).length) return { ok: false, errors };

  const id = input.id ?? newId();
  const at = opts.now.toISOString();
  const liaison = input.inviteLiaison ? await staffWithRoles(db, actor.schoolId, ['family_liaison']) : [];
  const members = new Map<string, 'lead' | 'colleague' | 'liaison'>([[input.leadId, 'lead']]);
  if (input.colleagueId) members.set(input.colleagueId, 'colleague');
  for (const flo of liaison) if (!members.has(flo)) members.set(flo, 'liaison');

  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('meetings')
      .values({
        id,
        school_id: actor.schoolId,
        kind: input.kind,
        status: 'scheduled',
        topic: input.topic,
        purpose: input.purpose ?? null,
        outline: null,
        pupil_id: pupil.id,
        urgent: 0,
        preferred_times: null,
        mode,
        interpreter_language: input.interpreterLanguage,
        interpreter_by: input.interpreterLanguage ? (input.interpreterBy ?? null) : null,
        starts_at: input.startsAt,
        ends_at: input.endsAt,
        place: mode === 'in_person' ? input.place : null,
        video_link: mode === 'video' ? input.videoLink : null,
        evening_booking_id: null,
        requested_by_carer_id: null,
        possibly_difficult: 0,
        outcome: null,
        follow_up_on: null,
        follow_up_done_at: null,
        summary_sent_at: null,
        referred_to: null,
        referred_at: null,
        referral_note: null,
        created_by_kind: 'staff',
        created_by_id: actor.id,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      const same = await trx.selectFrom('meetings').select('id').where('id', '=', id).where('school_id', '=', actor.schoolId).where('created_by_id', '=', actor.id).executeTakeFirst();
      if (!same) throw new AppError('conflict', 'This form has expired. Go back, refresh the page and try again.');
      return { ok: true as const, id, created: false };
    }
    await trx
      .insertInto('meeting_staff')
      .values([...members].map(([staffId, role]) => ({ meeting_id: id, staff_id: staffId, school_id: actor.schoolId, role })))
      .execute();
    await trx
      .insertInto('meeting_carers')
      .values(carerIds.map((carerId) => ({ meeting_id: id, carer_id: carerId, school_id: actor.schoolId, prep_help_staff_id: null, prep_help_asked_at: null })))
      .execute();
    const agenda = (input.agenda ?? []).map((t) => t.trim()).filter(Boolean);
    if (agenda.length) {
      await trx
        .insertInto('meeting_agenda_items')
        .values(
          agenda.map((text, i) => ({
            id: newId(),
            school_id: actor.schoolId,
            meeting_id: id,
            text,
            added_by_kind: 'staff' as const,
            added_by_id: actor.id,
            created_at: new Date(opts.now.getTime() + i).toISOString(),
          })),
        )
        .execute();
    }
    await audit(
      trx,
      actor,
      {
        schoolId: actor.schoolId,
        action: 'meeting.scheduled',
        entity: 'meeting',
        entityId: id,
        after: {
          kind: input.kind,
          purpose: input.purpose ?? null,
          pupil_id: pupil.id,
          starts_at: input.startsAt,
          mode,
          carers: carerIds,
          staff: Object.fromEntries(members),
          ...(banned.size > 0 ? { at_school_despite_premises_ban: [...banned] } : {}),
        },
      },
      opts.now,
    );

    const lead = choices.find((s) => s.id === input.leadId)!;
    const child = childName(pupil);
    const staffNames = await trx
      .selectFrom('staff')
      .select(['id', 'title', 'family_name'])
      .where('school_id', '=', actor.schoolId)
      .where('id', 'in', [...members.keys()])
      .execute();
    const attending = (t: Text) =>
      whoWillBeThere(
        [...members].map(([staffId, role]) => ({ name: staffName(staffNames.find((p) => p.id === staffId)!), role })),
        family.filter((c) => carerIds.includes(c.id)).map((c) => `${c.given_name} ${c.family_name}`),
        input.interpreterLanguage,
        t,
      );
    await emailCarers(
      trx,
      ctx,
      family.filter((c) => carerIds.includes(c.id)),
      {
        key: `scheduled:${id}`,
        build: (t) => ({
          subject: t('meetings.invite.subject', { kind: t(`meetings.kind.${input.kind}`), child, when: instantIn(t.code, input.startsAt, ctx.timeZone) }),
          lines: [
            t('meetings.invite.arranged', { lead: staffName(lead), child, topic: input.topic }),
            '',
            ...meetingLines({ starts_at: input.startsAt, mode, place: input.place, video_link: input.videoLink }, null, ctx.timeZone, t),
            t('meetings.invite.attending', { people: attending(t) }),
            '',
            t('meetings.invite.prepare'),
          ],
        }),
        path: `/my-meetings/${id}`,
      },
    );
    await emailStaff(
      trx,
      ctx,
      [...members.keys()].filter((s) => s !== actor.id),
      {
        key: `meeting-staff:${id}`,
        subject: `You are part of a meeting about ${pupil.given_name} ${pupil.family_name} on ${formatInstant(input.startsAt, ctx.timeZone)}`,
        path: `/meetings/${id}`,
      },
    );
    return { ok: true as const, id, created: true };
  });
}

/**
 * Cancel a meeting that has not happened (compare-and-set on its status, so two clicks cancel it
 * once) and tell the family, with the reason given. 'already' when it was cancelled before (a
 * double click), 'not_possible' when it has happened.
 */
export async function cancelMeeting(db: Db, actor: StaffActor, meetingId: string, reason: string, opts: SendOptions): Promise<'cancelled' | 'already' | 'not_possible'> {
  const ctx = await mailContext(db, actor.schoolId, opts.baseUrl, opts.now);
  const meeting = await db.selectFrom('meetings').selectAll().where('id', '=', meetingId).where('school_id', '=', actor.schoolId).executeTakeFirst();
  if (meeting?.status === 'cancelled') return 'already';
  if (!meeting || !canCancel(meeting.status)) return 'not_possible';
  const pupil = await pupilOf(db, actor.schoolId, meeting.pupil_id);
  const [carers, staff] = await Promise.all([familyToTell(db, ctx, meeting), meetingStaffOf(db, meetingId)]);
  const me = await db.selectFrom('staff').select(['title', 'family_name']).where('id', '=', actor.id).executeTakeFirstOrThrow();
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('meetings')
      .set({ status: 'cancelled', updated_at: opts.now.toISOString() })
      .where('id', '=', meetingId)
      .where('school_id', '=', actor.schoolId)
      .where('status', '=', meeting.status)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return 'already' as const;
    await audit(
      trx,
      actor,
      { schoolId: actor.schoolId, action: 'meeting.cancelled', entity: 'meeting', entityId: meetingId, before: { status: meeting.status }, after: { status: 'cancelled', reason } },
      opts.now,
    );
    const child = childName(pupil);
    await emailCarers(trx, ctx, carers, {
      key: `cancelled:${meetingId}`,
      build: (t) => ({
        subject: t('meetings.cancel.subject', { topic: meeting.topic }),
        lines: [
          meeting.starts_at ? t('meetings.cancel.meeting', { child, when: instantIn(t.code, meeting.starts_at, ctx.timeZone) }) : t('meetings.cancel.request', { child }),
          '',
          t('meetings.cancel.says', { name: staffName(me), reason }),
          '',
          t('meetings.cancel.askAgain'),
        ],
      }),
      path: `/my-meetings/${meetingId}`,
    });
    await emailStaff(
      trx,
      ctx,
      staff.map((s) => s.id).filter((id) => id !== actor.id),
      { key: `cancelled:${meetingId}`, subject: `A meeting you were part of has been cancelled`, path: `/meetings/${meetingId}` },
    );
    return 'cancelled' as const;
  });
}
