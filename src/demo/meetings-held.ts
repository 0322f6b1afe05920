import { emailAgenda } from '../features/meetings/agenda.ts';
import { mailContext } from '../features/meetings/meetings-notify.ts';
import { recordForBooking } from '../features/meetings/record-booking.ts';
import { scheduleMeeting, type StaffActor } from '../features/meetings/meetings-schedule.ts';
import { chooseOffer, offerTimes, requestMeeting } from '../features/meetings/requests.ts';
import { at, BASE_URL, eachOf, minutes, type DemoMeetings } from './meetings-context.ts';
import { pickFamily } from './meetings-families.ts';
import type { DemoEvenings } from './meetings-evenings.ts';
import { carerName, writeRecord, type RecordSpec } from './meetings-record.ts';

/**
 * Meetings the demo school has had: six autumn parents' evening appointments written up (Kuba with
 * each of his parents, Ola, Lily, Leo, and a Year 5 child), and three meetings from October and
 * November with their outcomes, agreed actions and follow-ups. On Monday 23 November three
 * follow-ups are overdue (Lily's, Leo's, and the Year 2 support plan), an action of Mr Hughes's is
 * too, three fall due this week (Kuba's, the Year 5 child's and the Year 6 one), one was kept,
 * and one matter was referred to Mr Green.
 */
const staffActor = (demo: DemoMeetings, key: string): StaffActor => ({ kind: 'staff', id: demo.staff(key), schoolId: demo.schoolId });

type Family = { carerId: string; pupilId: string };

/** The morning's daily run emailed the family this meeting's agenda (two school days ahead), as it does every school day. */
async function agendaWentAhead(demo: DemoMeetings, meeting: { id: string; pupil_id: string }, now: Date): Promise<void> {
  const ctx = await mailContext(demo.db, demo.schoolId, BASE_URL, now);
  const sent = await demo.db.transaction().execute((trx) => emailAgenda(trx, { kind: 'system' }, ctx, meeting));
  if (sent === 0) throw new Error('The demo could not email a meeting agenda: the family has no email address');
}

export async function addHeldMeetings(demo: DemoMeetings, evenings: DemoEvenings): Promise<void> {
  const year2 = pickFamily(demo.people, demo.used, (p) => p.year_group === '2' && p.send_status === 'sen_support');
  const year6 = pickFamily(demo.people, demo.used, (p) => p.year_group === '6');
  const year1 = pickFamily(demo.people, demo.used, (p) => p.year_group === '1');
  const jobs = [...eveningRecords(demo, evenings.autumnId), () => supportPlanReview(demo, year2), () => secondaryTransfer(demo, year6), () => morningsCall(demo, year1)];
  await eachOf(demo, jobs, (job) => job());
}

/** The teacher writes up one appointment of the autumn evening; `record` has its words. */
async function recordAppointment(
  demo: DemoMeetings,
  eveningId: string,
  find: { staffKey: string; carerId?: string; pupilId?: string },
  order: number,
  record: (names: { child: string; carer: string }) => Omit<RecordSpec, 'written' | 'summary'>,
) {
  const staffId = demo.staff(find.staffKey);
  let q = demo.db
    .selectFrom('evening_bookings')
    .select(['id', 'pupil_id', 'carer_id', 'starts_at'])
    .where('evening_id', '=', eveningId)
    .where('staff_id', '=', staffId)
    .where('cancelled_at', 'is', null)
    .orderBy('starts_at');
  if (find.carerId) q = q.where('carer_id', '=', find.carerId);
  if (find.pupilId) q = q.where('pupil_id', '=', find.pupilId);
  const booking = await q.executeTakeFirst();
  if (!booking) throw new Error(`The demo's autumn evening has no appointment with ${find.staffKey} to write up`);
  // Typed up once the session ended; the summaries went the next afternoon.
  const friday = booking.starts_at.startsWith('2026-10-16');
  const written = minutes(friday ? at('2026-10-16', '08:55') : at('2026-10-15', '18:35'), 4 * order);
  const made = await recordForBooking(demo.db, { staffId, schoolId: demo.schoolId, roles: ['teacher'] }, booking.id, written);
  if (!made.ok) throw new Error('The demo could not open the record of an autumn appointment');
  demo.used.add(booking.pupil_id);
  const names = { child: demo.people.childName(booking.pupil_id), carer: carerName(demo.people.carers.get(booking.carer_id)) };
  await writeRecord(demo, made.meetingId, staffId, booking.carer_id, { ...record(names), written, summary: minutes(at('2026-10-16', '15:45'), 3 * order) });
}

