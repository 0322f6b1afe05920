import { newId } from '../../src/platform/ids.ts';
import { insertMeeting } from '../../src/features/meetings/record-test-data.ts';
import type { TestApp } from '../support/app.ts';
import type { Fixture } from '../support/fixture.ts';
import { STAFF, type FeatureRows, type Who } from './types.ts';

/** "Pass this to the DSL" beside Grace's words about Leo (Year 4): whoever may open the page they are on; not Mr Okafor (Year 3), nor a governor. */
const SEE_LEO: Who[] = ['head', 'senior_leader', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison'];
const passForm = (f: { pupils: Record<string, string> }, who: Who) => ({ form_id: newId(), pupil: f.pupils.leo!, what: `Grace looked worried at the gate (${who})`, happened_on: '20/11/2026' });
/** Beside what staff wrote about an adult (no child chosen): "Someone else". */
const adultForm = (_f: unknown, _ids: unknown, who: Who) => ({ form_id: newId(), pupil: 'someone-else', what: `Mr Dean at the gate (${who})`, happened_on: '20/11/2026' });
/** What staff wrote, each beside the page's own rule: Leo's meeting's safety plan and his profile (not Mr Okafor, Year 3), Mark Dean's conduct, Mark and Sarah Dean's buddy match, Sarah Dean's risk assessment. */
const LEO_PROFILE: Who[] = ['head', 'senior_leader', 'dsl', 'deputy_dsl', 'senco', 'family_liaison'];
const staffWords: Record<string, { allowed: Who[]; path: (ids: Record<string, string>, f: { pupils: Record<string, string> }) => string; child: boolean }> = {
  '/tell-the-dsl/safety-plans/:meetingId': { allowed: SEE_LEO, path: (ids) => `/tell-the-dsl/safety-plans/${ids.leoPlanMeeting}`, child: true },
  '/tell-the-dsl/buddy-check-ins/:matchId': { allowed: ['head', 'senior_leader', 'office', 'senco', 'family_liaison'], path: (ids) => `/tell-the-dsl/buddy-check-ins/${ids.deanMatch}`, child: false },
  '/tell-the-dsl/conduct-incidents/:incidentId': { allowed: ['head', 'senior_leader'], path: (ids) => `/tell-the-dsl/conduct-incidents/${ids.deanIncident}`, child: false },
  '/tell-the-dsl/conduct-arrangements/:arrangementId': { allowed: ['head', 'senior_leader'], path: (ids) => `/tell-the-dsl/conduct-arrangements/${ids.deanArrangement}`, child: false },
  '/tell-the-dsl/profile-notes/admire_staff/:pupilId': { allowed: LEO_PROFILE, path: (_ids, f) => `/tell-the-dsl/profile-notes/admire_staff/${f.pupils.leo}`, child: true },
  '/tell-the-dsl/profile-notes/important_staff/:pupilId': { allowed: LEO_PROFILE, path: (_ids, f) => `/tell-the-dsl/profile-notes/important_staff/${f.pupils.leo}`, child: true },
  '/tell-the-dsl/profile-notes/support_staff/:pupilId': { allowed: LEO_PROFILE, path: (_ids, f) => `/tell-the-dsl/profile-notes/support_staff/${f.pupils.leo}`, child: true },
  '/tell-the-dsl/risk-assessments/:volunteerId': { allowed: ['head', 'senior_leader', 'office', 'family_liaison'], path: (ids) => `/tell-the-dsl/risk-assessments/${ids.deanVolunteer}`, child: false },
};
const staffWordsRows: FeatureRows['rows'] = Object.fromEntries(
  Object.entries(staffWords).flatMap(([route, w]) => [
    [`GET ${route}`, { allowed: w.allowed, url: (f: Fixture, ids: Record<string, string>) => w.path(ids, f) }],
    [
      `POST ${route}`,
      {
        allowed: w.allowed,
        url: (f: Fixture, ids: Record<string, string>) => w.path(ids, f),
        form: (f: Fixture, ids: Record<string, string>, who: Who) => (w.child ? passForm(f, who) : adultForm(f, ids, who)),
      },
    ],
  ]),
);

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
    ...staffWordsRows,
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
    return { dslReport: id, graceQuestion, graceProgress, ...(await staffWordsSetup(t, meeting, now)) };
  },
};

