import type { Kysely } from 'kysely';
import type { Database, Instant, MeetingMode } from '../../db/schema.ts';
import { alertStaff, staffWithRoles } from '../../platform/alerts/alerts.ts';
import { pupilsVisibleTo } from '../../platform/access/scope.ts';
import { pupilsCarerMayHearAbout } from '../../platform/access/hear.ts';
import { audit } from '../../platform/audit/audit.ts';
import { formatInstant, localDate } from '../../platform/calendar/time.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { FieldErrors } from '../../platform/web/forms.ts';
import { instantIn } from '../../platform/i18n/dates.ts';
import { childFor } from './carer-words.ts';
import { emailCarers, emailStaff, familyToTell, mailContext, meetingLines } from './meetings-notify.ts';
import { classTeachersOf, meetingStaffChoices, meetingStaffOf, pupilOf, staffName } from './meetings-queries.ts';
import { canOffer, placeProblem, preferredTimesText, type TimeOfDay } from './meetings-rules.ts';
import { premisesWarning, type SendOptions, type StaffActor } from './meetings-schedule.ts';
import { absoluteLink } from '../../platform/web/links.ts';
import { routeFromCarer } from '../community/index.ts';
import { bannedFromPremises } from '../conduct/index.ts';

type Db = Kysely<Database>;

export type CarerActor = { kind: 'carer'; id: string; schoolId: string; ip?: string | null };

export type RequestInput = {
  /** The form's id: a second press of the button asks once. */
  id?: string;
  pupilId: string;
  topic: string;
  outline: string;
  times: TimeOfDay[];
  timesWords: string | null;
  mode: MeetingMode;
  interpreterLanguage: string | null;
  urgent: boolean;
};

/**
 * A carer asks for a meeting about one of their children. An urgent request alerts the head and
 * senior leaders (who read the outline first, in Gatepost: the email only says one is waiting);
 * any other request alerts the child's class teacher, or the office when the class has none.
 * 'not_found' when the child is not one this carer may hear about, or meet about (not theirs, or restricted).
 */