function eveningRecords(demo: DemoMeetings, eveningId: string): (() => Promise<void>)[] {
  const j = demo.journey;
  return [
    () =>
      recordAppointment(demo, eveningId, { carerId: j.marta, pupilId: j.kuba, staffKey: 'y3' }, 0, () => ({
        note:
          'Kuba has settled well into Year 3 and is a kind, chatty member of the class. Reading: confident and fluent, now on orange band books; he loves the Vikings topic. ' +
          'Maths: adding is secure; subtracting with exchanging (52 take away 27) is the next step. Ms Nowak asked how we teach it so she can use the same method at home.',
        actions: [
          { who: 'y3', what: 'Send home the subtraction games pack, with a short note on the method we use in class', due: '2026-10-23', done: at('2026-10-21', '15:35') },
          {
            who: 'carer',
            what: 'Read with Kuba for ten minutes, four evenings a week, and sign his reading record',
            due: '2026-12-18',
            // Marta ticked it by mistake (she meant Ola's) and rang; Mr Okafor changed it back the next morning, and her page says so.
            mistakenTick: { at: at('2026-11-19', '19:40'), changedBackAt: at('2026-11-20', '08:35') },
            // Not done yet, but Marta told the school how it is going: Mr Okafor sees it on his home page and the record.
            progressByCarer: { at: at('2026-11-20', '20:15'), note: 'We read most evenings now. Kuba likes the Viking books; I keep forgetting to sign the record.' },
          },
        ],
        outcome:
          'Kuba is doing well, especially in reading. His next step in maths is subtracting with exchanging: school will send home games that use the same method as in class, ' +
          'and Kuba will practise them at home alongside his reading. Mr Okafor will check how it is going at the end of November.',
        followUp: '2026-11-26',
      })),
    () =>
      recordAppointment(demo, eveningId, { carerId: j.tomasz, pupilId: j.kuba, staffKey: 'y3' }, 1, () => ({
        note: 'Phone call with Mr Nowak. The same picture as with Ms Nowak: reading strong, subtraction the next step. Mr Nowak has Kuba every other weekend and asked for things they can do together then.',
        actions: [
          { who: 'y3', what: 'Post a second subtraction games pack to Mr Nowak', due: '2026-10-23', done: at('2026-10-21', '15:40') },
          {
            who: 'carer',
            what: 'Play the subtraction games with Kuba at weekends',
            due: '2026-11-29',
            // Mr Nowak ticked it off himself, from his meeting page: Mr Okafor sees it and his words on the record.
            doneByCarer: { at: at('2026-11-22', '19:30'), note: 'We played the number-line game on Saturday and Sunday. Kuba explained exchanging to me.' },
          },
        ],
        outcome: 'Kuba is doing well. He will practise subtraction with the same games in both homes, so he meets one method, not two.',
        followUp: null,
      })),
    () =>
      recordAppointment(demo, eveningId, { carerId: j.sarah, pupilId: j.lily, staffKey: 'y3' }, 2, () => ({
        note:
          'Lily is thoughtful and hard-working, and a good friend to others. She reads accurately but slowly and sometimes loses the thread of longer sentences. ' +
          'Mrs Dean says Lily is reluctant to read aloud at home.',
        actions: [
          { who: 'y3', what: 'Hear Lily read one-to-one twice a week, and choose books with her that she wants to read', due: '2026-10-23', done: at('2026-10-23', '12:30') },
          { who: 'carer', what: 'Share a bedtime story with Lily, taking turns to read a page each', due: '2026-11-20' },
        ],
        outcome:
          'Lily is doing well. Reading fluency is the focus this term: extra one-to-one reading at school, and taking turns to read at home. Mr Okafor will check her progress with Mrs Dean before the end of November.',
        followUp: '2026-11-20',
      })),
    () =>
      recordAppointment(demo, eveningId, { carerId: j.marta, pupilId: j.ola, staffKey: 'reception' }, 0, () => ({
        note:
          'Ola has settled happily into Reception: she plays well with others and loves the home corner. She is beginning to blend sounds to read simple words. ' +
          'Ms Nowak asked whether speaking Polish at home holds Ola back: it does not, it helps her language grow.',
        actions: [
          { who: 'reception', what: 'Send home the sound mats and a short video of how we say each sound', due: '2026-10-23', done: at('2026-10-20', '16:10') },
          {
            who: 'carer',
            what: 'Practise three sounds a week with Ola, using the sound mats',
            due: '2026-12-11',
            // Marta ticked it off from her meeting page: Mrs Bennett sees it, with her words, on her home page until the follow-up is kept.
            doneByCarer: { at: at('2026-11-21', '10:05'), note: 'We do three sounds every week at breakfast. Ola sings the s-a-t-p song to her brother.' },
          },
        ],
        outcome:
          'Ola has settled well and is starting to read simple words. School will send home the sound mats and a video; Ms Nowak will practise three sounds a week with Ola. Talking in Polish at home helps: please keep going.',
        followUp: '2026-12-03',
      })),
    () =>
      recordAppointment(demo, eveningId, { carerId: j.grace, pupilId: j.leo, staffKey: 'y4' }, 0, () => ({
        note:
          'Leo is enjoying the Romans topic and working well with his one-to-one support in the mornings. His writing stamina is growing: a full page about Boudicca last week. ' +
          'Afternoons are harder when the timetable changes. Mrs Mensah would like to know about changes in advance so she can prepare him at home.',
        actions: [
          { who: 'y4', what: 'Email Mrs Mensah the next week’s timetable every Friday, with any changes marked', due: '2026-10-23', done: at('2026-10-23', '15:50') },
          { who: 'carer', what: 'Talk the coming week through with Leo each Sunday, using the timetable', due: '2026-11-13' },
        ],
        outcome:
          'Leo is making good progress, especially in writing. Ms Hall will send the next week’s timetable every Friday, and Mrs Mensah will talk it through with Leo at the weekend. We will look at how this is working before his EHCP review.',
        followUp: '2026-11-13',
      })),
    // Mr Fraser's first appointment of the evening, whoever it was with.
    () =>
      recordAppointment(demo, eveningId, { staffKey: 'y5' }, 1, ({ child }) => ({
        note: `${child} is doing well in English and loves the class novel. Times tables are not yet quick, which slows ${child} down in written methods. Homework is sometimes not handed in on Thursdays.`,
        actions: [
          { who: 'y5', what: `Give ${child} a log-in for the times-tables practice website`, due: '2026-10-19', done: at('2026-10-19', '08:40') },
          { who: 'carer', what: `Practise times tables with ${child} for ten minutes, three times a week`, due: '2026-11-27' },
        ],
        outcome: `${child} is doing well in English. Quick recall of times tables is the next step: ${child} will practise for ten minutes three times a week at home, with the log-in from school. Mr Fraser will check progress at the end of November.`,
        followUp: '2026-11-27',
      })),
  ];
}

