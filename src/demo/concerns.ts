import type { Db } from '../db/database.ts';
import type { ConcernCategory, ConcernContactBy, ConcernReceivedVia } from '../db/schema.ts';
import { answerConcern } from '../features/concerns/answer.ts';
import { addEntry, closeConcern, triageConcern, type StaffBy } from '../features/concerns/commands.ts';
import { raiseConcern } from '../features/concerns/raise.ts';
import type { Plan } from './builder.ts';
import type { JourneyIds } from './journeys.ts';
import { BASE_URL } from './meetings-context.ts';

/**
 * The demo school's term of concerns, written through the concerns feature's own functions at the
 * time each happened: most settled quickly (passed on the same day, closed within a few days, the
 * family saying "yes, resolved"), one reopened by the family ("not yet") and still being dealt with,
 * one past its date, a second one about Kuba this term (the head's early warning), one logged by the
 * office from Faduma's phone call, and a new one waiting to be passed on.
 */
type Spec = {
  pupil: string;
  carer: string;
  raised: string;
  via?: ConcernReceivedVia;
  loggedBy?: string;
  contactBy: ConcernContactBy;
  what: string;
  wouldLike: string;
  pass?: { at: string; by: string; to: string; category: ConcernCategory; days: number };
  contact?: { at: string; what: string };
  close?: { at: string; outcome: string };
  answer?: { at: string; answer: 'yes' | 'not_yet'; why?: string };
};

const at = (date: string, time = '09:30') => `${date}T${time}:00.000Z`;

