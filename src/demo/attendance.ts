import type { Db } from '../db/database.ts';
import type { LocalDate } from '../db/schema.ts';
import { localDate } from '../platform/calendar/time.ts';
import { applyImport, checkAndStore } from '../features/attendance/service.ts';
import { scheduleMeeting } from '../features/meetings/meetings-schedule.ts';
import type { Plan } from './builder.ts';
import type { JourneyIds } from './journeys.ts';

/**
 * Attendance in the demo: Ms Byrne imported the records system's figures twice, a fortnight apart,
 * through the feature's own check and save (features/attendance). Most pupils are at 93% to 100%; in
 * the latest figures Kuba (about 88%; journey family: Marta reads it in Polish on his page, with the kind line that
 * the school will be in touch), four other pupils are at or below 90%, and one is at 45%
 * (severe absence), first on the staff list. Ms Lewis (family liaison) has already arranged a meeting
 * from the list's "Offer support" link for the first of the four (purpose 'attendance', with a topic
 * of her own), so the list shows "Meeting arranged" for that pupil and offers support for the rest.
 * Figures are made from each pupil's place in the list, not
 * from the plan's random numbers, so the rest of the demo is the same with or without them.
 */
export const DEMO_ATTENDANCE = { kubaShare: 0.88, severeShare: 0.45, persistentOthers: 4 } as const;

/** Mornings and afternoons from 1 September of the school year to `asOf`, on weekdays (closures not counted: a demo). */
function sessionsTo(asOf: LocalDate): number {
  const end = new Date(`${asOf}T12:00:00Z`);
  const year = end.getUTCMonth() >= 8 ? end.getUTCFullYear() : end.getUTCFullYear() - 1;
  let weekdays = 0;
  for (let d = new Date(Date.UTC(year, 8, 1, 12)); d <= end; d = new Date(d.getTime() + 86_400_000)) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) weekdays += 1;
  }
  return Math.max(10, weekdays * 2);
}

/** The Friday on or before a date. */
function fridayBefore(date: Date): LocalDate {
  const d = new Date(date.getTime());
  while (d.getUTCDay() !== 5) d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export async function addDemoAttendance(db: Db, input: { schoolId: string; plan: Plan; journey: JourneyIds; now: Date }): Promise<void> {
  const { schoolId, plan, journey, now } = input;
  const office = plan.staffIds.office;
  if (!office) throw new Error('The demo school has no office manager to import attendance');
  const latest = fridayBefore(new Date(`${localDate(now, 'Europe/London')}T12:00:00Z`));
  const earlier = fridayBefore(new Date(new Date(`${latest}T12:00:00Z`).getTime() - 14 * 86_400_000));
  const pupils = plan.pupils.filter((p) => !p.archived_at && p.year_group !== 'N'); // Nursery is not statutory school age
  const journeyIds = new Set(Object.values(journey));
  const generated = pupils.filter((p) => !journeyIds.has(p.id));
  const severe = generated[7]?.id;
  const persistent = new Set(generated.slice(20, 20 + DEMO_ATTENDANCE.persistentOthers).map((p) => p.id));

  const shareOf = (pupilId: string, i: number, late: boolean): number => {
    if (pupilId === journey.kuba) return late ? DEMO_ATTENDANCE.kubaShare : 0.91;
    if (pupilId === severe) return late ? DEMO_ATTENDANCE.severeShare : 0.52;
    if (persistent.has(pupilId)) return late ? 0.86 + (i % 4) * 0.01 : 0.9;
    return 0.93 + ((i * 7) % 8) * 0.01; // 93% to 100%
  };
  for (const [asOf, late] of [
    [earlier, false],
    [latest, true],
  ] as const) {
    const possible = sessionsTo(asOf);
    const rows = pupils.map((p, i) => {
      const attended = Math.min(possible, Math.round(possible * shareOf(p.id, i, late)));
      return `${p.upn},${possible},${attended}`;
    });
    const csv = ['UPN,Sessions Possible,Sessions Attended', ...rows].join('\r\n');
    const actor = { kind: 'staff' as const, id: office, schoolId };
    const at = new Date(`${asOf}T16:30:00Z`);
    const stored = await checkAndStore(db, { schoolId, asOf, fileName: `attendance-${asOf}.csv`, bytes: Buffer.from(csv, 'utf8'), actor, now: at });
    if (!stored.ok) throw new Error(`The demo attendance file was turned down: ${'message' in stored ? stored.message : JSON.stringify(stored.file.rejects.slice(0, 3))}`);
    const saved = await applyImport(db, { schoolId, importId: stored.importId, actor, now: at });
    if (saved.status !== 'applied') throw new Error(`The demo attendance file was not saved: ${saved.status}`);
  }
  const supported = generated[20]?.id;
  if (supported) await arrangeSupportMeeting(db, { schoolId, pupilId: supported, leadId: plan.staffIds.flo ?? office, now });
}

/** A meeting arranged from the attendance list's link three school days on, as Ms Lewis (family liaison) would, with a topic of her own. */
async function arrangeSupportMeeting(db: Db, q: { schoolId: string; pupilId: string; leadId: string; now: Date }): Promise<void> {
  const carer = await db
    .selectFrom('carer_pupils')
    .select('carer_id')
    .where('school_id', '=', q.schoolId)
    .where('pupil_id', '=', q.pupilId)
    .where('may_receive_information', '=', 1)
    .orderBy('contact_priority')
    .executeTakeFirst();
  if (!carer) return;
  const day = new Date(`${localDate(q.now, 'Europe/London')}T15:30:00Z`);
  for (let added = 0; added < 3;) {
    day.setUTCDate(day.getUTCDate() + 1);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) added += 1;
  }
  const scheduled = await scheduleMeeting(
    db,
    { kind: 'staff', id: q.leadId, schoolId: q.schoolId },
    {
      kind: 'appointment',
      topic: 'Getting to school each morning',
      purpose: 'attendance',
      pupilId: q.pupilId,
      carerIds: [carer.carer_id],
      leadId: q.leadId,
      colleagueId: null,
      inviteLiaison: false,
      startsAt: day.toISOString(),
      endsAt: new Date(day.getTime() + 30 * 60_000).toISOString(),
      mode: 'in_person',
      place: 'Family room',
      videoLink: null,
      interpreterLanguage: null,
    },
    { now: q.now, baseUrl: 'http://localhost:3000' },
  );
  if (!scheduled.ok) throw new Error(`The demo's attendance meeting was refused: ${JSON.stringify(scheduled.errors)}`);
}
