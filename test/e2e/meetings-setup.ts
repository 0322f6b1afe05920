import { DateTime } from 'luxon';
import type { Db } from '../../src/db/database.ts';
import type { LocalDate } from '../../src/db/schema.ts';
import { createEvening, publishEvening, setPlaces } from '../../src/features/evenings/setup-commands.ts';
import type { Fixture } from '../support/fixture.ts';

/**
 * A published parents' evening at the fixture school for the browser journey and the screenshots:
 * 3 Okafor, 4 Hall and Reception Robins (so Marta's Jakub and Aleksandra, with Mr Okafor and Ms Bell),
 * one session from 4pm to 6pm in 10-minute slots, in person or by phone, 5 minutes between a
 * family's appointments. The server runs on the real clock, so the evening is the first Tuesday to
 * Thursday at least two weeks from `now`, and booking opened at midnight today.
 */
export type OpenEvening = { id: string; name: string; date: LocalDate; gapMinutes: number };

const ZONE = 'Europe/London';

export async function openParentsEvening(db: Db, fx: Fixture, now = new Date()): Promise<OpenEvening> {
  const today = DateTime.fromJSDate(now, { zone: ZONE }).startOf('day');
  let day = today.plus({ days: 14 });
  while (day.weekday < 2 || day.weekday > 4) day = day.plus({ days: 1 });
  const date = day.toISODate() as LocalDate;
  const season = day.month <= 4 ? 'Spring' : day.month <= 8 ? 'Summer' : 'Autumn';
  const name = `${season} parents’ evening`;
  const gapMinutes = 5;
  const system = { kind: 'system' } as const;

  const created = await createEvening(
    db,
    system,
    fx.school.id,
    {
      name,
      sessions: [{ date, starts: '16:00', ends: '18:00', slotMinutes: 10, breaks: [] }],
      classIds: [fx.classes.y3, fx.classes.y4, fx.classes.reception],
      teacherIds: [],
      modes: ['in_person', 'phone'],
      travelGapMinutes: gapMinutes,
      separatedCarers: 'own',
      bookingOpens: { date: today.toISODate()!, time: '00:00' },
      bookingCloses: { date: day.minus({ days: 1 }).toISODate()!, time: '12:00' },
    },
    now,
  );
  if (!created.ok) throw new Error(`The parents' evening was refused: ${JSON.stringify(created.errors)}`);
  const rooms: Record<string, string> = { [fx.staff.teacher]: 'Classroom 3', [fx.staff.teacher2]: 'Classroom 4', [fx.staff.teacher3]: 'Reception classroom' };
  const teachers = await db.selectFrom('evening_teachers').select('staff_id').where('evening_id', '=', created.id).execute();
  await setPlaces(
    db,
    system,
    fx.school.id,
    created.id,
    teachers.map((t) => ({ staffId: t.staff_id, room: rooms[t.staff_id] ?? 'Hall', videoLink: null })),
    now,
  );
  const published = await publishEvening(db, system, fx.school.id, created.id, now);
  if (published === 'missing' || !published.ok) throw new Error(`The parents' evening could not be published: ${JSON.stringify(published)}`);
  return { id: created.id, name, date, gapMinutes };
}

/** "21/12/2026": a school-local date some days after `from`, as a person types it. */
export function typedDate(from: LocalDate, days: number): string {
  return DateTime.fromISO(from).plus({ days }).toFormat('dd/MM/yyyy');
}
