import type { TestApp } from '../support/app.ts';
import { scheduleMeeting } from '../../src/features/meetings/meetings-schedule.ts';
import { requestMeeting } from '../../src/features/meetings/requests.ts';
import type { FeatureRows, Who } from './types.ts';

/**
 * Meetings on request, arranging, agendas, calendar files and safety plans: every route, who may use it.
 * The staff rows use meetings about Leo (Year 4): staff whose reach includes him, and leaders, may
 * open them; Mr Okafor (Year 3) may not, nor may a governor. The carer rows use Marta's own meeting.
 */
const SEE_LEO: Who[] = ['head', 'senior_leader', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison'];
const ALL_BUT_GOVERNORS: Who[] = ['head', 'senior_leader', 'teacher', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison'];
const CARER: Who[] = ['carer'];

async function setup(t: TestApp) {
  const now = new Date();
  const inAWeek = (minutes: number) => new Date(now.getTime() + 7 * 86_400_000 + minutes * 60_000).toISOString();
  const send = { now, baseUrl: 'http://gatepost.test' };
  const arrange = async (lead: string, pupilId: string, carerId: string) => {
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
        startsAt: inAWeek(0),
        endsAt: inAWeek(20),
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
  const asked = await requestMeeting(
    t.db,
    { kind: 'carer', id: t.fx.carers.grace, schoolId: t.fx.school.id },
    { pupilId: t.fx.pupils.leo, topic: 'Access', outline: 'Access', times: ['evening'], timesWords: null, mode: 'phone', interpreterLanguage: null, urgent: false },
    send,
  );
  if (!asked.ok) throw new Error('Grace could not ask for a meeting');
  return { leoMeeting, leoRequest: asked.id, martaMeeting };
}

export const meetingRows: FeatureRows = {
  setup,
  rows: {
    'GET /meetings': { allowed: ALL_BUT_GOVERNORS, url: () => '/meetings' },
    'GET /meetings/new': { allowed: ALL_BUT_GOVERNORS, url: () => '/meetings/new' },
    'POST /meetings/new': { allowed: ALL_BUT_GOVERNORS, url: () => '/meetings/new' },
    'GET /meetings/:meetingId': { allowed: SEE_LEO, url: (_f, ids) => `/meetings/${ids.leoMeeting}` },
    'POST /meetings/:meetingId/offer': { allowed: SEE_LEO, url: (_f, ids) => `/meetings/${ids.leoRequest}/offer` },
    'POST /meetings/:meetingId/agenda': {
      allowed: SEE_LEO,
      url: (_f, ids) => `/meetings/${ids.leoMeeting}/agenda`,
      form: (_f, _ids, who) => ({ agenda_text: `Settling in after half term (${who})` }),
    },
    'POST /meetings/:meetingId/agenda/send': { allowed: SEE_LEO, url: (_f, ids) => `/meetings/${ids.leoMeeting}/agenda/send` },
    'POST /meetings/:meetingId/liaison': { allowed: SEE_LEO, url: (_f, ids) => `/meetings/${ids.leoMeeting}/liaison` },
    'POST /meetings/:meetingId/cancel': { allowed: SEE_LEO, url: (_f, ids) => `/meetings/${ids.leoMeeting}/cancel` },
    'GET /meetings/:meetingId/safety-plan': { allowed: SEE_LEO, url: (_f, ids) => `/meetings/${ids.leoMeeting}/safety-plan` },
    'POST /meetings/:meetingId/safety-plan': { allowed: SEE_LEO, url: (_f, ids) => `/meetings/${ids.leoMeeting}/safety-plan` },
    'GET /meetings/:meetingId/calendar.ics': { allowed: SEE_LEO, url: (_f, ids) => `/meetings/${ids.leoMeeting}/calendar.ics` },
    'GET /my-meetings': { allowed: CARER, url: () => '/my-meetings' },
    'GET /my-meetings/request': { allowed: CARER, url: () => '/my-meetings/request' },
    'POST /my-meetings/request': { allowed: CARER, url: () => '/my-meetings/request' },
    'GET /my-meetings/:meetingId': { allowed: CARER, url: (_f, ids) => `/my-meetings/${ids.martaMeeting}` },
    'POST /my-meetings/:meetingId/choose': { allowed: CARER, url: (_f, ids) => `/my-meetings/${ids.martaMeeting}/choose` },
    'POST /my-meetings/:meetingId/questions': { allowed: CARER, url: (_f, ids) => `/my-meetings/${ids.martaMeeting}/questions`, form: () => ({ question: 'Is Kuba making friends?' }) },
    'POST /my-meetings/:meetingId/prep-help': { allowed: CARER, url: (_f, ids) => `/my-meetings/${ids.martaMeeting}/prep-help` },
    'GET /my-meetings/:meetingId/calendar.ics': { allowed: CARER, url: (_f, ids) => `/my-meetings/${ids.martaMeeting}/calendar.ics` },
  },
};