/** Year 2: Mrs Morgan and Mr Hughes review a child's support plan with the family (8 October). */
async function supportPlanReview(demo: DemoMeetings, family: Family): Promise<void> {
  const child = demo.people.childName(family.pupilId);
  const carer = demo.people.carers.get(family.carerId)!;
  const starts = at('2026-10-08', '15:30');
  const scheduled = await scheduleMeeting(
    demo.db,
    staffActor(demo, 'y2'),
    {
      kind: 'progress',
      topic: `How ${child} is getting on with the support plan`,
      pupilId: family.pupilId,
      carerIds: [family.carerId],
      leadId: demo.staff('y2'),
      colleagueId: demo.staff('senco'),
      inviteLiaison: false,
      startsAt: starts.toISOString(),
      endsAt: minutes(starts, 30).toISOString(),
      mode: 'in_person',
      place: 'Room 2',
      videoLink: null,
      interpreterLanguage: carer.interpreter_needed ? carer.preferred_language : null,
      agenda: ['What is going well since September', 'Changes of activity, and the end of the day', 'What helps at home'],
    },
    { now: at('2026-10-01', '16:05'), baseUrl: BASE_URL },
  );
  if (!scheduled.ok) throw new Error(`The demo's support plan review was refused: ${JSON.stringify(scheduled.errors)}`);
  await agendaWentAhead(demo, { id: scheduled.id, pupil_id: family.pupilId }, at('2026-10-06', '07:00'));
  await writeRecord(demo, scheduled.id, demo.staff('y2'), family.carerId, {
    written: at('2026-10-08', '16:10'),
    note:
      `We talked about the first half term. ${child} is happier coming into class since the visual timetable trial started, and joins in well in phonics. ` +
      `Moving between activities and the end of the day are still hard. At home, a five-minute warning and a timer help.`,
    actions: [
      { who: 'senco', what: 'Set up a visual timetable and a calm corner in the Year 2 classroom', due: '2026-10-16', done: at('2026-10-15', '12:20') },
      { who: 'senco', what: `Ask the educational psychology service for advice on helping ${child} with changes in the day`, due: '2026-11-20' },
      { who: 'carer', what: 'Keep using a five-minute warning and a timer before bedtime and before leaving the house', due: '2026-10-23' },
    ],
    outcome:
      `${child} is settling better with a visual timetable. School will add a calm corner and ask for advice on changes in the day; at home the family will keep using a five-minute warning and a timer. ` +
      `We will meet again in the second half of term to see how it is going.`,
    followUp: '2026-11-18',
    summary: at('2026-10-09', '09:05'),
  });
}