/** What staff wrote, for "Pass this to the DSL": on Leo's meeting's safety plan and profile, about Mark and Sarah Dean. */
async function staffWordsSetup(t: TestApp, leoMeeting: string, now: string) {
  const { db, fx } = t;
  const s = fx.school.id;
  await db
    .insertInto('meeting_safety_plans')
    .values({
      meeting_id: leoMeeting,
      school_id: s,
      colleague_id: fx.staff.senior_leader,
      colleague_presence: 'in_room',
      room: 'Room 2',
      clear_route_out: 1,
      neutral_and_private: 1,
      notes: 'Leo’s dad was angry at the gate.',
      head_told_at: now,
      created_by: fx.staff.teacher2,
      updated_at: now,
    })
    .execute();
  // Leo's profile (profile-rows made it): a note in each staff-only section.
  const leoProfile = await db.selectFrom('profiles').select('id').where('school_id', '=', s).where('pupil_id', '=', fx.pupils.leo).executeTakeFirstOrThrow();
  await db
    .updateTable('profile_versions')
    .set({ admire_staff: 'Cares for his brother', important_staff: 'Contact with dad is supervised', support_staff: 'Referral made' })
    .where('profile_id', '=', leoProfile.id)
    .execute();
  const deanIncident = newId();
  await db
    .insertInto('conduct_incidents')
    .values({ id: deanIncident, school_id: s, carer_id: fx.carers.mark, happened_on: '2026-11-09', what: 'Shouted at the gate', recorded_by: fx.staff.head, created_at: now })
    .execute();
  const deanArrangement = newId();
  await db
    .insertInto('conduct_arrangements')
    .values({
      id: deanArrangement,
      school_id: s,
      carer_id: fx.carers.mark,
      kind: 'single_contact',
      contact_staff_id: fx.staff.head,
      reason: 'Threats at the gate',
      starts_on: '2026-11-10',
      review_on: '2099-02-10',
      letter_subject: null,
      letter_text: null,
      letter_sent_by: null,
      set_by: fx.staff.head,
      reviewed_at: null,
      reviewed_by: null,
      ended_at: null,
      ended_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const deanMatch = newId();
  await db
    .insertInto('buddy_matches')
    .values({
      id: deanMatch,
      school_id: s,
      newcomer_id: fx.carers.mark,
      buddy_id: fx.carers.sarah,
      newcomer_consent_at: now,
      buddy_consent_at: now,
      declined_at: null,
      recorded_by: fx.staff.family_liaison,
      recorded_on: '2026-10-20',
      check_in_on: '2026-11-17',
      checked_in_at: now,
      checked_in_by: fx.staff.family_liaison,
      check_in_note: 'Going well, they walk to school together',
      withdrawn_by: null,
      withdrawn_reason: null,
      ended_by_carer: null,
      created_at: now,
    })
    .execute();
  const role = newId();
  await db
    .insertInto('volunteer_opportunities')
    .values({ id: role, school_id: s, kind: 'trip_helper', title: 'Trip helper', description: 'Help on trips', needs_dbs: 1, status: 'open', created_by: fx.staff.office, created_at: now })
    .execute();
  const deanVolunteer = newId();
  await db
    .insertInto('volunteers')
    .values({
      id: deanVolunteer,
      school_id: s,
      opportunity_id: role,
      carer_id: fx.carers.sarah,
      status: 'approved',
      offer_note: null,
      supervised: 1,
      dbs_certificate: null,
      dbs_checked_on: null,
      barred_list_checked: 0,
      risk_assessment: 'Supervised by the class teacher at all times',
      risk_assessed_on: '2026-11-02',
      approved_on: '2026-11-02',
      approved_by: fx.staff.office,
      review_on: '2099-11-02',
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { leoPlanMeeting: leoMeeting, deanIncident, deanArrangement, deanMatch, deanVolunteer };
}
