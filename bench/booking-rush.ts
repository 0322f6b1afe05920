import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { Bench } from './run.ts';
import { benchDatabase, benchServer } from './support/server.ts';
import { makeRushSchool, PUPILS, TEACHERS } from './support/rush-school.ts';
import { createEvening, publishEvening, setPlaces } from '../src/features/evenings/setup-queries.ts';
import { createSession } from '../src/platform/auth/sessions.ts';

const run_ = promisify(execFile);
const CONCURRENT_CARERS = 250;

/**
 * The booking rush: a 2,000-pupil school, 60 teachers, 10-minute slots over two sessions. Booking
 * opens; every family's first carer (about 1,000, with one to three children) signs in (a real
 * session), opens the booking page (its CSRF token and free times) and books a time with each of
 * their children's teachers in one submit, 250 at once, from a separate load process over HTTP.
 * Whoever loses a race is shown the nearest free times and books one of those. Afterwards the
 * database is checked for double bookings of a teacher's slot and for a carer in two places at once.
 */
export const run: Bench = async ({ database, dialect }) => {
  const { db, close } = await benchDatabase(database);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatepost-rush-'));
  try {
    const now = new Date();
    const school = await makeRushSchool(db, now);
    const today = now.toISOString().slice(0, 10);
    const created = await createEvening(db, { kind: 'system' }, school.schoolId, {
      name: 'Spring parents’ evening',
      sessions: [
        { date: '2027-03-23', starts: '13:00', ends: '16:00', slotMinutes: 10, breaks: [] },
        { date: '2027-03-24', starts: '16:00', ends: '19:00', slotMinutes: 10, breaks: [] },
      ],
      classIds: school.classIds,
      teacherIds: [],
      modes: ['in_person'],
      travelGapMinutes: 5,
      separatedCarers: 'join',
      bookingOpens: { date: today, time: '00:00' },
      bookingCloses: { date: '2027-03-22', time: '12:00' },
    }, now);
    if (!created.ok) throw new Error(`The evening was not created: ${JSON.stringify(created.errors)}`);
    const eveningId = created.id;
    const teachers = await db.selectFrom('evening_teachers').select('staff_id').where('evening_id', '=', eveningId).execute();
    await setPlaces(db, { kind: 'system' }, school.schoolId, eveningId, teachers.map((t, i) => ({ staffId: t.staff_id, room: `Room ${i + 1}`, videoLink: null })), now);
    const published = await publishEvening(db, { kind: 'system' }, school.schoolId, eveningId, now);
    if (published === 'missing' || !published.ok) throw new Error('The evening could not be published');
    if (teachers.length !== TEACHERS) throw new Error(`Expected ${TEACHERS} teachers, found ${teachers.length}`);

    // What the carers' load process needs: their session cookies, and each slot's time (to keep the travel gap).
    const carers: string[] = [];
    for (const carerId of school.bookers) {
      const { token } = await createSession(db, { kind: 'carer', id: carerId, schoolId: school.schoolId }, now);
      carers.push(`gatepost=${token}`);
    }
    const slots = await db.selectFrom('evening_slots').select(['id', 'starts_at']).where('evening_id', '=', eveningId).execute();
    const plan = path.join(dir, 'plan.json');
    fs.writeFileSync(plan, JSON.stringify({ carers, slots: Object.fromEntries(slots.map((s) => [s.id, Date.parse(s.starts_at)])), gapMs: 15 * 60_000 }));

    const server = await benchServer(db, dialect);
    try {
      const { stdout } = await run_('npx', ['tsx', 'bench/support/booking-load.ts', `${server.url}/parents-evenings/${eveningId}`, plan, String(CONCURRENT_CARERS)], { maxBuffer: 16 * 1024 * 1024 });
      const r = JSON.parse(stdout.trim().split('\n').pop()!) as { seconds: number; posts: number; p50: number; p99: number; lostRaces: number; gaveUp: number; errors: string[] };
      if (r.errors.length > 0) throw new Error(`The load run had errors: ${r.errors.slice(0, 5).join('; ')}`);

      const live = db.selectFrom('evening_bookings').where('evening_id', '=', eveningId).where('cancelled_at', 'is', null);
      const bookings = Number((await live.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const slotTwice = await sql<{ n: number }>`select count(*) as n from (select slot_id from evening_bookings where evening_id = ${eveningId} and cancelled_at is null group by slot_id having count(*) > 1) t`.execute(db);
      const carerTwice = await sql<{ n: number }>`select count(*) as n from (select a.carer_id from evening_attendees a join evening_bookings b on b.id = a.booking_id where b.evening_id = ${eveningId} and a.cancelled_at is null group by a.carer_id, a.starts_at having count(*) > 1) t`.execute(db);
      const doubles = Number(slotTwice.rows[0]!.n) + Number(carerTwice.rows[0]!.n);
      console.log(`${school.bookers.length} carers booked ${bookings} of ${PUPILS} pupils' appointments in ${r.seconds.toFixed(2)} s; ${r.posts} booking submits, ${r.lostRaces} lost a race and took a nearest time, ${r.gaveUp} gave up`);
      return {
        carers: school.bookers.length,
        concurrent: CONCURRENT_CARERS,
        bookings,
        bookings_per_s: Math.round(bookings / r.seconds),
        p50_ms: r.p50,
        p99_ms: r.p99,
        double_bookings: doubles,
      };
    } finally {
      await server.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await close();
  }
};