/** Year 6: a parent asked to talk about moving to secondary school; Mr Ellison met them and referred one question to Mr Green. */
async function secondaryTransfer(demo: DemoMeetings, family: Family): Promise<void> {
  const child = demo.people.childName(family.pupilId);
  const carer = { kind: 'carer' as const, id: family.carerId, schoolId: demo.schoolId };
  const asked = await requestMeeting(
    demo.db,
    carer,
    {
      pupilId: family.pupilId,
      topic: 'Moving up to secondary school',
      outline: `${child} is worried about moving to secondary school next year: the size of the building and not knowing anyone. We would like to talk about how to help, and whether there can be extra visits.`,
      times: ['after_school'],
      timesWords: 'Any day but Friday',
      mode: 'in_person',
      interpreterLanguage: null,
      urgent: false,
    },
    { now: at('2026-11-03', '20:12'), baseUrl: BASE_URL },
  );
  if (!asked.ok) throw new Error('The demo could not ask for the Year 6 meeting');
  const first = at('2026-11-10', '15:40');
  const second = at('2026-11-12', '15:40');
  const offered = await offerTimes(
    demo.db,
    staffActor(demo, 'y6'),
    asked.id,
    { leadId: demo.staff('y6'), times: [first, second].map((d) => ({ startsAt: d.toISOString(), endsAt: minutes(d, 30).toISOString() })), mode: 'in_person', place: 'Room 9', videoLink: null },
    { now: at('2026-11-04', '12:30'), baseUrl: BASE_URL },
  );
  if (!offered.ok) throw new Error('The demo could not offer times for the Year 6 meeting');
  const offer = await demo.db.selectFrom('meeting_offers').select('id').where('meeting_id', '=', asked.id).orderBy('starts_at').executeTakeFirstOrThrow();
  const chosen = await chooseOffer(demo.db, carer, asked.id, offer.id, { now: at('2026-11-04', '19:05'), baseUrl: BASE_URL });
  if (!chosen.ok) throw new Error(`The demo could not choose a time: ${chosen.problem}`);
  await agendaWentAhead(demo, { id: asked.id, pupil_id: family.pupilId }, at('2026-11-06', '07:00'));
  await writeRecord(demo, asked.id, demo.staff('y6'), family.carerId, {
    written: at('2026-11-10', '16:20'),
    note:
      `${child} is doing well in class but is anxious about the move: the size of the building and not knowing anyone in their form. ` +
      `The family asked whether ${child} could have extra visits to the secondary school in the summer term, with an adult ${child} knows.`,
    actions: [
      { who: 'y6', what: 'Ask the secondary school’s Year 7 lead about extra transition visits', due: '2026-11-27' },
      { who: 'carer', what: `Talk with ${child} about what might be exciting about secondary school, not only what is worrying`, due: '2026-12-11' },
    ],
    outcome:
      `${child} is doing well in Year 6 but worried about the move to secondary school. Mr Ellison will ask the secondary school about extra visits, ` +
      `and has asked Mr Green whether a teaching assistant can go with ${child}. We will let you know by the follow-up date.`,
    followUp: '2026-11-24',
    summary: at('2026-11-11', '08:20'),
    refer: {
      to: 'deputy',
      note: `The family would like a teaching assistant to go with ${child} on extra transition visits next term. That needs a staffing decision: could you decide before the follow-up on 24 November?`,
      at: at('2026-11-11', '08:30'),
    },
  });
}

