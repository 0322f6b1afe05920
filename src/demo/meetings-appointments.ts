import { addAgendaItem, askPrepHelp } from '../features/meetings/agenda.ts';
import { scheduleMeeting, type StaffActor } from '../features/meetings/meetings-schedule.ts';
import { offerTimes, requestMeeting, type CarerActor } from '../features/meetings/requests.ts';
import { saveSafetyPlan } from '../features/meetings/safety.ts';
import { at, BASE_URL, coming, eachOf, minutes, type DemoMeetings } from './meetings-context.ts';
import { pickFamily } from './meetings-families.ts';
import { carerName } from './meetings-record.ts';

/**
 * Meetings still to come on Monday 23 November (moved on by whole weeks when the demo starts later): journey 6's difficult meeting (arranged, with its
 * safety plan, so Mrs Patel has the alert, and the father's own question on the agenda), Grace
 * Mensah's request about Leo's EHCP review (she asked Mr Hughes to help her prepare), an urgent
 * request from Sunday evening waiting for a senior leader, Tomasz's request with two times offered
 * for him to choose, and Miss Price's home visit to Ayaan and Faduma with Ms Lewis and an interpreter.
 */
const staffActor = (demo: DemoMeetings, key: string): StaffActor => ({ kind: 'staff', id: demo.staff(key), schoolId: demo.schoolId });
const carerActor = (demo: DemoMeetings, id: string): CarerActor => ({ kind: 'carer', id, schoolId: demo.schoolId });

type Family = { carerId: string; pupilId: string };

export async function addComingMeetings(demo: DemoMeetings, gate: Family): Promise<void> {
  const year5 = pickFamily(demo.people, demo.used, (p) => p.year_group === '5');
  const jobs = [() => difficultMeeting(demo, gate), () => homeVisit(demo), () => tomaszAsks(demo), () => graceAsks(demo), () => urgentRequest(demo, year5)];
  await eachOf(demo, jobs, (job) => job());
}

/** Journey 6: the father was angry at the gate on Thursday; Mr Okafor arranges a meeting for the next Thursday. */
async function difficultMeeting(demo: DemoMeetings, gate: Family): Promise<void> {
  const child = demo.people.childName(gate.pupilId);
  const father = carerName(demo.people.carers.get(gate.carerId));
  const okafor = staffActor(demo, 'y3');
  const starts = coming(demo, '2026-11-26', '15:45');
  const opts = { now: at('2026-11-19', '16:30'), baseUrl: BASE_URL };
  const scheduled = await scheduleMeeting(
    demo.db,
    okafor,
    {
      kind: 'appointment',
      topic: 'Lunchtimes, and how we keep you informed',
      pupilId: gate.pupilId,
      carerIds: [gate.carerId],
      leadId: okafor.id,
      colleagueId: null,
      inviteLiaison: false,
      startsAt: starts.toISOString(),
      endsAt: minutes(starts, 30).toISOString(),
      mode: 'in_person',
      place: 'Family room',
      videoLink: null,
      interpreterLanguage: null,
      agenda: [`How ${child} is getting on in class`, 'What happened at lunchtime on Wednesday 18 November', 'When and how we tell you if your child has been kept in'],
    },
    opts,
  );
  if (!scheduled.ok) throw new Error(`The demo's difficult meeting was refused: ${JSON.stringify(scheduled.errors)}`);
  const plan = await saveSafetyPlan(
    demo.db,
    okafor,
    scheduled.id,
    {
      colleagueId: demo.staff('deputy'),
      presence: 'within_earshot',
      room: 'Family room',
      clearRouteOut: true,
      neutralAndPrivate: true,
      notes:
        `${father} was upset at the gate at pick-up on Thursday 19 November and raised his voice. Mr Green will be in the office next door with the door ajar. ` +
        'Mr Okafor sits nearest the door; offer a drink; either of us may pause the meeting if it becomes heated.',
    },
    { ...opts, now: minutes(opts.now, 10) },
  );
  if (!plan.ok) throw new Error('The demo could not save the safety plan');
  const question = await addAgendaItem(demo.db, carerActor(demo, gate.carerId), scheduled.id, `Why was I not told the same day that ${child} had been kept in?`, {
    now: at('2026-11-21', '10:15'),
    baseUrl: BASE_URL,
  });
  if (!question.ok) throw new Error(`The demo could not add the father's question: ${question.problem}`);
}

