import { insertBooking, insertMeeting } from '../../src/features/meetings/record-test-data.ts';
import { newId } from '../../src/platform/ids.ts';
import type { FeatureRows, Row, Who } from './types.ts';

/**
 * Meetings, the record (notes, safeguarding, actions, follow-ups, summary): every route, who may use it.
 * The meeting is Mr Okafor's, about Kuba (Year 3), with Marta. Its record is for the staff on it,
 * staff who see Kuba, the head and senior leaders: not governors, never carers.
 * A parents' evening appointment's record is started by its teacher (Mr Okafor), the head or a senior leader.
 */
const SEE_KUBA: Who[] = ['head', 'senior_leader', 'teacher', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison'];
const BOOKING_RECORDERS: Who[] = ['head', 'senior_leader', 'teacher'];

const record = (path: string): Row => ({ allowed: SEE_KUBA, url: (_f, ids) => `/meetings/${ids.recordMeeting}/record${path}` });

export const meetingRecordRows: FeatureRows = {
  rows: {
    'GET /meetings/:meetingId/record': record(''),
    'POST /meetings/:meetingId/record/notes': { ...record('/notes'), form: (_f, _ids, who) => ({ body: `Talked about reading at home (${who})` }) },
    'POST /meetings/:meetingId/record/notes/:noteId/safeguarding': { allowed: SEE_KUBA, url: (_f, ids) => `/meetings/${ids.recordMeeting}/record/notes/${ids.recordNote}/safeguarding` },
    'POST /meetings/:meetingId/record/actions': record('/actions'),
    'POST /meetings/:meetingId/record/actions/:actionId/done': { allowed: SEE_KUBA, url: (_f, ids) => `/meetings/${ids.recordMeeting}/record/actions/${ids.recordAction}/done` },
    'POST /meetings/:meetingId/record/outcome': record('/outcome'),
    'POST /meetings/:meetingId/record/follow-up-done': record('/follow-up-done'),
    'POST /meetings/:meetingId/record/send-summary': record('/send-summary'),
    'POST /meetings/:meetingId/record/refer': record('/refer'),
    'POST /evenings/bookings/:bookingId/record': { allowed: BOOKING_RECORDERS, url: (_f, ids) => `/evenings/bookings/${ids.recordBooking}/record` },
  },
  async setup(t) {
    const fx = t.fx;
    const recordMeeting = await insertMeeting(t.db, fx, { pupilId: fx.pupils.kuba, leadId: fx.staff.teacher, carerIds: [fx.carers.marta], followUpOn: '2026-12-14' });
    const recordNote = newId();
    await t.db
      .insertInto('meeting_notes')
      .values({
        id: recordNote,
        school_id: fx.school.id,
        meeting_id: recordMeeting,
        body: 'Kuba is reading every night.',
        safeguarding: 0,
        written_by: fx.staff.teacher,
        created_at: '2026-11-24T16:00:00.000Z',
      })
      .execute();
    const recordAction = newId();
    await t.db
      .insertInto('meeting_actions')
      .values({
        id: recordAction,
        school_id: fx.school.id,
        meeting_id: recordMeeting,
        owner_kind: 'school',
        staff_id: fx.staff.teacher,
        carer_id: null,
        what: 'Set up a reading plan',
        due_on: '2026-11-27',
        done_at: null,
        created_at: '2026-11-24T16:00:00.000Z',
      })
      .execute();
    const { bookingId } = await insertBooking(t.db, fx, {
      teacherId: fx.staff.teacher,
      pupilId: fx.pupils.kuba,
      carerId: fx.carers.marta,
      startsAt: '2026-10-15T16:40:00.000Z',
      eveningName: 'Record rows evening',
    });
    return { recordMeeting, recordNote, recordAction, recordBooking: bookingId };
  },
};