export async function addDemoConcerns(db: Db, input: { schoolId: string; plan: Plan; journey: JourneyIds }): Promise<number> {
  const { schoolId, plan, journey: j } = input;
  const staff = (key: string) => {
    const id = plan.staffIds[key];
    if (!id) throw new Error(`The demo school has no member of staff "${key}"`);
    return id;
  };
  // Three generated families (the first with an email among the later pupils), for concerns settled quickly.
  const used = new Set([j.kuba, j.ola, j.lily, j.leo, j.ayaan]);
  const others: { pupil: string; carer: string; name: string }[] = [];
  for (const link of plan.links) {
    if (others.length === 3) break;
    const carer = plan.carers.find((c) => c.id === link.carer_id);
    const pupil = plan.pupils.find((p) => p.id === link.pupil_id);
    if (used.has(link.pupil_id) || !carer?.email || !pupil || link.may_receive_information !== 1 || link.lives_with_pupil !== 1 || !['2', '5', '6'].includes(pupil.year_group)) continue;
    if (others.some((o) => o.pupil === link.pupil_id)) continue;
    others.push({ pupil: link.pupil_id, carer: link.carer_id, name: pupil.preferred_name ?? pupil.given_name });
  }
  const [a, b, c] = others;
  if (!a || !b || !c) throw new Error('The demo school has too few families for its concerns');

  const specs: Spec[] = [
    {
      pupil: j.kuba,
      carer: j.marta,
      raised: at('2026-09-14', '19:40'),
      contactBy: 'email',
      what: 'Kuba says some older boys take his ball at lunchtime and laugh at his accent.',
      wouldLike: 'Someone to watch the playground at lunch, and to tell me what you find.',
      pass: { at: at('2026-09-15', '08:10'), by: 'head', to: 'y3', category: 'bullying', days: 5 },
      contact: { at: at('2026-09-15', '15:40'), what: 'Spoke to Mrs Nowak at the gate: lunchtime staff are watching the football area; Kuba knows to tell Mrs Kaur.' },
      close: {
        at: at('2026-09-18', '16:00'),
        outcome: 'Lunchtime staff watched the football area all week and spoke to the boys involved. Kuba now plays with his class at lunch and has a named adult to go to.',
      },
      answer: { at: at('2026-09-19', '10:15'), answer: 'yes' },
    },
    {
      pupil: a.pupil,
      carer: a.carer,
      raised: at('2026-09-22', '20:05'),
      contactBy: 'email',
      what: `${a.name} has had the same reading book for three weeks.`,
      wouldLike: 'A new book, and to know how reading is going.',
      pass: { at: at('2026-09-23', '08:05'), by: 'head', to: 'deputy', category: 'learning', days: 3 },
      close: { at: at('2026-09-24', '15:30'), outcome: 'The class teacher has changed the book and will change it every Monday and Thursday from now on.' },
      answer: { at: at('2026-09-24', '19:00'), answer: 'yes' },
    },
    {
      pupil: b.pupil,
      carer: b.carer,
      raised: at('2026-10-05', '07:50'),
      contactBy: 'phone',
      what: 'The newsletter said the trip money was due Friday, but the letter said Monday.',
      wouldLike: 'To know which is right.',
      pass: { at: at('2026-10-05', '09:00'), by: 'deputy', to: 'office', category: 'communication', days: 2 },
      close: { at: at('2026-10-05', '12:20'), outcome: 'Monday is right. We have corrected the newsletter on Gatepost and texted every family in the year group.' },
      answer: { at: at('2026-10-05', '18:30'), answer: 'yes' },
    },
    {
      pupil: c.pupil,
      carer: c.carer,
      raised: at('2026-10-12', '21:10'),
      contactBy: 'email',
      what: `${c.name} was marked late three times, but we were at the gate before the bell each time.`,
      wouldLike: 'The marks corrected.',
      pass: { at: at('2026-10-13', '08:20'), by: 'head', to: 'office', category: 'attendance', days: 3 },
      close: { at: at('2026-10-14', '11:00'), outcome: 'The gate opened late on those mornings. The three marks are corrected, and the gate now opens at 8:40.' },
      answer: { at: at('2026-10-14', '17:45'), answer: 'yes' },
    },
    {
      pupil: j.leo,
      carer: j.grace,
      raised: at('2026-11-02', '20:30'),
      contactBy: 'meeting',
      what: 'Leo’s one-to-one support has not been there in the afternoons since half term.',
      wouldLike: 'The support his EHCP says he should have, every afternoon.',
      pass: { at: at('2026-11-03', '08:15'), by: 'head', to: 'senco', category: 'send', days: 5 },
      contact: { at: at('2026-11-04', '15:30'), what: 'Met Mrs Mensah: a teaching assistant was off sick; cover arranged from Monday.' },
      close: { at: at('2026-11-06', '16:10'), outcome: 'A teaching assistant was off sick. Leo has had cover support every afternoon since Monday, and we will tell you at once if it changes.' },
      answer: { at: at('2026-11-09', '19:20'), answer: 'not_yet', why: 'The cover is a different person each day and Leo is finding it hard.' },
    },
    {
      pupil: j.ayaan,
      carer: j.faduma,
      raised: at('2026-11-05', '08:55'),
      via: 'phone',
      loggedBy: 'office',
      contactBy: 'phone',
      what: 'Ayaan came home without his coat again; his grandmother cannot afford another.',
      wouldLike: 'Find the coat.',
      pass: { at: at('2026-11-05', '09:30'), by: 'head', to: 'nursery', category: 'other', days: 2 },
      close: { at: at('2026-11-06', '15:15'), outcome: 'The coat was in the Reception cloakroom. It now has Ayaan’s name in it, and Miss Price checks his peg at home time.' },
    },
    {
      pupil: j.lily,
      carer: j.sarah,
      raised: at('2026-11-03', '18:00'),
      contactBy: 'email',
      what: 'Lily says a lunchtime supervisor shouted at her in front of everyone.',
      wouldLike: 'To know what happened, and for it not to happen again.',
      pass: { at: at('2026-11-04', '08:00'), by: 'head', to: 'deputy', category: 'staff_conduct', days: 5 },
    },
    {
      pupil: j.kuba,
      carer: j.marta,
      raised: at('2026-11-19', '20:15'),
      contactBy: 'email',
      what: 'Kuba’s homework is much harder since half term and he cries doing it.',
      wouldLike: 'Homework he can do, and a talk with Mr Okafor.',
      pass: { at: at('2026-11-20', '08:10'), by: 'head', to: 'y3', category: 'learning', days: 5 },
    },
    {
      pupil: j.ola,
      carer: j.tomasz,
      raised: at('2026-11-20', '21:30'),
      contactBy: 'email',
      what: 'I was not told about Ola’s nativity play and found out from her.',
      wouldLike: 'Copies of every letter about Ola, at my address.',
    },
  ];

  for (const s of specs) {
    const ctx = (when: string) => ({ now: new Date(when), baseUrl: BASE_URL, translator: null });
    const raised = await raiseConcern(
      db,
      s.loggedBy ? { kind: 'staff', staffId: staff(s.loggedBy) } : { kind: 'carer', carerId: s.carer },
      { schoolId, pupilId: s.pupil, carerId: s.carer, receivedVia: s.via ?? 'portal', contactBy: s.contactBy, whatHappened: s.what, wouldLike: s.wouldLike, safeguarding: 0 },
      ctx(s.raised),
    );
    if (!raised.ok) throw new Error(`A demo concern was refused: ${raised.message}`);
    const row = async () => db.selectFrom('concerns').selectAll().where('id', '=', raised.id).executeTakeFirstOrThrow();
    if (s.pass) {
      const by: StaffBy = { staffId: staff(s.pass.by), schoolId };
      const passed = await triageConcern(db, by, await row(), { owner: staff(s.pass.to), category: s.pass.category, school_days: s.pass.days }, ctx(s.pass.at));
      if (!passed.ok) throw new Error(`A demo concern was not passed on: ${passed.message}`);
      const owner: StaffBy = { staffId: staff(s.pass.to), schoolId };
      if (s.contact) await addEntry(db, owner, await row(), { kind: 'contact', body: s.contact.what, contactHow: 'in_person', safeguarding: 0 }, ctx(s.contact.at));
      if (s.close) {
        const closed = await closeConcern(db, owner, await row(), { outcome: s.close.outcome }, ctx(s.close.at));
        if (!closed.ok) throw new Error(`A demo concern was not closed: ${closed.message}`);
      }
      if (s.answer) await answerConcern(db, { id: s.carer, schoolId }, await row(), { answer: s.answer.answer, why: s.answer.why }, { now: new Date(s.answer.at), baseUrl: BASE_URL });
    }
  }
  return specs.length;
}
