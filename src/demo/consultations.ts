import type { Db } from '../db/database.ts';
import { addComment, addTheme, answerTheme, assignTheme, checkEnglish, editComment, setEnglish, withdrawComment } from '../features/consultations/comments.ts';
import { attachDocument, createPolicy } from '../features/consultations/policies.ts';
import { adoptPolicy, openConsultation } from '../features/consultations/sending.ts';
import type { Plan } from './builder.ts';
import type { JourneyIds } from './journeys.ts';
import { BASE_URL } from './meetings-context.ts';

/**
 * The demo school's policies register and two consultations, written through the consultations
 * feature's own functions at the time each happened:
 * - the register: behaviour, safeguarding and child protection, SEND information report, complaints
 *   procedure, charging and remissions, home-school agreement and accessibility plan, each with an
 *   owner and review dates (some due soon, one overdue, so owners meet their reminders);
 * - the behaviour policy, consulted on with the whole school in October (comments from Marta in
 *   Polish with a checked English version, Tomasz, Sarah, Grace, other families and a teacher),
 *   grouped into three themes, answered, and adopted in November with a "You said, we did" page;
 * - the charging and remissions policy, open for comments now.
 */
const at = (date: string, time = '09:30') => new Date(`${date}T${time}:00.000Z`);

const BEHAVIOUR = `At Brookfield we want every child to feel safe, to be kind and to learn. This policy says how we encourage good behaviour and what happens when things go wrong.

## Our three rules
Be ready, be respectful, be safe. Every adult uses the same words in every class.

## Rewards
Praise first and often. House points, a praise postcard home and a weekly celebration assembly.

## Phones
Pupils hand phones in at the office at the start of the day and collect them at home time.

## When things go wrong
A quiet reminder first, then time to reflect with an adult, then a call home. Serious incidents are recorded and the head teacher decides what happens next.

## Bullying
We take every report seriously, tell the family what we are doing within two school days, and check back after two weeks.`;

const CHARGING = `The school does not charge for education in school time. This policy says when we may ask for voluntary contributions and what we charge for.

## Trips in school time
We ask for a voluntary contribution. No child is left out because a family cannot pay.

## Residential trips
We charge for board and lodging only. Families who receive certain benefits pay nothing.

## Music lessons
Individual lessons are charged for; families who receive free school meals pay nothing.

## Breakages
We may ask families to pay for deliberate damage.`;

const REGISTER: { title: string; owner: string; yearly: 0 | 1; last: string | null; next: string; body: string }[] = [
  { title: 'Behaviour policy', owner: 'deputy', yearly: 1, last: '2025-11-20', next: '2026-11-30', body: BEHAVIOUR },
  {
    title: 'Safeguarding and child protection policy',
    owner: 'dsl',
    yearly: 1,
    last: '2025-12-10',
    next: '2026-12-10',
    body: 'How the school keeps children safe and what every adult does when worried about a child.',
  },
  {
    title: 'SEND information report',
    owner: 'senco',
    yearly: 1,
    last: '2025-12-15',
    next: '2026-12-15',
    body: 'How the school identifies, supports and reviews pupils with special educational needs and disabilities.',
  },
  { title: 'Complaints procedure', owner: 'head', yearly: 0, last: '2025-03-10', next: '2027-03-10', body: 'How to raise a concern or make a complaint, and the stages the school follows.' },
  { title: 'Charging and remissions policy', owner: 'office', yearly: 0, last: '2024-01-15', next: '2027-01-15', body: CHARGING },
  { title: 'Home-school agreement', owner: 'head', yearly: 0, last: '2026-07-10', next: '2027-07-10', body: 'What the school, families and pupils agree to do for each other.' },
  {
    title: 'Accessibility plan',
    owner: 'senco',
    yearly: 0,
    last: '2024-09-01',
    next: '2027-09-01',
    body: 'How the school makes its buildings, lessons and information accessible to disabled pupils.',
  },
];

