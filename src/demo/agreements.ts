import type { Db } from '../db/database.ts';
import { auditMany } from '../platform/audit/audit.ts';
import { insertInChunks } from '../db/insert-in-chunks.ts';
import { newId } from '../platform/ids.ts';
import { publish, recordPaper, recordPupil, recordReview, saveDraft, signAsCarer, startDraft } from '../features/agreements/commands.ts';
import { obligations } from '../features/agreements/queries.ts';
import { REPLY_SCHOOL_DAYS } from '../platform/calendar/first-reply.ts';
import { agreementText } from '../features/agreements/routes.ts';
import type { Plan } from './builder.ts';
import type { JourneyIds } from './journeys.ts';

/**
 * The demo school's home-school agreement (journey 10): written by Mrs Patel in September with
 * evidence beside three of her promises, a checked Polish translation (written by Ms Lewis, checked
 * by Ms Byrne) and a Somali one waiting to be checked; Marta signs in Polish for Kuba and Ola; Ms
 * Byrne records Faduma's paper signature; Kuba signs with Mr Okafor; about two families in three
 * have signed, some on paper, the rest not yet (Tomasz among them). The governors' last review was
 * in November 2025, so the head's home page says this year's is due.
 */
const at = (date: string, time = '09:30') => new Date(`${date}T${time}:00.000Z`);

const POLISH = [
  'Co zrobi szkoła:',
  '- Powiemy wam wcześniej o każdym spotkaniu i wyślemy plan rozmowy dwa dni szkolne przed nim',
  '- Będziemy dzielić się dobrymi wiadomościami o waszym dziecku',
  '- Odpowiemy na każdą sprawę w ciągu 5 dni szkolnych',
  '- Zrobimy to, na co umówimy się na spotkaniu, w ustalonym terminie',
  '- Będziemy przyjaźni i dostępni',
  '',
  'O co prosimy was:',
  '- Dopilnujcie, aby dziecko przychodziło do szkoły codziennie i na czas',
  '- Powiedzcie nam o wszystkim, co może mieć wpływ na dziecko',
  '- Czytajcie z dzieckiem w domu',
  '',
  'O co prosimy uczniów:',
  '- Być życzliwym i słuchać innych',
  '- Starać się jak najlepiej',
  '- Dbać o naszą szkołę',
].join('\n');

