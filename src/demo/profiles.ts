import type { Db } from '../db/database.ts';
import type { ProfileReviewTable, ProfileTable, ProfileVersionTable } from '../db/schema.ts';
import { auditMany } from '../platform/audit/audit.ts';
import { insertInChunks } from '../db/insert-in-chunks.ts';
import { newId } from '../platform/ids.ts';
import { decide, propose, recordReview, startProfile, checkWordsTranslation, writeWordsTranslation } from '../features/profiles/commands.ts';
import { EMPTY } from '../features/profiles/profile.ts';
import { checkProblem } from '../features/messages/index.ts';
import type { Plan } from './builder.ts';
import type { JourneyIds } from './journeys.ts';

/**
 * Pupil profiles (journey 10): one for every pupil with SEND, written in September and reviewed in
 * October, a few due for review now; and Kuba's, written together: Mr Hughes started it, Marta
 * added her words in Polish (accepted by Mr Okafor, translated by Ms Lewis, checked by Mr Hughes),
 * it was reviewed at half term with the next review at the start of the spring term, and Marta has
 * proposed another change that is waiting for Mr Hughes or Mr Okafor.
 */
const at = (date: string, time = '09:30') => new Date(`${date}T${time}:00.000Z`);
import { BASE_URL } from './meetings-context.ts';

const ADMIRE = ['Kind to younger children', 'Always says good morning', 'A brilliant builder with Lego', 'Makes everyone laugh', 'Works hard at reading', 'Loves helping at tidy-up time'];
const IMPORTANT = ['Football at break time', 'Knowing what is happening next', 'My big sister', 'Drawing animals', 'Sitting near the door', 'My dog, Biscuit'];
const SUPPORT = [
  'Give me time to think before I answer',
  'Show me new words with pictures',
  'Tell me before things change',
  'Let me move around between tasks',
  'Break tasks into small steps',
  'Quiet space after lunch if I need it',
];
const pick = (list: string[], n: number, seed: number) => Array.from({ length: n }, (_, i) => list[(seed + i * 2) % list.length]!).join('\n');