export async function addDemoConsultations(db: Db, input: { schoolId: string; plan: Plan; journey: JourneyIds }): Promise<number> {
  const { schoolId, plan, journey: j } = input;
  const staff = (key: string) => {
    const id = plan.staffIds[key];
    if (!id) throw new Error(`The demo school has no member of staff "${key}"`);
    return id;
  };
  const by = (key: string) => ({ staffId: staff(key), schoolId });
  const must = <T extends { ok: boolean }>(done: T): Extract<T, { ok: true }> => {
    if (!done.ok) throw new Error(`Demo consultations: ${(done as unknown as { message: string }).message}`);
    return done as Extract<T, { ok: true }>;
  };

  const ids = new Map<string, string>();
  for (const p of REGISTER) {
    const made = must(
      await createPolicy(db, by('office'), { title: p.title, owner: staff(p.owner), statutory_yearly: p.yearly, last_reviewed_on: p.last, next_review_on: p.next, body: p.body }, at('2026-09-07')),
    );
    ids.set(p.title, made.id);
  }
  const policy = async (title: string) => db.selectFrom('policies').selectAll().where('id', '=', ids.get(title)!).executeTakeFirstOrThrow();
  const ctx = (date: string) => ({ baseUrl: BASE_URL, schoolName: 'Brookfield Primary School', today: date, now: at(date) });
  // The behaviour policy's document as a file, for families to download from their link.
  await attachDocument(
    db,
    by('office'),
    await policy('Behaviour policy'),
    { name: 'Brookfield behaviour policy 2025.txt', type: 'text/plain; charset=utf-8', bytes: Buffer.from(`Brookfield Primary School\nBehaviour policy\n\n${BEHAVIOUR}\n`, 'utf8') },
    at('2026-09-08'),
  );

  // The behaviour policy, to the whole school, in October.
  const opened = must(
    await openConsultation(
      db,
      by('head'),
      await policy('Behaviour policy'),
      { audience: { kind: 'school' }, closesOn: '2026-10-23', translateComments: 1, intro: 'We are reviewing our behaviour policy and would like to hear from every family.' },
      ctx('2026-10-05'),
    ),
  );
  const consultation = await db.selectFrom('consultations').selectAll().where('id', '=', opened.id).executeTakeFirstOrThrow();
  const sections = new Map((await db.selectFrom('consultation_sections').select(['id', 'heading']).where('consultation_id', '=', consultation.id).execute()).map((s) => [s.heading, s.id]));
  const carerLanguage = new Map(plan.carers.map((c) => [c.id, c.preferred_language]));
  const fromCarer = async (carerId: string, heading: string, words: string, date: string) =>
    must(await addComment(db, { kind: 'carer', carerId, language: carerLanguage.get(carerId) ?? 'English' }, consultation, sections.get(heading)!, words, at(date, '20:15'))).id;

  const marta = await fromCarer(j.marta, 'Phones', 'Kuba wraca sam do domu w tym roku. Potrzebuję, żeby miał telefon zaraz po lekcjach, a nie dopiero po odebraniu go z sekretariatu.', '2026-10-06');
  const tomasz = await fromCarer(j.tomasz, 'When things go wrong', 'Please tell both parents when there is a call home, not only the parent the school rings first.', '2026-10-07');
  const sarah = await fromCarer(j.sarah, 'When things go wrong', 'We would like to know the same day when our child has had time to reflect, not at the end of the week.', '2026-10-08');
  const grace = await fromCarer(j.grace, 'Rewards', 'Praise postcards mean a lot to Leo. Could they come home more often?', '2026-10-09');
  const graceBullying = await fromCarer(j.grace, 'Bullying', 'Two school days is fair. Please also say who is looking into it.', '2026-10-09');
  // Grace changes her comment the next day; Sarah withdraws a second one she sent by mistake.
  must(
    await editComment(
      db,
      j.grace,
      consultation,
      graceBullying,
      'Two school days is fair. Please also tell us who is looking into it, and when we will hear back.',
      '2026-10-10',
      at('2026-10-10', '08:05'),
    ),
  );
  const mistake = await fromCarer(j.sarah, 'Rewards', 'Sorry, this was meant for the class WhatsApp.', '2026-10-08');
  must(await withdrawComment(db, j.sarah, consultation, mistake, '2026-10-08', at('2026-10-08', '20:20')));
  // Some of the generated families, from the whole school.
  const others = plan.carers.filter((c) => c.email && ![j.marta, j.tomasz, j.sarah, j.grace, j.mark].includes(c.id)).slice(0, 4);
  const generated = [
    await fromCarer(others[0]!.id, 'Phones', 'Collecting phones from the office at home time makes a queue. Could they stay in bags, switched off?', '2026-10-12'),
    await fromCarer(others[1]!.id, 'When things go wrong', 'Different classes seem to use different steps. Please make it the same everywhere.', '2026-10-13'),
    await fromCarer(others[2]!.id, 'Our three rules', 'The three rules are easy for our children to remember. Please keep them.', '2026-10-14'),
    await fromCarer(others[3]!.id, 'When things go wrong', 'A text on the day of a call home would help us talk to our son before bedtime.', '2026-10-15'),
  ];
  const teacher = must(
    await addComment(
      db,
      { kind: 'staff', staffId: staff('y3') },
      consultation,
      sections.get('Phones')!,
      'Collecting phones at the office takes ten minutes each morning; bags would save that time.',
      at('2026-10-16', '16:00'),
    ),
  ).id;

  // Marta's comment in English, written by the office and checked by the family liaison officer.
  await setEnglish(
    db,
    by('office'),
    marta,
    'Kuba walks home alone this year. I need him to have his phone straight after lessons, not only after collecting it from the office.',
    at('2026-10-07', '10:00'),
  );
  must(await checkEnglish(db, by('flo'), marta, at('2026-10-07', '11:30')));

  // The head and deputy group the comments into themes and answer each.
  const themes = [
    {
      title: 'Children who walk home alone need their phones at home time',
      comments: [marta, generated[0]!, teacher],
      answer: 'Phones now stay in bags, switched off, all day, instead of being handed in at the office. Children collect nothing at home time.',
    },
    {
      title: 'Tell families on the day, and tell both parents',
      comments: [tomasz, sarah, generated[3]!],
      answer: 'When a child has time to reflect with an adult or we call home, we now send a message the same day to every parent who may receive information about the child.',
    },
    {
      title: 'The same steps in every class',
      comments: [generated[1]!, generated[2]!],
      answer: 'Every class now shows the same three rules and the same steps on the wall, and staff trained together in November.',
    },
    {
      title: 'More praise home, and say who is dealing with bullying',
      comments: [grace, graceBullying],
      answer: 'Each class now sends at least five praise postcards a week, and when a family reports bullying we name the member of staff looking into it.',
    },
  ];
  for (const th of themes) {
    const made = must(await addTheme(db, by('deputy'), consultation, th.title, at('2026-10-26', '15:30')));
    for (const c of th.comments) must(await assignTheme(db, by('deputy'), consultation, c, made.id, at('2026-10-26', '15:45')));
    must(await answerTheme(db, by('head'), consultation, made.id, th.answer, at('2026-11-02', '16:00')));
  }
  const revised = BEHAVIOUR.replace(
    'Pupils hand phones in at the office at the start of the day and collect them at home time.',
    'Phones stay in pupils’ bags, switched off, all day. A phone seen or heard in school time goes to the office until home time.',
  ).replace('then a call home.', 'then a call home. We tell every parent who may receive information about the child on the same day.');
  const current = await db.selectFrom('consultations').selectAll().where('id', '=', consultation.id).executeTakeFirstOrThrow();
  must(
    await adoptPolicy(
      db,
      by('head'),
      current,
      {
        summary:
          'Eight families and a teacher told us what they think. The governors adopted the revised behaviour policy on 10 November: phones now stay in bags, families hear on the same day, and every class uses the same steps.',
        revised,
      },
      ctx('2026-11-10'),
    ),
  );

  // The charging and remissions policy, open for comments now.
  const charging = must(
    await openConsultation(
      db,
      by('head'),
      await policy('Charging and remissions policy'),
      { audience: { kind: 'school' }, closesOn: '2027-01-29', translateComments: 1, intro: null },
      ctx('2026-11-16'),
    ),
  );
  const chargingRow = await db.selectFrom('consultations').selectAll().where('id', '=', charging.id).executeTakeFirstOrThrow();
  const trips = await db.selectFrom('consultation_sections').select('id').where('consultation_id', '=', charging.id).where('heading', '=', 'Trips in school time').executeTakeFirstOrThrow();
  must(
    await addComment(
      db,
      { kind: 'carer', carerId: j.tomasz, language: 'English' },
      chargingRow,
      trips.id,
      'Please say how much a trip costs the school, so families know what the voluntary contribution pays for.',
      at('2026-11-18', '19:00'),
    ),
  );
  return 2;
}
