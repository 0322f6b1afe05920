import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { StaffRole } from '../../db/schema.ts';
import { staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { createTranslator } from '../../platform/channels/translate.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm } from '../../platform/web/forms.ts';
import { addAction, markActionDone, markFollowUpKept, markPartSafeguarding, referMeeting, setOutcome, type RecordBy } from './record-commands.ts';
import { BOOKING_RECORD_ROLES, recordForBooking } from './record-booking.ts';
import { markNoteSafeguarding, recordNote } from './record-notes.ts';
import { reopenFamilyTick } from './carer-actions-staff.ts';
import { renderRecord } from './record-page.ts';
import { meetingForRecord } from './record-queries.ts';
import { sendSummary } from './record-summary.ts';
import { followUpWarning } from './record-timing.ts';
import { schoolCalendar } from './follow-ups-queries.ts';
import { actionForm, NoteForm, outcomeForm, readsSafeguarding, ReferForm } from './record.ts';

/** Everyone on the staff but governors; who may open which record is decided per meeting (maySeeRecord). */
const RECORD_ROLES: readonly StaffRole[] = ['head', 'senior_leader', 'teacher', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison'];
const readers = staff(RECORD_ROLES);
/** A parents' evening appointment's record is started by its teacher, the head or a senior leader. */
const bookingRecorders = staff(BOOKING_RECORD_ROLES);

const MARKED_OUTCOME = 'The outcome was passed to the DSL as a safeguarding concern: only the DSL and deputy DSLs can read or change it';
const MARKED_REFERRAL = 'The referral was passed to the DSL as a safeguarding concern: only the DSL and deputy DSLs can replace it';

/** Meetings: the record (notes, safeguarding, actions, follow-ups) and the summary to the family. */
export function meetingRecordRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock, config } = deps;
  const translator = config.translate.url ? createTranslator({ url: config.translate.url, key: config.translate.key, timeoutMs: 8_000 }) : null;

  const byOf = (request: FastifyRequest): RecordBy => {
    const user = request.user as StaffUser;
    return { staffId: user.id, schoolId: user.schoolId, ip: request.ip };
  };
  async function meetingOf(request: FastifyRequest) {
    const { meetingId } = request.params as { meetingId: string };
    const meeting = await meetingForRecord(db, request.user as StaffUser, request.scope, meetingId);
    if (!meeting) throw notFound();
    return meeting;
  }
  /** Links in emails: BASE_URL, or else the address the person used (as the sign-in links are built). */
  const pageOf = (_request: FastifyRequest) => ({ db, baseUrl: config.baseUrl, canTranslate: !!translator });
  const back = (meetingId: string, done: string) => `/meetings/${meetingId}/record?done=${done}`;

  app.get('/meetings/:meetingId/record', { config: { policy: readers } }, async (request, reply) => {
    const meeting = await meetingOf(request);
    const { done } = request.query as { done?: string };
    return renderRecord(pageOf(request), request, reply, meeting, clock(), { done: typeof done === 'string' ? done : undefined });
  });

  app.post('/meetings/:meetingId/record/notes', { config: { policy: readers } }, async (request, reply) => {
    const meeting = await meetingOf(request);
    const form = parseForm(NoteForm, request.body);
    if (!form.ok) return renderRecord(pageOf(request), request, reply, meeting, clock(), form);
    const note = await recordNote(db, byOf(request), meeting.id, form.data, { now: clock(), baseUrl: config.baseUrl });
    if (note.safeguarding) deps.pokeOutbox();
    return reply.redirect(back(meeting.id, note.safeguarding ? 'safeguarding' : 'note'), 303);
  });

  app.post('/meetings/:meetingId/record/notes/:noteId/safeguarding', { config: { policy: readers } }, async (request, reply) => {
    const meeting = await meetingOf(request);
    const { noteId } = request.params as { noteId: string };
    const marked = await markNoteSafeguarding(db, byOf(request), meeting.id, noteId, { now: clock(), baseUrl: config.baseUrl });
    if (marked === 'missing') throw notFound();
    if (marked === 'marked') deps.pokeOutbox();
    return reply.redirect(back(meeting.id, 'safeguarding'), 303);
  });

  app.post('/meetings/:meetingId/record/actions', { config: { policy: readers } }, async (request, reply) => {
    const meeting = await meetingOf(request);
    const form = parseForm(actionForm(request.scope.today), request.body);
    if (!form.ok) return renderRecord(pageOf(request), request, reply, meeting, clock(), form);
    const added = await addAction(db, byOf(request), meeting.id, form.data, clock());
    if (!added.ok) return renderRecord(pageOf(request), request, reply, meeting, clock(), { errors: { [added.field]: added.message }, values: request.body as Record<string, unknown> });
    return reply.redirect(back(meeting.id, 'action'), 303);
  });

  app.post('/meetings/:meetingId/record/actions/:actionId/done', { config: { policy: readers } }, async (request, reply) => {
    const meeting = await meetingOf(request);
    const { actionId } = request.params as { actionId: string };
    const done = await markActionDone(db, byOf(request), meeting.id, actionId, clock());
    if (done === 'missing') throw notFound();
    return reply.redirect(back(meeting.id, 'action-done'), 303);
  });

  // A family's tick made by mistake (or the carer rang to say it is not done): open again, audited with who undid it.
  app.post('/meetings/:meetingId/record/actions/:actionId/reopen', { config: { policy: readers } }, async (request, reply) => {
    const meeting = await meetingOf(request);
    const { actionId } = request.params as { actionId: string };
    const reopened = await reopenFamilyTick(db, byOf(request), meeting.id, actionId, clock());
    if (reopened === 'missing') throw notFound();
    return reply.redirect(`${back(meeting.id, 'action-reopened')}#action-${actionId}`, 303);
  });

  app.post('/meetings/:meetingId/record/outcome', { config: { policy: readers } }, async (request, reply) => {
    const meeting = await meetingOf(request);
    // A marked outcome is the DSL's and deputies' to read, so theirs alone to change.
    if (Number(meeting.outcome_safeguarding) === 1 && !readsSafeguarding((request.user as StaffUser).roles))
      return renderRecord(pageOf(request), request, reply, meeting, clock(), { errors: { outcome: MARKED_OUTCOME } });
    const form = parseForm(outcomeForm(request.scope.today, meeting.follow_up_on), request.body);
    if (!form.ok) return renderRecord(pageOf(request), request, reply, meeting, clock(), form);
    const followUp = form.data.follow_up_on;
    if (followUp && followUp !== meeting.follow_up_on && form.data.confirm_follow_up !== followUp) {
      const warning = followUpWarning(followUp, meeting.starts_at, request.school!.time_zone, await schoolCalendar(db, meeting.school_id));
      if (warning)
        return renderRecord(pageOf(request), request, reply, meeting, clock(), { errors: { follow_up_on: warning }, values: request.body as Record<string, unknown>, confirmFollowUp: followUp });
    }
    const saved = await setOutcome(db, byOf(request), meeting.id, form.data, clock(), { baseUrl: config.baseUrl });
    if (!saved.ok) return renderRecord(pageOf(request), request, reply, meeting, clock(), { errors: { [saved.field]: saved.message }, values: request.body as Record<string, unknown> });
    if (saved.passedOn) deps.pokeOutbox();
    return reply.redirect(back(meeting.id, saved.passedOn ? 'outcome-safeguarding' : 'outcome'), 303);
  });

  app.post('/meetings/:meetingId/record/follow-up-done', { config: { policy: readers } }, async (request, reply) => {
    const meeting = await meetingOf(request);
    const kept = await markFollowUpKept(db, byOf(request), meeting.id, clock());
    if (kept === 'none') return renderRecord(pageOf(request), request, reply, meeting, clock(), { errors: { follow_up_on: 'There is no follow-up date to keep: record one with the outcome first' } });
    return reply.redirect(back(meeting.id, 'follow-up-kept'), 303);
  });

  app.post('/meetings/:meetingId/record/send-summary', { config: { policy: readers } }, async (request, reply) => {
    const meeting = await meetingOf(request);
    const result = await sendSummary(db, byOf(request), meeting.id, { now: clock(), baseUrl: config.baseUrl, translator });
    if (!result.ok) return renderRecord(pageOf(request), request, reply, meeting, clock(), { errors: { 'send-summary': result.message } });
    if (result.sent) deps.pokeOutbox();
    return reply.redirect(back(meeting.id, result.sent ? 'summary-sent' : 'summary-unchanged'), 303);
  });

  app.post('/meetings/:meetingId/record/refer', { config: { policy: readers } }, async (request, reply) => {
    const meeting = await meetingOf(request);
    // A referral passed to the DSL is replaced only by the DSL or a deputy (its words would be lost).
    if (Number(meeting.referral_safeguarding) === 1 && !readsSafeguarding((request.user as StaffUser).roles))
      return renderRecord(pageOf(request), request, reply, meeting, clock(), { errors: { referral_note: MARKED_REFERRAL }, values: request.body as Record<string, unknown> });
    const form = parseForm(ReferForm, request.body);
    if (!form.ok) return renderRecord(pageOf(request), request, reply, meeting, clock(), form);
    const referred = await referMeeting(db, byOf(request), meeting.id, form.data, { now: clock(), baseUrl: config.baseUrl });
    if (!referred.ok) return renderRecord(pageOf(request), request, reply, meeting, clock(), { errors: { [referred.field]: referred.message }, values: request.body as Record<string, unknown> });
    deps.pokeOutbox();
    return reply.redirect(back(meeting.id, referred.passedOn ? 'referred-safeguarding' : 'referred'), 303);
  });

  // The outcome or the referral, already saved, passed to the DSL afterwards (once; the same alert as the tick on its form).
  for (const part of ['outcome', 'referral'] as const) {
    app.post(`/meetings/:meetingId/record/${part}/safeguarding`, { config: { policy: readers } }, async (request, reply) => {
      const meeting = await meetingOf(request);
      const marked = await markPartSafeguarding(db, byOf(request), meeting.id, part, { now: clock(), baseUrl: config.baseUrl });
      if (marked === 'missing') throw notFound();
      if (marked === 'marked') deps.pokeOutbox();
      return reply.redirect(back(meeting.id, `${part}-safeguarding`), 303);
    });
  }

  app.post('/evenings/bookings/:bookingId/record', { config: { policy: bookingRecorders } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { bookingId } = request.params as { bookingId: string };
    const found = await recordForBooking(db, { ...byOf(request), roles: user.roles }, bookingId, clock());
    if (!found.ok) throw notFound();
    return reply.redirect(`/meetings/${found.meetingId}/record`, 303);
  });
}