export async function requestMeeting(db: Db, actor: CarerActor, input: RequestInput, opts: SendOptions): Promise<{ ok: true; id: string; created: boolean } | { ok: false; reason: 'not_found' }> {
  const ctx = await mailContext(db, actor.schoolId, opts.baseUrl, opts.now);
  const today = localDate(opts.now, ctx.timeZone);
  const visible = await db
    .selectFrom('pupils')
    .select('pupils.id')
    .where('pupils.id', '=', input.pupilId)
    .where('pupils.archived_at', 'is', null)
    .where(pupilsVisibleTo({ kind: 'carer', id: actor.id, schoolId: actor.schoolId, name: '', email: null }, today, false))
    .executeTakeFirst();
  if (!visible) return { ok: false, reason: 'not_found' };
  // A meeting is a purpose of its own (hear.ts): a court order that stops contact keeps them off it.
  const mayMeet = await pupilsCarerMayHearAbout(db, { schoolId: actor.schoolId, carerId: actor.id, pupilIds: [input.pupilId], purpose: 'meeting_invitation', today });
  if (!mayMeet.has(input.pupilId)) return { ok: false, reason: 'not_found' };
  const carer = await db.selectFrom('carers').select(['given_name', 'family_name']).where('id', '=', actor.id).executeTakeFirstOrThrow();
  // One rule (features/community routeFromCarer): a single point of contact the head set, else the family's
  // key worker, receives every request of theirs, urgent or not; otherwise the default below.
  const { to: told } = await routeFromCarer(db, actor.schoolId, actor.id, async () => {
    if (input.urgent) return staffWithRoles(db, actor.schoolId, ['head', 'senior_leader']);
    const teachers = await classTeachersOf(db, actor.schoolId, input.pupilId);
    if (teachers.length) return teachers;
    const office = await staffWithRoles(db, actor.schoolId, ['office']);
    return office.length ? office : staffWithRoles(db, actor.schoolId, ['head']);
  });

  const id = input.id ?? newId();
  const at = opts.now.toISOString();
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('meetings')
      .values({
        id,
        school_id: actor.schoolId,
        kind: 'appointment',
        status: 'requested',
        topic: input.topic,
        outline: input.outline,
        pupil_id: input.pupilId,
        urgent: input.urgent ? 1 : 0,
        preferred_times: preferredTimesText(input.times, input.timesWords),
        mode: input.mode,
        interpreter_language: input.interpreterLanguage,
        starts_at: null,
        ends_at: null,
        place: null,
        video_link: null,
        evening_booking_id: null,
        requested_by_carer_id: actor.id,
        possibly_difficult: 0,
        outcome: null,
        follow_up_on: null,
        follow_up_done_at: null,
        summary_sent_at: null,
        referred_to: null,
        referred_at: null,
        referral_note: null,
        created_by_kind: 'carer',
        created_by_id: actor.id,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      const same = await trx.selectFrom('meetings').select('id').where('id', '=', id).where('created_by_id', '=', actor.id).executeTakeFirst();
      if (!same) throw new AppError('conflict', 'This form has expired. Go back, refresh the page and try again.');
      return { ok: true as const, id, created: false };
    }
    await trx.insertInto('meeting_carers').values({ meeting_id: id, carer_id: actor.id, school_id: actor.schoolId, prep_help_staff_id: null, prep_help_asked_at: null }).execute();
    await audit(
      trx,
      actor,
      {
        schoolId: actor.schoolId,
        action: 'meeting.requested',
        entity: 'meeting',
        entityId: id,
        after: { pupil_id: input.pupilId, topic: input.topic, urgent: input.urgent ? 1 : 0, mode: input.mode },
      },
      opts.now,
    );
    await alertStaff(
      trx,
      input.urgent
        ? { schoolId: actor.schoolId, staffIds: told, kind: 'urgent_request', title: 'An urgent meeting request is waiting', link: `/meetings/${id}`, key: `urgent_request:${id}` }
        : {
            schoolId: actor.schoolId,
            staffIds: told,
            kind: 'meeting_request',
            title: `${carer.given_name} ${carer.family_name} asked for a meeting`,
            link: `/meetings/${id}`,
            key: `meeting_request:${id}`,
          },
      opts.now,
      opts.baseUrl,
    );
    return { ok: true as const, id, created: true };
  });
}

export type OfferInput = {
  leadId: string;
  times: { startsAt: Instant; endsAt: Instant }[];
  mode: MeetingMode;
  place: string | null;
  videoLink: string | null;
  /** The head agreed to a meeting at school with a family member banned from the premises. */
  banAgreed?: boolean;
};
export type OfferResult = { ok: true } | { ok: false; errors: FieldErrors } | { ok: false; conflict: string };

/**
 * Offer a family one to three times for the meeting they asked for (again, if none suited: the
 * earlier, unchosen times are replaced). The meeting moves to 'offered' by compare-and-set, the
 * chosen lead becomes its lead, and each family member is emailed the times.
 */
