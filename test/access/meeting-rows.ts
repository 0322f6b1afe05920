import type { TestApp } from '../support/app.ts';
import { scheduleMeeting } from '../../src/features/meetings/meetings-schedule.ts';
import { requestMeeting } from '../../src/features/meetings/requests.ts';
import { offerTimes } from '../../src/features/meetings/requests.ts';
import { newId } from '../../src/platform/ids.ts';
import { insertMeeting } from '../../src/features/meetings/record-test-data.ts';
import { mine, perPerson, type FeatureRows, type Who } from './types.ts';

/**
 * Meetings on request, arranging, agendas, calendar files and safety plans: every route, who may use it.
 * The staff rows use meetings about Leo (Year 4): staff whose reach includes him, and leaders, may
 * open them; Mr Okafor (Year 3) may not, nor may a governor. The carer rows use Marta's own meeting.
 */
const SEE_LEO: Who[] = ['head', 'senior_leader', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison'];
const ALL_BUT_GOVERNORS: Who[] = ['head', 'senior_leader', 'teacher', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison'];
const CARER: Who[] = ['carer'];
const STAFF_ORDER: Who[] = ['head', 'senior_leader', 'teacher', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison', 'other_head'];

/** A date some days from today, as typed (26/1/2027). */
function daysAhead(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()}`;
}

async function setup(t: TestApp) {
  const now = new Date();
  const inAWeek = (minutes: number) => new Date(now.getTime() + 7 * 86_400_000 + minutes * 60_000).toISOString();
  const send = { now, baseUrl: 'http://gatepost.test' };
  const arrange = async (lead: string, pupilId: string, carerId: string, later = 0) => {
    const r = await scheduleMeeting(
      t.db,
      { kind: 'staff', id: lead, schoolId: t.fx.school.id },
      {
        kind: 'appointment',
        topic: 'Access',
        pupilId,
        carerIds: [carerId],
        leadId: lead,
        colleagueId: null,
        inviteLiaison: false,
        startsAt: inAWeek(later),
        endsAt: inAWeek(later + 20),
        mode: 'phone',
        place: null,
        videoLink: null,
        interpreterLanguage: null,
      },
      send,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.id;
  };
  const leoMeeting = await arrange(t.fx.staff.teacher2, t.fx.pupils.leo, t.fx.carers.grace);
  const martaMeeting = await arrange(t.fx.staff.teacher, t.fx.pupils.kuba, t.fx.carers.marta);
  const ask = async (carerId: string, pupilId: string) => {
    const asked = await requestMeeting(
      t.db,
      { kind: 'carer', id: carerId, schoolId: t.fx.school.id },
      { pupilId, topic: 'Access', outline: 'Access', times: ['evening'], timesWords: null, mode: 'phone', interpreterLanguage: null, urgent: false },
      send,
    );
    if (!asked.ok) throw new Error('A carer could not ask for a meeting');
    return asked.id;
  };
  // Marta asked for a meeting, and Mr Okafor offered her a time to choose.
  const martaAsked = await ask(t.fx.carers.marta, t.fx.pupils.kuba);
  const offered = await offerTimes(
    t.db,
    { kind: 'staff', id: t.fx.staff.teacher, schoolId: t.fx.school.id },
    martaAsked,
    { leadId: t.fx.staff.teacher, times: [{ startsAt: inAWeek(120), endsAt: inAWeek(140) }], mode: 'phone', place: null, videoLink: null },
    send,
  );
  if (!offered.ok) throw new Error(`Mr Okafor could not offer a time: ${JSON.stringify(offered)}`);
  const offer = await t.db.selectFrom('meeting_offers').select('id').where('meeting_id', '=', martaAsked).executeTakeFirstOrThrow();
  // A meeting Marta has had, its summary sent: an action of hers to mark done, and one she marked done to undo.
  const martaHeld = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.kuba, leadId: t.fx.staff.teacher, carerIds: [t.fx.carers.marta], status: 'held', topic: 'Reading plan' });
  await t.db.updateTable('meetings').set({ outcome: 'A reading plan.', summary_sent_at: now.toISOString() }).where('id', '=', martaHeld).execute();
  const martaAction = async (what: string, doneAt: string | null) => {
    const id = newId();
    await t.db
      .insertInto('meeting_actions')
      .values({
        id,
        school_id: t.fx.school.id,
        meeting_id: martaHeld,
        owner_kind: 'carer',
        staff_id: null,
        carer_id: t.fx.carers.marta,
        what,
        due_on: '2099-01-01',
        done_at: doneAt,
        done_by_carer_id: doneAt ? t.fx.carers.marta : null,
        carer_note: null,
        created_at: now.toISOString(),
      })
      .execute();
    return id;
  };
  // A request each to offer times for, and a meeting each to send the agenda of, invite the liaison officer to, and cancel.
  let later = 0;
  return {
    martaHeld,
    martaOpenAction: await martaAction('Read with Kuba three evenings a week', null),
    martaDoneAction: await martaAction('Sign the reading record', now.toISOString()),
    martaProgressAction: await martaAction('Practise spellings at breakfast', null),
    leoMeeting,
    leoRequest: await ask(t.fx.carers.grace, t.fx.pupils.leo),
    martaMeeting,
    martaAsked,
    martaOffer: offer.id,
    ...(await perPerson('ownLeoRequest', SEE_LEO, () => ask(t.fx.carers.grace, t.fx.pupils.leo))),
    ...(await perPerson('ownLeoMeeting', SEE_LEO, () => arrange(t.fx.staff.teacher2, t.fx.pupils.leo, t.fx.carers.grace, (later += 30)))),
  };
}

export const meetingRows: FeatureRows = {
  setup,
  rows: {
    'GET /meetings': { allowed: ALL_BUT_GOVERNORS, url: () => '/meetings' },
    'GET /meetings/new': { allowed: ALL_BUT_GOVERNORS, url: () => '/meetings/new' },
    // Each arranges a phone call with Kuba's family, led by Mr Okafor, on a day of their own (the other school's head, with theirs).
    'POST /meetings/new': {
      allowed: ALL_BUT_GOVERNORS,
      url: () => '/meetings/new',
      form: (f, _ids, who) => ({
        form_id: newId(),
        kind: 'appointment',
        topic: `Settling in (${who})`,
        ...(who === 'other_head'
          ? { pupil_id: f.pupils.otherPupil, carer_ids: f.carers.otherCarer, lead_id: f.staff.otherHead }
          : { pupil_id: f.pupils.kuba, carer_ids: f.carers.marta, lead_id: f.staff.teacher }),
        date: daysAhead(20 + STAFF_ORDER.indexOf(who)),
        time: '15:30',
        minutes: '30',
        mode: 'phone',
      }),
    },
    'GET /meetings/:meetingId': { allowed: SEE_LEO, url: (_f, ids) => `/meetings/${ids.leoMeeting}` },
    'POST /meetings/:meetingId/offer': {
      allowed: SEE_LEO,
      url: (_f, ids, who) => `/meetings/${mine(ids, 'ownLeoRequest', who)}/offer`,
      form: (f, _ids, who) => ({ lead_id: f.staff.teacher2, minutes: '30', mode: 'phone', date_1: daysAhead(30 + STAFF_ORDER.indexOf(who)), time_1: '16:00' }),
    },
    'POST /meetings/:meetingId/agenda': {
      allowed: SEE_LEO,
      url: (_f, ids) => `/meetings/${ids.leoMeeting}/agenda`,
      form: (_f, _ids, who) => ({ agenda_text: `Settling in after half term (${who})` }),
    },
    'POST /meetings/:meetingId/agenda/send': { allowed: SEE_LEO, url: (_f, ids, who) => `/meetings/${mine(ids, 'ownLeoMeeting', who)}/agenda/send`, form: () => ({}) },
    'POST /meetings/:meetingId/liaison': { allowed: SEE_LEO, url: (_f, ids, who) => `/meetings/${mine(ids, 'ownLeoMeeting', who)}/liaison`, form: () => ({}) },
    'POST /meetings/:meetingId/cancel': {
      allowed: SEE_LEO,
      url: (_f, ids, who) => `/meetings/${mine(ids, 'ownLeoMeeting', who)}/cancel`,
      form: () => ({ reason: 'Ms Hall is ill' }),
    },
    'GET /meetings/:meetingId/safety-plan': { allowed: SEE_LEO, url: (_f, ids) => `/meetings/${ids.leoMeeting}/safety-plan` },
    'POST /meetings/:meetingId/safety-plan': {
      allowed: SEE_LEO,
      url: (_f, ids) => `/meetings/${ids.leoMeeting}/safety-plan`,
      form: (f, _ids, who) => ({ colleague_id: f.staff.dsl, colleague_presence: 'within_earshot', room: `Room 2 (${who})`, clear_route_out: 'yes', neutral_and_private: 'yes' }),
    },
    'GET /meetings/:meetingId/calendar.ics': { allowed: SEE_LEO, url: (_f, ids) => `/meetings/${ids.leoMeeting}/calendar.ics` },
    'GET /my-meetings': { allowed: CARER, url: () => '/my-meetings' },
    'GET /my-meetings/request': { allowed: CARER, url: () => '/my-meetings/request' },
    'POST /my-meetings/request': {
      allowed: CARER,
      url: () => '/my-meetings/request',
      form: (f, _ids, who) => ({
        form_id: newId(),
        pupil_id: who === 'other_carer' ? f.pupils.otherPupil : f.pupils.kuba,
        topic: 'Reading',
        outline: 'How to help Kuba read at home',
        times: 'evening',
        mode: 'phone',
        interpreter: 'no',
        urgent: 'no',
      }),
    },
    'GET /my-meetings/:meetingId': { allowed: CARER, url: (_f, ids) => `/my-meetings/${ids.martaMeeting}` },
    'POST /my-meetings/:meetingId/choose': { allowed: CARER, url: (_f, ids) => `/my-meetings/${ids.martaAsked}/choose`, form: (_f, ids) => ({ offer_id: ids.martaOffer! }) },
    'POST /my-meetings/:meetingId/questions': { allowed: CARER, url: (_f, ids) => `/my-meetings/${ids.martaMeeting}/questions`, form: () => ({ question: 'Is Kuba making friends?' }) },
    'POST /my-meetings/:meetingId/prep-help': { allowed: CARER, url: (_f, ids) => `/my-meetings/${ids.martaMeeting}/prep-help`, form: (f) => ({ staff_id: f.staff.family_liaison }) },
    // Her own action from a meeting she has had: marked done (with how it is going), and another back to not done yet.
    'POST /my-meetings/:meetingId/actions/:actionId/done': {
      allowed: CARER,
      url: (_f, ids) => `/my-meetings/${ids.martaHeld}/actions/${ids.martaOpenAction}/done`,
      form: () => ({ note: 'We read on Mondays and Wednesdays' }),
    },
    'POST /my-meetings/:meetingId/actions/:actionId/progress': {
      allowed: CARER,
      url: (_f, ids) => `/my-meetings/${ids.martaHeld}/actions/${ids.martaProgressAction}/progress`,
      form: () => ({ note: 'Two evenings so far' }),
    },
    'POST /my-meetings/:meetingId/actions/:actionId/not-done': {
      allowed: CARER,
      url: (_f, ids) => `/my-meetings/${ids.martaHeld}/actions/${ids.martaDoneAction}/not-done`,
      form: () => ({}),
    },
    'GET /my-meetings/:meetingId/calendar.ics': { allowed: CARER, url: (_f, ids) => `/my-meetings/${ids.martaMeeting}/calendar.ics` },
  },
};
