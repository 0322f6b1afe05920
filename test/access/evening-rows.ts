import { createEvening } from '../../src/features/evenings/setup-commands.ts';
import { insertStaff, staffRow, type Fixture } from '../support/fixture.ts';
import { mine, perPerson, SEE_PUPILS, type FeatureRows, type Who } from './types.ts';

/**
 * Parents' evenings, set-up and schedules: every route, who may use it (from issue 4: leaders set
 * up; staff who see pupils see evenings; a teacher sees their own schedule and marks their own
 * slots; head, senior leader and office see any teacher's schedule and mark any slot).
 * The evening here has Mr Okafor (the matrix's teacher) and Ms Hall; the slot is Mr Okafor's.
 */
const LEADERS: Who[] = ['head', 'senior_leader', 'office'];

/** The evening set up below: Years 3 and 4, in person, on 26 November 2026 (booking closed the day before). */
const AS_SET_UP = (fx: Fixture) => ({
  sessions: [{ date: '2026-11-26', starts: '15:30', ends: '16:30', slotMinutes: 10, breaks: [] }],
  classIds: [fx.classes.y3, fx.classes.y4],
  teacherIds: [],
  modes: ['in_person' as const],
  travelGapMinutes: 5,
  separatedCarers: 'own' as const,
  bookingOpens: { date: '2026-11-02', time: '18:00' },
  bookingCloses: { date: '2026-11-25', time: '12:00' },
});

/** A new evening for Years 3 and 4, two months from today. */
function eveningForm(f: Fixture): Record<string, string | string[]> {
  const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  return {
    s1_date: day(60),
    s1_starts: '15:30',
    s1_ends: '17:30',
    s1_slot_minutes: '10',
    class_ids: [f.classes.y3, f.classes.y4],
    modes: ['in_person'],
    travel_gap: '5',
    separated_carers: 'own',
    opens_date: day(30),
    opens_time: '18:00',
    closes_date: day(58),
    closes_time: '12:00',
  };
}

export const eveningRows: FeatureRows = {
  setup: async (t) => {
    const make = async (name: string) => {
      const made = await createEvening(t.db, { kind: 'system' }, t.fx.school.id, { ...AS_SET_UP(t.fx), name }, new Date('2026-10-01T09:00:00Z'));
      if (!made.ok) throw new Error(JSON.stringify(made.errors));
      return made.id;
    };
    // The other school's class gets a teacher, so that its head can set up an evening too.
    const otherTeacher = await insertStaff(
      t.db,
      staffRow('2026-11-23T09:00:00.000Z', { school_id: t.fx.other.id, email: 'teacher@other.test', title: 'Ms', given_name: 'Ola', family_name: 'Other', job_title: 'teacher' }),
      ['teacher'],
    );
    await t.db.insertInto('class_teachers').values({ class_id: t.fx.classes.other, staff_id: otherTeacher, school_id: t.fx.other.id }).execute();
    // An evening each to publish, its rooms given.
    const toPublish = await perPerson('publishEvening', LEADERS, async (who) => {
      const id = await make(`Matrix evening to publish (${who})`);
      await t.db.updateTable('evening_teachers').set({ room: 'Hall' }).where('evening_id', '=', id).execute();
      return id;
    });
    const eveningId = await make('Access matrix evening');
    // Mr Okafor's first slots: one each to mark unavailable, then available again.
    const slots = await t.db.selectFrom('evening_slots').select('id').where('evening_id', '=', eveningId).where('staff_id', '=', t.fx.staff.teacher).orderBy('starts_at').execute();
    const markers: Who[] = ['teacher', ...LEADERS];
    return { setupEveningId: eveningId, setupSlotId: slots[0]!.id, ...Object.fromEntries(markers.map((who, i) => [`setupSlotId.${who}`, slots[i]!.id])), ...toPublish };
  },
  rows: {
    'GET /evenings': { allowed: SEE_PUPILS, url: () => '/evenings' },
    'GET /evenings/new': { allowed: LEADERS, url: () => '/evenings/new' },
    'POST /evenings/new': {
      allowed: LEADERS,
      url: () => '/evenings/new',
      form: (f, _ids, who) => ({
        ...eveningForm(f),
        name: `Spring parents’ evening (${who})`,
        // The other school's head sets one up for their own class (setup gives it a teacher).
        ...(who === 'other_head' ? { class_ids: [f.classes.other] } : {}),
      }),
    },
    'GET /evenings/:eveningId': { allowed: SEE_PUPILS, url: (_f, ids) => `/evenings/${ids.setupEveningId}` },
    'GET /evenings/:eveningId/edit': { allowed: LEADERS, url: (_f, ids) => `/evenings/${ids.setupEveningId}/edit` },
    // The same sessions, classes and teachers (so its slots stay), a new name.
    'POST /evenings/:eveningId/edit': {
      allowed: LEADERS,
      url: (_f, ids) => `/evenings/${ids.setupEveningId}/edit`,
      form: (f, _ids, who) => ({
        ...eveningForm(f),
        name: `Access matrix evening (${who})`,
        s1_date: '26/11/2026',
        s1_ends: '16:30',
        opens_date: '2/11/2026',
        closes_date: '25/11/2026',
        closes_time: '12:00',
      }),
    },
    'GET /evenings/:eveningId/rooms': { allowed: LEADERS, url: (_f, ids) => `/evenings/${ids.setupEveningId}/rooms` },
    'POST /evenings/:eveningId/rooms': {
      allowed: LEADERS,
      url: (_f, ids) => `/evenings/${ids.setupEveningId}/rooms`,
      form: (f, _ids, who) => ({ [`room_${f.staff.teacher}`]: `Room 3 (${who})`, [`room_${f.staff.teacher2}`]: 'Room 4' }),
    },
    'POST /evenings/:eveningId/publish': { allowed: LEADERS, url: (_f, ids, who) => `/evenings/${mine(ids, 'publishEvening', who)}/publish`, form: () => ({}) },
    // Only a teacher of the evening has a schedule of their own.
    'GET /evenings/:eveningId/schedule': { allowed: ['teacher'], url: (_f, ids) => `/evenings/${ids.setupEveningId}/schedule` },
    'GET /evenings/:eveningId/schedule.ics': { allowed: ['teacher'], url: (_f, ids) => `/evenings/${ids.setupEveningId}/schedule.ics` },
    // Ms Hall's schedule: leaders may look; Mr Okafor may not.
    'GET /evenings/:eveningId/teachers/:staffId/schedule': { allowed: LEADERS, url: (f, ids) => `/evenings/${ids.setupEveningId}/teachers/${f.staff.teacher2}/schedule` },
    // Mr Okafor's slot: he may mark it, and so may leaders.
    'POST /evenings/:eveningId/slots/:slotId/unavailable': {
      allowed: ['teacher', ...LEADERS],
      url: (_f, ids, who) => `/evenings/${ids.setupEveningId}/slots/${mine(ids, 'setupSlotId', who)}/unavailable`,
      form: () => ({}),
    },
    'POST /evenings/:eveningId/slots/:slotId/available': {
      allowed: ['teacher', ...LEADERS],
      url: (_f, ids, who) => `/evenings/${ids.setupEveningId}/slots/${mine(ids, 'setupSlotId', who)}/available`,
      form: () => ({}),
    },
  },
};