export async function offerTimes(db: Db, actor: StaffActor, meetingId: string, input: OfferInput, opts: SendOptions): Promise<OfferResult> {
  const ctx = await mailContext(db, actor.schoolId, opts.baseUrl, opts.now);
  const meeting = await db.selectFrom('meetings').selectAll().where('id', '=', meetingId).where('school_id', '=', actor.schoolId).executeTakeFirst();
  if (!meeting) throw new AppError('not_found', 'Page not found');
  if (!canOffer(meeting.status)) return { ok: false, conflict: 'Times can only be offered for a meeting that has been asked for and not yet arranged.' };
  const errors: FieldErrors = {};
  const choices = await meetingStaffChoices(db, actor.schoolId);
  const lead = choices.find((s) => s.id === input.leadId);
  if (!lead) errors.lead_id = 'Choose who will meet the family';
  if (input.times.length < 1 || input.times.length > 3) errors.date_1 = 'Offer one, two or three times';
  const where = placeProblem(input.mode, input.place, input.videoLink);
  if (where) errors[where.field] = where.error;
  const carers = await familyToTell(db, ctx, meeting);
  // At school with a family member banned from the premises (features/conduct) on one of the days: phone or video, unless the head agreed.
  const banned = new Set<string>();
  if (input.mode === 'in_person')
    for (const day of new Set(input.times.map((t) => localDate(new Date(t.startsAt), ctx.timeZone))))
      for (const id of await bannedFromPremises(
        db,
        actor.schoolId,
        carers.map((c) => c.id),
        day,
      ))
        banned.add(id);
  if (banned.size > 0 && !input.banAgreed) errors.mode = premisesWarning(carers.filter((c) => banned.has(c.id)));
  if (Object.keys(errors).length || !lead) return { ok: false, errors };
  if (meeting.status === 'offered' && (await sameOffer(db, meeting, lead.id, input))) return { ok: true };

  const pupil = await pupilOf(db, actor.schoolId, meeting.pupil_id);
  const offers = [...input.times]
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
    .map((t) => ({ id: newId(), school_id: actor.schoolId, meeting_id: meetingId, starts_at: t.startsAt, ends_at: t.endsAt, chosen_at: null }));
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('meetings')
      .set({
        status: 'offered',
        mode: input.mode,
        place: input.mode === 'in_person' ? input.place : null,
        video_link: input.mode === 'video' ? input.videoLink : null,
        updated_at: opts.now.toISOString(),
      })
      .where('id', '=', meetingId)
      .where('status', '=', meeting.status)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return { ok: false as const, conflict: 'Someone else changed this meeting just now. Look at it again.' };
    await trx.deleteFrom('meeting_offers').where('meeting_id', '=', meetingId).where('chosen_at', 'is', null).execute();
    await trx.insertInto('meeting_offers').values(offers).execute();
    await trx.updateTable('meeting_staff').set({ role: 'colleague' }).where('meeting_id', '=', meetingId).where('role', '=', 'lead').where('staff_id', '!=', lead.id).execute();
    await trx
      .insertInto('meeting_staff')
      .values({ meeting_id: meetingId, staff_id: lead.id, school_id: actor.schoolId, role: 'lead' })
      .onConflict((oc) => oc.columns(['meeting_id', 'staff_id']).doUpdateSet({ role: 'lead' }))
      .execute();
    await audit(
      trx,
      actor,
      {
        schoolId: actor.schoolId,
        action: 'meeting.times_offered',
        entity: 'meeting',
        entityId: meetingId,
        before: { status: meeting.status },
        after: { status: 'offered', lead: lead.id, offers: offers.map((o) => o.starts_at), ...(banned.size > 0 ? { at_school_despite_premises_ban: [...banned] } : {}) },
      },
      opts.now,
    );
    await emailCarers(trx, ctx, carers, {
      key: `offer:${offers[0]!.id}`,
      build: (t) => ({
        subject: t('meetings.offer.subject', { child: childFor(pupil, t) }),
        lines: [
          t('meetings.offer.intro', { lead: staffName(lead), child: childFor(pupil, t), count: offers.length }),
          ...offers.map((o) => `- ${instantIn(t.code, o.starts_at, ctx.timeZone)}`),
          '',
          ...meetingLines({ starts_at: null, mode: input.mode, place: input.place, video_link: input.videoLink }, null, ctx.timeZone, t),
          '',
          t('meetings.offer.choose'),
        ],
      }),
      path: `/my-meetings/${meetingId}`,
    });
    return { ok: true as const };
  });
}

/** The very same times, lead and place as already offered (a double click): nothing to do, nobody to email again. */
async function sameOffer(db: Db, meeting: { id: string; mode: MeetingMode; place: string | null; video_link: string | null }, leadId: string, input: OfferInput): Promise<boolean> {
  const [offers, lead] = await Promise.all([
    db.selectFrom('meeting_offers').select(['starts_at', 'ends_at']).where('meeting_id', '=', meeting.id).where('chosen_at', 'is', null).orderBy('starts_at').execute(),
    db.selectFrom('meeting_staff').select('staff_id').where('meeting_id', '=', meeting.id).where('role', '=', 'lead').executeTakeFirst(),
  ]);
  const wanted = [...input.times].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  return (
    lead?.staff_id === leadId &&
    meeting.mode === input.mode &&
    meeting.place === (input.mode === 'in_person' ? input.place : null) &&
    meeting.video_link === (input.mode === 'video' ? input.videoLink : null) &&
    offers.length === wanted.length &&
    offers.every((o, i) => o.starts_at === wanted[i]!.startsAt && o.ends_at === wanted[i]!.endsAt)
  );
}