export async function addDemoAgreement(db: Db, input: { schoolId: string; plan: Plan; journey: JourneyIds }): Promise<{ signatures: number }> {
  const { schoolId, plan, journey: j } = input;
  const staff = (key: string) => {
    const id = plan.staffIds[key];
    if (!id) throw new Error(`The demo school has no member of staff "${key}"`);
    return { kind: 'staff' as const, id, schoolId };
  };
  const head = staff('head');

  // Last year's review, before the agreement was in Gatepost.
  await recordReview(
    db,
    staff('governor'),
    {
      reviewed_on: '2025-11-24',
      reviewers: 'Dr Shah, Mr Whitfield (chair of governors)',
      minutes: 'Read the agreement with two parents from the PTA. Parents asked for a promise about how quickly we reply.',
      changes: `Add a promise to reply within ${REPLY_SCHOOL_DAYS} school days.`,
    },
    { today: '2025-11-24', now: at('2025-11-24', '18:30') },
  );

  const versionId = await startDraft(db, head, at('2026-09-03'));
  const version = await db.selectFrom('agreement_versions').selectAll().where('id', '=', versionId).executeTakeFirstOrThrow();
  const saved = await saveDraft(
    db,
    head,
    version,
    {
      title: 'Our home-school agreement',
      carers_text: 'Make sure your child comes to school every day, on time\nTell us about anything that may affect your child\nRead with your child at home',
      pupils_text: 'Be kind and listen to others\nTry my best\nLook after our school',
      promises: [
        { text: 'We will tell you in advance about every meeting, and send its agenda two school days before', measure: 'agenda_ahead' },
        { text: 'We will share good news about your child', measure: 'praise_families' },
        // The promise in the school's words, with the number Gatepost counts the first reply by (features/concerns).
        { text: `We will reply to every concern within ${REPLY_SCHOOL_DAYS} school days`, measure: 'concerns_replied' },
        { text: 'We will do what we agreed at a meeting, by the date agreed', measure: 'actions_done' },
        { text: 'We will be welcoming and easy to reach', measure: null },
      ],
    },
    at('2026-09-03', '10:00'),
  );
  if (!saved.ok) throw new Error(saved.message);
  const published = await publish(db, head, { ...version, status: 'draft' }, { asks_resigning: 'yes', change_note: '' }, at('2026-09-04'));
  if (!published.ok) throw new Error(published.message);

  // Translations: Polish written by Ms Lewis with a parent volunteer, checked by Ms Byrne; Somali written, not yet checked.
  const promises = await db.selectFrom('agreement_promises').select('text').where('version_id', '=', versionId).orderBy('position').execute();
  const english = agreementText({ title: 'Our home-school agreement', carers_text: version.carers_text, pupils_text: version.pupils_text }, promises);
  const flo = staff('flo');
  const office = staff('office');
  const translations = [
    { language: 'Polish', subject: 'Nasza umowa między domem a szkołą', body: POLISH, status: 'checked' as const, checked_by: office.id },
    { language: 'Somali', subject: 'Heshiiskayaga guriga iyo dugsiga', body: `(Qabyo) ${english.split('\n')[0]}`, status: 'written' as const, checked_by: null },
  ];
  const rows = translations.map((t) => ({
    id: newId(),
    school_id: schoolId,
    version_id: versionId,
    language: t.language,
    subject: t.subject,
    body: t.body,
    source: 'person' as const,
    status: t.status,
    written_by: flo.id,
    checked_by: t.checked_by,
    updated_at: at('2026-09-07').toISOString(),
  }));
  await insertInChunks(db, 'agreement_translations', rows);
  await auditMany(
    db,
    flo,
    rows.map((r) => ({ schoolId, action: 'agreement.translation_written', entity: 'agreement_translation', entityId: r.id, after: { version_id: versionId, language: r.language } })),
    at('2026-09-07'),
  );
  await auditMany(
    db,
    office,
    [{ schoolId, action: 'agreement.translation_checked', entity: 'agreement_translation', entityId: rows[0]!.id, after: { language: 'Polish', status: 'checked' } }],
    at('2026-09-08'),
  );

  // Journey 10: Marta in Polish on her phone; Faduma on paper; Kuba with Mr Okafor.
  await signAsCarer(db, { id: j.marta, schoolId }, [j.kuba, j.ola], { language: 'Polish', today: '2026-09-10', now: at('2026-09-10', '20:15') });
  await signAsCarer(db, { id: j.sarah, schoolId }, [j.lily], { language: 'English', today: '2026-09-11', now: at('2026-09-11', '07:50') });
  await recordPaper(db, office, j.ayaan, { carer: j.faduma, signed_on: '2026-09-15' }, { today: '2026-09-15', now: at('2026-09-15', '08:40') });
  await recordPupil(db, staff('y3'), j.kuba, { signed_on: '2026-09-18' }, { today: '2026-09-18', now: at('2026-09-18', '11:00') });

  // Everyone else: about two in three carers signed (one in ten of those on paper); two in three pupils from Year 3 up.
  const journeyCarers = new Set([j.marta, j.tomasz, j.mark, j.sarah, j.grace, j.socialWorker, j.faduma, j.familyFriend]);
  const owed = await obligations(db, schoolId, '2026-10-01');
  const teacherOf = new Map<string, string>();
  for (const [year, classId] of plan.classIdByYear) {
    const key = year === 'N' ? 'nursery' : year === 'R' ? 'reception' : `y${year}`;
    if (plan.staffIds[key]) teacherOf.set(classId, plan.staffIds[key]!);
  }
  const classOf = new Map(plan.pupils.map((p) => [p.id, p.class_id]));
  const signatures = [];
  let n = 0;
  for (const o of owed) {
    n += 1;
    if (o.signed || (o.carerId && journeyCarers.has(o.carerId)) || o.pupilId === j.kuba || o.pupilId === j.lily || n % 3 === 0) continue;
    const day = `2026-09-${String(8 + (n % 14)).padStart(2, '0')}`;
    const teacher = teacherOf.get(classOf.get(o.pupilId) ?? '') ?? null;
    if (o.signer === 'pupil' && !teacher) continue;
    const paper = o.signer === 'carer' && n % 10 === 1;
    signatures.push({
      id: newId(),
      school_id: schoolId,
      version_id: versionId,
      pupil_id: o.pupilId,
      signer: o.signer,
      carer_id: o.carerId,
      how: o.signer === 'pupil' ? ('in_class' as const) : paper ? ('paper' as const) : ('portal' as const),
      recorded_by: o.signer === 'pupil' ? teacher : paper ? office.id : null,
      language: 'English',
      signed_on: day,
      created_at: at(day, '19:00').toISOString(),
    });
  }
  await insertInChunks(db, 'agreement_signatures', signatures);
  await auditMany(
    db,
    { kind: 'system' },
    signatures.map((s) => ({
      schoolId,
      action: s.signer === 'pupil' ? 'agreement.pupil_signed' : s.how === 'paper' ? 'agreement.paper_signature_recorded' : 'agreement.signed',
      entity: 'agreement_signature',
      entityId: s.id,
      after: { pupil_id: s.pupil_id, carer_id: s.carer_id },
    })),
    at('2026-09-30'),
  );
  return { signatures: signatures.length + 5 };
}
