import { insertBooking, insertMeeting } from '../../src/features/meetings/record-test-data.ts';
import { newId } from '../../src/platform/ids.ts';
import type { TestApp } from '../support/app.ts';
import { mine, perPerson, type FeatureRows, type Row, type Who } from './types.ts';

/**
 * Meetings, the record (notes, safeguarding, actions, follow-ups, summary): every route, who may use it.
 * The meeting is Mr Okafor's, about Kuba (Year 3), with Marta. Its record is for the staff on it,
 * staff who see Kuba, the head and senior leaders: not governors, never carers.
 * A parents' evening appointment's record is started by its teacher (Mr Okafor), the head or a senior leader.
 * What can be done once to a record (marking a note as safeguarding, an action done, the follow-up
 * kept, the summary sent) is tried on a held meeting of each person's own, with a note and an action.
 */
const SEE_KUBA: Who[] = ['head', 'senior_leader', 'teacher', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison'];
const BOOKING_RECORDERS: Who[] = ['head', 'senior_leader', 'teacher'];

const record = (path: string, form?: Row['form']): Row => ({ allowed: SEE_KUBA, url: (_f, ids) => `/meetings/${ids.recordMeeting}/record${path}`, form });
const own = (path: (ids: Record<string, string>, who: Who) => string): Row => ({
  allowed: SEE_KUBA,
  url: (_f, ids, who) => `/meetings/${mine(ids, 'ownRecord', who)}/record${path(ids, who)}`,
  form: () => ({}),
});

export const meetingRecordRows: FeatureRows = {
  rows: {
    'GET /meetings/:meetingId/record': record(''),
    'POST /meetings/:meetingId/record/notes': record('/notes', (_f, _ids, who) => ({ body: `Talked about reading at home (${who})` })),
    'POST /meetings/:meetingId/record/notes/:noteId/safeguarding': own((ids, who) => `/notes/${mine(ids, 'ownNote', who)}/safeguarding`),
    'POST /meetings/:meetingId/record/actions': record('/actions', (f, _ids, who) => ({ owner: `staff:${f.staff.teacher}`, what: `Send home a reading plan (${who})`, due_on: '1/2/2099' })),
    'POST /meetings/:meetingId/record/actions/:actionId/done': own((ids, who) => `/actions/${mine(ids, 'ownAction', who)}/done`),
    // A family's tick changed back to not done: a tick of Marta's on each person's own meeting.
    'POST /meetings/:meetingId/record/actions/:actionId/reopen': own((ids, who) => `/actions/${mine(ids, 'ownFamilyTick', who)}/reopen`),
    'POST /meetings/:meetingId/record/outcome': record('/outcome', (_f, _ids, who) => ({ outcome: `We agreed a reading plan (${who})`, follow_up_on: '14/12/2026' })),
    'POST /meetings/:meetingId/record/follow-up-done': own(() => '/follow-up-done'),
    'POST /meetings/:meetingId/record/send-summary': own(() => '/send-summary'),
    'POST /meetings/:meetingId/record/refer': record('/refer', (f, _ids, who) => ({ referred_to: f.staff.head, referral_note: `Kuba still needs help with reading (${who})` })),
    // The outcome and the referral, already written, passed to the DSL afterwards (once each): on each person's own held meeting.
    'POST /meetings/:meetingId/record/outcome/safeguarding': own(() => '/outcome/safeguarding'),
    'POST /meetings/:meetingId/record/referral/safeguarding': own(() => '/referral/safeguarding'),
    'POST /evenings/bookings/:bookingId/record': {
      allowed: BOOKING_RECORDERS,
      url: (_f, ids, who) => `/evenings/bookings/${mine(ids, 'recordBooking', who)}/record`,
      form: () => ({}),
    },
  },
  async setup(t) {
    const fx = t.fx;
    const recordMeeting = await insertMeeting(t.db, fx, { pupilId: fx.pupils.kuba, leadId: fx.staff.teacher, carerIds: [fx.carers.marta], followUpOn: '2026-12-14' });
    const recordNote = await note(t, recordMeeting);
    const recordAction = await action(t, recordMeeting);
    const ids: Record<string, string> = {};
    for (const who of SEE_KUBA) {
      const meeting = await insertMeeting(t.db, fx, {
        pupilId: fx.pupils.kuba,
        leadId: fx.staff.teacher,
        carerIds: [fx.carers.marta],
        followUpOn: '2026-12-14',
        status: 'held',
        topic: `Reading (${who})`,
      });
      await t.db
        .updateTable('meetings')
        .set({ outcome: 'We agreed a reading plan.', referred_to: fx.staff.head, referred_at: '2026-11-24T16:00:00.000Z', referral_note: 'Dad disputes the reading plan.' })
        .where('id', '=', meeting)
        .execute();
      Object.assign(ids, {
        [`ownRecord.${who}`]: meeting,
        [`ownNote.${who}`]: await note(t, meeting),
        [`ownAction.${who}`]: await action(t, meeting),
        [`ownFamilyTick.${who}`]: await action(t, meeting, t.fx.carers.marta),
      });
    }
    let minutes = 0;
    const bookings = await perPerson('recordBooking', BOOKING_RECORDERS, async (who) => {
      const startsAt = new Date(Date.parse('2026-10-15T15:30:00.000Z') + (minutes += 10) * 60_000).toISOString();
      return (await insertBooking(t.db, fx, { teacherId: fx.staff.teacher, pupilId: fx.pupils.kuba, carerId: fx.carers.marta, startsAt, eveningName: `Record rows evening (${who})` })).bookingId;
    });
    return {
      ...ids,
      ownRecord: ids['ownRecord.head']!,
      ownNote: ids['ownNote.head']!,
      ownAction: ids['ownAction.head']!,
      ownFamilyTick: ids['ownFamilyTick.head']!,
      recordMeeting,
      recordNote,
      recordAction,
      ...bookings,
    };
  },
};

async function note(t: TestApp, meetingId: string): Promise<string> {
  const id = newId();
  await t.db
    .insertInto('meeting_notes')
    .values({ id, school_id: t.fx.school.id, meeting_id: meetingId, body: 'Kuba is reading every night.', safeguarding: 0, written_by: t.fx.staff.teacher, created_at: '2026-11-24T16:00:00.000Z' })
    .execute();
  return id;
}

/** The school's action (Mr Okafor's), open; or, given a carer, that carer's action, which they have ticked off. */
async function action(t: TestApp, meetingId: string, tickedByCarer?: string): Promise<string> {
  const id = newId();
  await t.db
    .insertInto('meeting_actions')
    .values({
      id,
      school_id: t.fx.school.id,
      meeting_id: meetingId,
      owner_kind: tickedByCarer ? 'carer' : 'school',
      staff_id: tickedByCarer ? null : t.fx.staff.teacher,
      carer_id: tickedByCarer ?? null,
      what: tickedByCarer ? 'Read with Kuba three evenings a week' : 'Set up a reading plan',
      due_on: '2026-11-27',
      done_at: tickedByCarer ? '2026-11-26T19:00:00.000Z' : null,
      done_by_carer_id: tickedByCarer ?? null,
      created_at: '2026-11-24T16:00:00.000Z',
    })
    .execute();
  return id;
}