/** Miss Price visits Ayaan at home with Ms Lewis; Mrs Warsame will have a Somali interpreter. */
async function homeVisit(demo: DemoMeetings): Promise<void> {
  const j = demo.journey;
  const starts = coming(demo, '2026-12-01', '10:00');
  const scheduled = await scheduleMeeting(
    demo.db,
    staffActor(demo, 'nursery'),
    {
      kind: 'home_visit',
      topic: 'Home visit: how Ayaan is settling in to Nursery',
      pupilId: j.ayaan,
      carerIds: [j.faduma],
      leadId: demo.staff('nursery'),
      colleagueId: demo.staff('flo'),
      inviteLiaison: false,
      startsAt: starts.toISOString(),
      endsAt: minutes(starts, 45).toISOString(),
      mode: 'in_person',
      place: 'At home: Flat 12, Jubilee House, Queens Road',
      videoLink: null,
      interpreterLanguage: 'Somali',
      interpreterBy: 'professional',
      agenda: [
        'What Ayaan enjoys playing with at home',
        'Mornings, and saying goodbye at the Nursery door',
        'Any questions Mrs Warsame has about Nursery',
        'How Mrs Warsame would like to hear from us: a phone call with an interpreter',
      ],
    },
    { now: at('2026-11-17', '11:05'), baseUrl: BASE_URL },
  );
  if (!scheduled.ok) throw new Error(`The demo's home visit was refused: ${JSON.stringify(scheduled.errors)}`);
}

/** Tomasz asks to talk about Ola; Mrs Bennett offers two mornings and he has not chosen yet. */
async function tomaszAsks(demo: DemoMeetings): Promise<void> {
  const j = demo.journey;
  const asked = await requestMeeting(
    demo.db,
    carerActor(demo, j.tomasz),
    {
      pupilId: j.ola,
      topic: 'How Ola is settling in, and phonics',
      outline:
        'Ola stays with me every other weekend. I would like to know how she is settling in to Reception, and how I can help with her phonics when she is with me, so we do the same as her mum.',
      times: ['before_school'],
      timesWords: 'I work late shifts, so mornings are best',
      mode: 'in_person',
      interpreterLanguage: null,
      urgent: false,
    },
    { now: at('2026-11-16', '21:10'), baseUrl: BASE_URL },
  );
  if (!asked.ok) throw new Error('The demo could not ask for the meeting about Ola');
  const times = [coming(demo, '2026-11-25', '08:20'), coming(demo, '2026-11-27', '08:20')].map((d) => ({ startsAt: d.toISOString(), endsAt: minutes(d, 20).toISOString() }));
  const offered = await offerTimes(
    demo.db,
    staffActor(demo, 'reception'),
    asked.id,
    { leadId: demo.staff('reception'), times, mode: 'in_person', place: 'Reception (Robins room)', videoLink: null },
    { now: at('2026-11-18', '15:50'), baseUrl: BASE_URL },
  );
  if (!offered.ok) throw new Error('The demo could not offer times to Tomasz');
}

/** Grace asks for a meeting before Leo's EHCP review, asks Mr Hughes to help her prepare, and adds a question. */
async function graceAsks(demo: DemoMeetings): Promise<void> {
  const j = demo.journey;
  const grace = carerActor(demo, j.grace);
  const when = at('2026-11-19', '19:40');
  const asked = await requestMeeting(
    demo.db,
    grace,
    {
      pupilId: j.leo,
      topic: 'Leo’s EHCP annual review',
      outline: 'Leo’s annual review is due in January. Before it, I would like to talk about his targets, the support he has in class, and how he is finding the new reading group.',
      times: ['after_school'],
      timesWords: 'Not Wednesdays',
      mode: 'in_person',
      interpreterLanguage: null,
      urgent: false,
    },
    { now: when, baseUrl: BASE_URL },
  );
  if (!asked.ok) throw new Error('The demo could not ask for the meeting about Leo');
  const help = await askPrepHelp(demo.db, grace, asked.id, demo.staff('senco'), { now: minutes(when, 3), baseUrl: BASE_URL });
  if (!help.ok) throw new Error(`The demo could not ask Mr Hughes for help: ${help.problem}`);
  const question = await addAgendaItem(demo.db, grace, asked.id, 'Can Leo keep his one-to-one support at lunchtimes after the review?', { now: minutes(when, 6), baseUrl: BASE_URL });
  if (!question.ok) throw new Error(`The demo could not add Grace's question: ${question.problem}`);
}

/** Sunday evening: a Year 5 parent asks urgently; the head and senior leaders read the outline first. */
async function urgentRequest(demo: DemoMeetings, family: Family): Promise<void> {
  const child = demo.people.childName(family.pupilId);
  const carer = demo.people.carers.get(family.carerId)!;
  const asked = await requestMeeting(
    demo.db,
    carerActor(demo, family.carerId),
    {
      pupilId: family.pupilId,
      topic: 'Friendship worries at lunchtime',
      outline: `${child} has come home upset three days running about being left out at lunchtime, and did not want to come to school on Friday. I would like to talk to someone as soon as possible, before school if you can.`,
      times: ['before_school'],
      timesWords: 'Monday or Tuesday if possible',
      mode: 'in_person',
      interpreterLanguage: carer.interpreter_needed ? carer.preferred_language : null,
      urgent: true,
    },
    { now: at('2026-11-22', '20:45'), baseUrl: BASE_URL },
  );
  if (!asked.ok) throw new Error('The demo could not make the urgent request');
}