export async function addDemoProfiles(db: Db, input: { schoolId: string; plan: Plan; journey: JourneyIds }): Promise<{ profiles: number }> {
  const { schoolId, plan, journey: j } = input;
  const staff = (key: string) => {
    const id = plan.staffIds[key];
    if (!id) throw new Error(`The demo school has no member of staff "${key}"`);
    return { kind: 'staff' as const, id, schoolId };
  };
  const senco = staff('senco');

  // Every pupil with SEND: a first version and an October review, written in one go (fast to load).
  const send = plan.pupils.filter((p) => p.send_status !== 'none' && p.id !== j.kuba);
  const profiles: ProfileTable[] = [];
  const versions: ProfileVersionTable[] = [];
  const reviews: ProfileReviewTable[] = [];
  send.forEach((p, i) => {
    const id = newId();
    // One in five was due for review on 20 November (a move to another class); the rest at the start of spring.
    const transition = i % 5 === 0;
    const due = transition ? '2026-11-20' : '2027-01-05';
    profiles.push({
      id,
      school_id: schoolId,
      pupil_id: p.id,
      version: 1,
      review_due_on: due,
      review_kind: transition ? 'transition' : 'termly',
      created_by: senco.id,
      created_at: at('2026-09-21').toISOString(),
      updated_at: at('2026-10-19').toISOString(),
    });
    versions.push({
      id: newId(),
      school_id: schoolId,
      profile_id: id,
      version: 1,
      ...EMPTY,
      admire: pick(ADMIRE, 2, i),
      important: pick(IMPORTANT, 2, i + 1),
      support: pick(SUPPORT, 3, i),
      pupil_voice: i % 2 === 0 ? 'I like it when my teacher tells me what we are doing after lunch.' : '',
      support_staff: p.send_status === 'ehcp' ? 'EHC plan: annual review in the spring term. Speech and language therapy weekly.' : '',
      proposal_id: null,
      accepted_by: senco.id,
      created_at: at('2026-09-21').toISOString(),
    });
    reviews.push({
      id: newId(),
      school_id: schoolId,
      profile_id: id,
      version: 1,
      reviewed_on: '2026-10-19',
      reviewed_by: senco.id,
      next_due_on: due,
      next_kind: transition ? 'transition' : 'termly',
      note: null,
      created_at: at('2026-10-19').toISOString(),
    });
  });
  await insertInChunks(db, 'profiles', profiles);
  await insertInChunks(db, 'profile_versions', versions);
  await insertInChunks(db, 'profile_reviews', reviews);
  await auditMany(
    db,
    senco,
    profiles.map((p) => ({ schoolId, action: 'profile.started', entity: 'profile', entityId: p.id, after: { pupil_id: p.pupil_id } })),
    at('2026-09-21'),
  );

  // Kuba's, written together through the feature's own commands.
  const marta = { kind: 'carer' as const, id: j.marta, schoolId };
  const okafor = staff('y3');
  const flo = staff('flo');
  await startProfile(db, senco, j.kuba, at('2026-09-22'));
  const kuba = async () => (await db.selectFrom('profiles').selectAll().where('school_id', '=', schoolId).where('pupil_id', '=', j.kuba).executeTakeFirstOrThrow())!;
  const first = {
    admire: 'Kind to younger children, especially his sister Ola\nA keen reader: he has read every dinosaur book in the class library',
    important: 'His sister Ola, in Reception\nFootball at break time\nSpeaking Polish at home with his mum',
    support: 'Give him a moment to think before he answers\nShow new words with a picture\nTell him in the morning what the day will be like',
    pupil_voice: 'I like reading about dinosaurs. I don’t like it when it is noisy.',
    admire_staff: '',
    important_staff: '',
    support_staff: 'Hearing test in October was clear. Keep an eye on tiredness after weekends at his dad’s.',
    note: 'From our first meeting with Ms Nowak',
  };
  const staffProposal = await propose(db, senco, await kuba(), first, { now: at('2026-09-22', '10:00'), baseUrl: BASE_URL });
  if (!staffProposal.ok) throw new Error('The demo could not propose Kuba’s first profile');
  await decide(db, senco, await proposal(db, staffProposal.id), { decision: 'accept', decision_note: '' }, at('2026-09-22', '10:05'));

  // Marta adds her words in Polish; Mr Okafor accepts; Ms Lewis translates; Mr Hughes checks.
  const words = 'Kuba jest bardzo wrażliwy i szybko się męczy, kiedy jest głośno. W domu mówimy po polsku i dużo czytamy razem. Najlepiej, gdy wie wcześniej, co się wydarzy.';
  const english = 'Kuba is very sensitive and gets tired quickly when it is noisy. At home we speak Polish and read a lot together. He does best when he knows in advance what will happen.';
  const current = (await kuba()).version;
  const v = await db
    .selectFrom('profile_versions')
    .selectAll()
    .where('profile_id', '=', (await kuba()).id)
    .where('version', '=', current)
    .executeTakeFirstOrThrow();
  const fromMarta = await propose(
    db,
    marta,
    await kuba(),
    { admire: v.admire, important: v.important, support: v.support, pupil_voice: v.pupil_voice, words, note: '' },
    { now: at('2026-10-05', '19:40'), baseUrl: BASE_URL, language: 'Polish' },
  );
  if (!fromMarta.ok) throw new Error('The demo could not add Marta’s words');
  await decide(db, okafor, await proposal(db, fromMarta.id), { decision: 'accept', decision_note: 'Thank you, Ms Nowak' }, at('2026-10-06', '08:10'));
  const row = await db.selectFrom('profile_words').selectAll().where('school_id', '=', schoolId).where('carer_id', '=', j.marta).where('version_to', 'is', null).executeTakeFirstOrThrow();
  await writeWordsTranslation(db, flo, row.id, english, '', at('2026-10-07', '11:00'));
  const checked = await checkWordsTranslation(
    db,
    senco,
    row.id,
    (w) => checkProblem({ status: w.translation_status, source: w.translation_source, written_by: w.written_by, updated_at: w.updated_at, body: w.translation }, senco.id, 'Polish', ''),
    at('2026-10-07', '15:30'),
  );
  if (!checked.ok) throw new Error(checked.message);

  // Reviewed at half term; the next at the start of the spring term.
  await recordReview(
    db,
    senco,
    await kuba(),
    { reviewed_on: '2026-10-19', next_kind: 'termly', next_due_on: '2027-01-05', note: 'With Ms Nowak and Mr Okafor' },
    { today: '2026-10-19', now: at('2026-10-19', '15:45') },
  );

  // Marta proposes one more change after the review: waiting for Mr Hughes or Mr Okafor.
  const after = await db
    .selectFrom('profile_versions')
    .selectAll()
    .where('profile_id', '=', (await kuba()).id)
    .where('version', '=', (await kuba()).version)
    .executeTakeFirstOrThrow();
  const pending = await propose(
    db,
    marta,
    await kuba(),
    {
      admire: after.admire,
      important: after.important,
      support: `${after.support}\nLet him sit near the front when the class reads aloud`,
      pupil_voice: after.pupil_voice,
      words,
      note: 'Kuba lepiej słyszy z przodu klasy.',
    },
    { now: at('2026-11-16', '20:15'), baseUrl: BASE_URL, language: 'Polish' },
  );
  if (!pending.ok) throw new Error('The demo could not add Marta’s pending change');
  return { profiles: profiles.length + 1 };
}

async function proposal(db: Db, id: string) {
  return db.selectFrom('profile_proposals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
