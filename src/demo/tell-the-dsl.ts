import type { Db } from '../db/database.ts';
import { localDate } from '../platform/calendar/time.ts';
import { makeReport } from '../features/safeguarding/reports.ts';
import type { Plan } from './builder.ts';
import type { JourneyIds } from './journeys.ts';
import { BASE_URL } from './meetings-context.ts';

/**
 * "Tell the DSL" in the demo: on a Friday afternoon Ms Hall (Year 4) passed on what she saw of Leo at
 * the classroom door, through the feature's own function. Mrs Adeyemi (the DSL) and Mr Green (deputy)
 * were alerted; neither has opened it yet, so it waits on Mrs Adeyemi's home page and under "Told to
 * the DSL" as "Not read by you". Ms Hall sees only the date she passed it on.
 */
export async function addDemoDslReport(db: Db, input: { schoolId: string; plan: Plan; journey: JourneyIds; now: Date }): Promise<void> {
  const { schoolId, plan, journey, now } = input;
  const hall = plan.staffIds.y4;
  if (!hall) throw new Error('The demo school has no Year 4 teacher to tell the DSL');
  // The school day before the weekend before now: 2 days 17 hours earlier, in the afternoon.
  const at = new Date(now.getTime() - (2 * 24 + 17) * 3_600_000);
  const today = localDate(at, 'Europe/London');
  const user = { kind: 'staff' as const, id: hall, schoolId, roles: ['teacher' as const], name: 'Ms Hall', email: 'hall@brookfield.example' };
  const made = await makeReport(
    db,
    { kind: 'staff', id: hall, schoolId },
    user,
    { today, teachersSeeAllPupils: false },
    {
      form_id: '0193a5c0-7d1e-7000-8000-00000000d51a',
      pupil: journey.leo,
      other_name: null,
      what: 'Leo came in without a coat again and ate his breakfast club toast very fast. When I asked about the mark on his neck he said "I am not allowed to say" and went quiet. He asked if he could stay in at home time.',
      happened_on: today,
    },
    { now: at, baseUrl: BASE_URL },
  );
  if (!made.ok) throw new Error(`The demo report to the DSL was refused: ${made.message}`);
}
