import { newId } from '../../src/platform/ids.ts';
import { insertMeeting } from '../../src/features/meetings/record-test-data.ts';
import type { TestApp } from '../support/app.ts';
import { STAFF, type FeatureRows, type Who } from './types.ts';

/** "Pass this to the DSL" beside Grace's words about Leo (Year 4): whoever may open the page they are on; not Mr Okafor (Year 3), nor a governor. */
const SEE_LEO: Who[] = ['head', 'senior_leader', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison'];
const passForm = (f: { pupils: Record<string, string> }, who: Who) => ({ form_id: newId(), pupil: f.pupils.leo!, what: `Grace looked worried at the gate (${who})`, happened_on: '20/11/2026' });

/**
 * "Tell the DSL" (features/safeguarding): every member of staff, governors too, may tell the DSL
 * (never a carer); only the DSL and deputies read what was told. Each person's form is a report of
 * their own about someone whose name they do not know (a governor sees no pupils).
 */
export const safeguardingRows: FeatureRows = {
  rows: {
    'GET /tell-the-dsl': { allowed: STAFF, url: () => '/tell-the-dsl' },
    'POST /tell-the-dsl': {
      allowed: STAFF,
      url: () => '/tell-the-dsl',
      form: (_f, _ids, who) => ({ form_id: newId(), pupil: 'someone-else', what: `A child at the gate said she is scared to go home (${who})`, happened_on: '20/11/2026' }),
    },
    'GET /tell-the-dsl/:reportId': { allowed: ['dsl', 'deputy_dsl'], url: (_f, ids) => `/tell-the-dsl/${ids.dslReport}` },
    'GET /tell-the-dsl/agenda-questions/:agendaItemId': { allowed: SEE_LEO, url: (_f, ids) => `/tell-the-dsl/agenda-questions/${ids.graceQuestion}` },
    'POST /tell-the-dsl/agenda-questions/:agendaItemId': { allowed: SEE_LEO, url: (_f, ids) => `/tell-the-dsl/agenda-questions/${ids.graceQuestion}`, form: (f, _ids, who) => passForm(f, who) },
    'GET /tell-the-dsl/family-progress/:actionId': { allowed: SEE_LEO, url: (_f, ids) => `/tell-the-dsl/family-progress/${ids.graceProgress}` },
    'POST /tell-the-dsl/family-progress/:actionId': { allowed: SEE_LEO, url: (_f, ids) => `/tell-the-dsl/family-progress/${ids.graceProgress}`, form: (f, _ids, who) => passForm(f, who) },
  },
  setup: async (t: TestApp) => {
    const id = newId();
    await t.db
      .insertInto('dsl_reports')
      .values({
        id,
        school_id: t.fx.school.id,
        pupil_id: t.fx.pupils.kuba,
        other_name: null,
        what: 'Kuba said he was hungry all weekend.',
        happened_on: '2026-11-20',
        written_by: t.fx.staff.teacher,
        created_at: '2026-11-20T10:00:00.000Z',
      })
      .execute();
    // Ms Hall's meeting with Grace about Leo: a question Grace sent ahead, and how she says her action is going.
    const now = new Date().toISOString();
    const meeting = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.leo, leadId: t.fx.staff.teacher2, carerIds: [t.fx.carers.grace], status: 'held', topic: 'Mornings' });
    const graceQuestion = newId();
    await t.db
      .insertInto('meeting_agenda_items')
      .values({ id: graceQuestion, school_id: t.fx.school.id, meeting_id: meeting, text: 'Can Leo stay late on Fridays?', added_by_kind: 'carer', added_by_id: t.fx.carers.grace, created_at: now })
      .execute();
    const graceProgress = newId();
    await t.db
      .insertInto('meeting_actions')
      .values({
        id: graceProgress,
        school_id: t.fx.school.id,
        meeting_id: meeting,
        owner_kind: 'carer',
        staff_id: null,
        carer_id: t.fx.carers.grace,
        what: 'Bedtime by eight',
        due_on: '2099-01-01',
        done_at: null,
        done_by_carer_id: null,
        carer_note: 'Hard this week, his uncle is staying.',
        carer_note_at: now,
        created_at: now,
      })
      .execute();
    return { dslReport: id, graceQuestion, graceProgress };
  },
};
