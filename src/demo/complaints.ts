import type { Db } from '../db/database.ts';
import { appoint } from '../features/concerns/complaints/case.ts';
import { addInterview, finishLetter, saveReport } from '../features/concerns/complaints/investigation.ts';
import { makeComplaint } from '../features/concerns/complaints/make.ts';
import { complaintForStaff } from '../features/concerns/complaints/queries.ts';
import { readReport } from '../features/concerns/complaints/report.ts';
import type { Plan } from './builder.ts';
import type { JourneyIds } from './journeys.ts';
import { BASE_URL } from './meetings-context.ts';
import { addMoreDemoComplaints } from './complaints-more.ts';

/**
 * The demo school's formal complaints, through the complaints functions at the time each happened:
 * Marta's complaint about Kuba at stage 1, where Gatepost refused Mr Okafor (Kuba's class teacher,
 * who has met the family) as investigating officer and Dr Shah, a governor, was appointed; and Sarah
 * Dean's complaint about Lily, investigated by Mr Ellison, with its report issued on the checklist
 * and the outcome letter sent. (Mark Dean, restricted from Lily, never sees it.)
 */
const at = (date: string, time = '10:00') => new Date(`${date}T${time}:00.000Z`);
const ctx = (now: Date) => ({ now, baseUrl: BASE_URL, translator: null });

/** What the demo's complaints share: staff by key, the head as the one acting, and a complaint as the head sees it. */
export function demoComplaintHelpers(db: Db, schoolId: string, plan: Plan) {
  const staff = (key: string) => {
    const id = plan.staffIds[key];
    if (!id) throw new Error(`The demo school has no member of staff "${key}"`);
    return id;
  };
  const head = { id: staff('head'), schoolId, roles: ['head' as const] };
  const by = { staffId: head.id, schoolId };
  const opened = async (id: string) => {
    const found = await complaintForStaff(db, head, id);
    if (!found) throw new Error('The demo complaint is not the head’s');
    return found;
  };
  return { staff, head, by, opened };
}

export async function addDemoComplaints(db: Db, input: { schoolId: string; plan: Plan; journey: JourneyIds }): Promise<number> {
  const { schoolId, plan, journey: j } = input;
  const { staff, by, opened } = demoComplaintHelpers(db, schoolId, plan);

  // Marta's complaint about Kuba, stage 1, with Dr Shah investigating.
  const kuba = await makeComplaint(
    db,
    schoolId,
    { kind: 'carer', carerId: j.marta },
    {
      pupil: j.kuba,
      complaint: 'Kuba has been kept in at lunchtime three times this month for things other children did. Nobody told me why, and he now says he does not want to go to school.',
      would_like: 'Someone independent to look at what happened, and a clear rule for lunchtime detentions.',
      last_incident_on: '2026-11-10',
      about_head: 0,
    },
    ctx(at('2026-11-12', '19:15')),
  );
  if (!kuba.ok) throw new Error(kuba.message);
  const okafor = await appoint(db, by, await opened(kuba.id), 'officer', { staff: staff('y3'), interest: null, independent: 0 }, at('2026-11-13', '08:40'));
  if (okafor.ok) throw new Error('Gatepost should have refused Mr Okafor');
  const shah = await appoint(db, by, await opened(kuba.id), 'officer', { staff: staff('governor'), interest: null, independent: 0 }, at('2026-11-13', '08:45'));
  if (!shah.ok) throw new Error(String(shah.message));
  await addInterview(
    db,
    { staffId: staff('governor'), schoolId },
    await opened(kuba.id),
    { with_whom: 'Mrs Nowak (by phone)', account: 'Three lunchtimes in November; she was not told the reason on any of them.' },
    at('2026-11-18', '16:00'),
  );

  // Sarah's complaint about Lily, answered: report on the checklist, outcome letter sent.
  const lily = await makeComplaint(
    db,
    schoolId,
    { kind: 'carer', carerId: j.sarah },
    {
      pupil: j.lily,
      complaint: 'Lily’s reading record has not been signed for five weeks and her reading book has not been changed.',
      would_like: 'Her book changed weekly, as the school says it will be.',
      last_incident_on: '2026-09-25',
      about_head: 0,
    },
    ctx(at('2026-09-28', '18:30')),
  );
  if (!lily.ok) throw new Error(lily.message);
  const ellison = await appoint(db, by, await opened(lily.id), 'officer', { staff: staff('y6'), interest: null, independent: 0 }, at('2026-09-29'));
  if (!ellison.ok) throw new Error(String(ellison.message));
  const officer = { staffId: staff('y6'), schoolId };
  await addInterview(
    db,
    officer,
    await opened(lily.id),
    { with_whom: 'The Year 3 teaching assistant', account: 'Book changes were missed while the reading scheme moved classrooms.' },
    at('2026-10-06', '15:45'),
  );
  const report = {
    ...readReport(null),
    independence: 'I teach Year 6 and have had no part in Lily’s reading or in any meeting with the family.',
    what_happened: 'Lily’s reading book was not changed for five weeks while the reading scheme books moved rooms.',
    how_handled: 'The class team did not tell families about the move, and the reading record was not signed.',
    resolved: 'Resolved: Lily’s book is now changed every Monday and the record signed; families have been told of the new routine.',
    fair: 'Yes: the family and the class team were both heard.',
    full: 'Yes: both parts of the complaint (book changes and the record) are answered.',
    proportionate: 'Yes: an apology and a weekly routine match what went wrong.',
    timely: 'Yes: answered within 15 school days.',
    confidential: 'Yes: only the head and I saw the case.',
    barriers: 'None.',
    outcome: 'upheld' as const,
  };
  const issued = await saveReport(db, officer, await opened(lily.id), report, true, at('2026-10-12', '16:30'));
  if (!issued.ok) throw new Error(Object.values(issued.errors).join('; '));
  const letter = await db.selectFrom('complaint_letters').select('body').where('complaint_id', '=', lily.id).executeTakeFirstOrThrow();
  const sent = await finishLetter(db, by, await opened(lily.id), { body: letter.body, send: 'send' }, ctx(at('2026-10-13', '09:00')));
  if (!sent.ok) throw new Error(sent.message);
  // A complaint from the public form, and Lily's at stage 2 with its papers sent (complaints-more.ts).
  await addMoreDemoComplaints(db, { schoolId, plan, answeredId: lily.id });
  return 3;
}