/** Year 1: Ms Coles rang a parent about getting to school on time (21 October); the follow-up was kept. A worry she heard went to the DSL. */
async function morningsCall(demo: DemoMeetings, family: Family): Promise<void> {
  const child = demo.people.childName(family.pupilId);
  const starts = at('2026-10-21', '08:20');
  const scheduled = await scheduleMeeting(
    demo.db,
    staffActor(demo, 'y1'),
    {
      kind: 'appointment',
      topic: 'Getting to school on time in the mornings',
      pupilId: family.pupilId,
      carerIds: [family.carerId],
      leadId: demo.staff('y1'),
      colleagueId: null,
      inviteLiaison: false,
      startsAt: starts.toISOString(),
      endsAt: minutes(starts, 15).toISOString(),
      mode: 'phone',
      place: null,
      videoLink: null,
      interpreterLanguage: null,
      agenda: ['How mornings are going', 'Breakfast club'],
    },
    { now: at('2026-10-15', '15:50'), baseUrl: BASE_URL },
  );
  if (!scheduled.ok) throw new Error(`The demo's phone call was refused: ${JSON.stringify(scheduled.errors)}`);
  await writeRecord(demo, scheduled.id, demo.staff('y1'), family.carerId, {
    written: at('2026-10-21', '08:45'),
    // Written as a second note and passed to the DSL: the family sees the summary, never this.
    concern: {
      note: `On the call we heard that on the evenings the family works late, ${child} is looked after by a 12-year-old cousin until about 10pm and sometimes makes their own tea. Passing to the DSL in case it is a worry.`,
      at: at('2026-10-21', '08:50'),
      readBy: [
        { who: 'dsl', at: at('2026-10-21', '09:20') },
        { who: 'deputy', at: at('2026-10-21', '12:35') },
        { who: 'dsl', at: at('2026-10-22', '08:10') },
      ],
    },
    note: `A friendly call. ${child} has arrived after 9 o’clock several times this half term, mostly on Tuesdays and Thursdays when the family starts work early, and misses the start of phonics. We talked about breakfast club.`,
    actions: [
      { who: 'office', what: `Book ${child} into breakfast club on Tuesdays and Thursdays`, due: '2026-10-23', done: at('2026-10-22', '10:05') },
      { who: 'carer', what: `Bring ${child} to breakfast club from 7:45 on Tuesdays and Thursdays`, due: '2026-11-03' },
    ],
    outcome: `${child} will go to breakfast club on Tuesdays and Thursdays, so mornings are calmer and phonics starts on time. Ms Coles will check in with you after half term.`,
    followUp: '2026-11-11',
    summary: at('2026-10-21', '16:00'),
    kept: at('2026-11-11', '15:40'),
  });
}
