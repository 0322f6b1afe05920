import type { Db } from '../db/database.ts';
import { appoint, setPanelDate, toPanel } from '../features/concerns/complaints/case.ts';
import { sendPapers } from '../features/concerns/complaints/papers.ts';
import { decidePublicComplaint, makePublicComplaint } from '../features/concerns/complaints/public.ts';
import type { Plan } from './builder.ts';
import { demoComplaintHelpers } from './complaints.ts';
import { BASE_URL } from './meetings-context.ts';

/**
 * What a new user meets next in the demo school's complaints (issue 14): a complaint from a neighbour
 * on the public form, taken on by Mrs Patel and being investigated by Mr Whitfield (chair of
 * governors); and Sarah Dean's complaint about Lily at stage 2, its panel of three governors
 * appointed, its date set and its papers sent by email. Through the complaints functions, at the time
 * each happened.
 */
const at = (date: string, time = '10:00') => new Date(`${date}T${time}:00.000Z`);
const ctx = (now: Date) => ({ now, baseUrl: BASE_URL, translator: null });

export async function addMoreDemoComplaints(db: Db, input: { schoolId: string; plan: Plan; answeredId: string }): Promise<void> {
  const { schoolId, plan } = input;
  const { staff, by, opened } = demoComplaintHelpers(db, schoolId, plan);
  const ok = (r: { ok: boolean; message?: unknown }) => {
    if (!r.ok) throw new Error(String(r.message));
  };

  // A neighbour's complaint on the public form, taken on; Mr Whitfield investigates.
  const school = await db.selectFrom('schools').select(['id', 'name', 'time_zone']).where('id', '=', schoolId).executeTakeFirstOrThrow();
  const made = await makePublicComplaint(
    db,
    school,
    {
      name: 'Joan Pike',
      email: 'joan.pike@example.com',
      phone: null,
      connection: 'I live opposite the school gate on Brook Lane',
      about: 'At pick-up, cars park across my driveway every afternoon, and last week I could not get out to a hospital appointment. I have asked the office twice.',
      would_like: 'Parents reminded not to block driveways, and someone at the gate at pick-up.',
      last_incident_on: '2026-11-16',
      about_head: 0,
    },
    { now: at('2026-11-16', '20:10'), baseUrl: BASE_URL },
  );
  if (!made.ok) throw new Error(made.message);
  const pc = await db.selectFrom('public_complaints').selectAll().where('id', '=', made.id).executeTakeFirstOrThrow();
  const taken = await decidePublicComplaint(db, by, pc, { decision: 'accepted', reason: 'Mr Whitfield, our chair of governors, will look into it.' }, at('2026-11-17', '08:30'));
  if (!taken.ok || !taken.caseId) throw new Error('The demo public complaint was not taken on');
  ok(await appoint(db, by, await opened(taken.caseId), 'officer', { staff: staff('chair'), interest: null, independent: 0 }, at('2026-11-17', '08:35')));

  // Sarah's complaint about Lily goes to the panel: three governors, a date, the papers sent.
  ok(await toPanel(db, (await opened(input.answeredId)).complaint, by, ctx(at('2026-10-19', '09:00')), (await opened(input.answeredId)).settings.limits));
  for (const [key, when] of [
    ['governor', '09:05'],
    ['chair', '09:06'],
    ['governor3', '09:07'],
  ] as const)
    ok(await appoint(db, by, await opened(input.answeredId), 'panel', { staff: staff(key), interest: null, independent: 0 }, at('2026-10-20', when)));
  ok(await setPanelDate(db, by, await opened(input.answeredId), '2026-11-19', ctx(at('2026-10-20', '09:10'))));
  ok(
    await sendPapers(
      db,
      by,
      await opened(input.answeredId),
      { note: 'The panel meets in the library at 4pm on Thursday 19 November. Mrs Dean may bring a friend.', how: 'email', late_reason: null },
      ctx(at('2026-11-10', '15:00')),
    ),
  );
}