/**
 * The carer chooses one of the offered times: the meeting moves from 'offered' to 'scheduled' by
 * compare-and-set (a second click, or a new offer in between, changes nothing), and the lead is told.
 */
export async function chooseOffer(db: Db, actor: CarerActor, meetingId: string, offerId: string, opts: SendOptions): Promise<{ ok: true } | { ok: false; problem: string }> {
  const ctx = await mailContext(db, actor.schoolId, opts.baseUrl, opts.now);
  const offer = await db.selectFrom('meeting_offers').selectAll().where('id', '=', offerId).where('meeting_id', '=', meetingId).where('school_id', '=', actor.schoolId).executeTakeFirst();
  if (!offer) return { ok: false, problem: 'Those times have changed. Choose one of the times shown.' };
  if (offer.starts_at <= opts.now.toISOString()) return { ok: false, problem: 'That time has passed. Choose another, or tell the school none of them suits you.' };
  const meeting = await db.selectFrom('meetings').selectAll().where('id', '=', meetingId).executeTakeFirstOrThrow();
  // The same choice again (a double click): done already.
  if (offer.chosen_at && meeting.status === 'scheduled' && meeting.starts_at === offer.starts_at) return { ok: true };
  const [pupil, staff, carers, me] = await Promise.all([
    pupilOf(db, actor.schoolId, meeting.pupil_id),
    meetingStaffOf(db, meetingId),
    familyToTell(db, await mailContext(db, actor.schoolId, opts.baseUrl, opts.now), meeting),
    db.selectFrom('carers').select(['given_name', 'family_name']).where('id', '=', actor.id).executeTakeFirstOrThrow(),
  ]);
  const lead = staff.find((s) => s.role === 'lead');
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('meetings')
      .set({ status: 'scheduled', starts_at: offer.starts_at, ends_at: offer.ends_at, updated_at: opts.now.toISOString() })
      .where('id', '=', meetingId)
      .where('status', '=', 'offered')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) {
      // Two presses at once: the other one chose this very time.
      const now = await trx.selectFrom('meetings').select(['status', 'starts_at']).where('id', '=', meetingId).executeTakeFirstOrThrow();
      if (now.status === 'scheduled' && now.starts_at === offer.starts_at) return { ok: true as const };
      return { ok: false as const, problem: 'This meeting is no longer waiting for you to choose a time.' };
    }
    await trx.updateTable('meeting_offers').set({ chosen_at: opts.now.toISOString() }).where('id', '=', offer.id).execute();
    await audit(
      trx,
      actor,
      { schoolId: actor.schoolId, action: 'meeting.time_chosen', entity: 'meeting', entityId: meetingId, before: { status: 'offered' }, after: { status: 'scheduled', starts_at: offer.starts_at } },
      opts.now,
    );
    const when = formatInstant(offer.starts_at, ctx.timeZone);
    await emailStaff(
      trx,
      ctx,
      staff.filter((s) => s.role === 'lead').map((s) => s.id),
      {
        key: `chosen:${meetingId}`,
        subject: `${me.given_name} ${me.family_name} chose ${when} for the meeting about ${pupil ? `${pupil.given_name} ${pupil.family_name}` : 'their child'}`,
        path: `/meetings/${meetingId}`,
      },
    );
    await emailCarers(trx, ctx, carers, {
      key: `chosen:${meetingId}`,
      build: (t) => ({
        subject: t('meetings.arranged.subject', { when: instantIn(t.code, offer.starts_at, ctx.timeZone) }),
        lines: [
          t('meetings.arranged.line', { child: childFor(pupil, t) }),
          '',
          ...meetingLines({ ...meeting, starts_at: offer.starts_at }, lead?.name ?? null, ctx.timeZone, t),
          '',
          t('meetings.email.calendar', { link: absoluteLink(ctx.baseUrl, `/my-meetings/${meetingId}/calendar.ics`) }),
        ],
      }),
      path: `/my-meetings/${meetingId}`,
    });
    return { ok: true as const };
  });
}
