import { createEvening } from '../../src/features/evenings/setup-queries.ts';
import { SEE_PUPILS, type FeatureRows, type Who } from './types.ts';

/**
 * Parents' evenings, set-up and schedules: every route, who may use it (from issue 4: leaders set
 * up; staff who see pupils see evenings; a teacher sees their own schedule and marks their own
 * slots; head, senior leader and office see any teacher's schedule and mark any slot).
 * The evening here has Mr Okafor (the matrix's teacher) and Ms Hall; the slot is Mr Okafor's.
 */
const LEADERS: Who[] = ['head', 'senior_leader', 'office'];

export const eveningRows: FeatureRows = {
  setup: async (t) => {
    const made = await createEvening(
      t.db,
      { kind: 'system' },
      t.fx.school.id,
      {
        name: 'Access matrix evening',
        sessions: [{ date: '2026-11-26', starts: '15:30', ends: '16:30', slotMinutes: 10, breaks: [] }],
        classIds: [t.fx.classes.y3, t.fx.classes.y4],
        teacherIds: [],
        modes: ['in_person'],
        travelGapMinutes: 5,
        separatedCarers: 'own',
        bookingOpens: { date: '2026-11-02', time: '18:00' },
        bookingCloses: { date: '2026-11-25', time: '12:00' },
      },
      new Date('2026-10-01T09:00:00Z'),
    );
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    const slot = await t.db.selectFrom('evening_slots').select('id').where('evening_id', '=', made.id).where('staff_id', '=', t.fx.staff.teacher).orderBy('starts_at').executeTakeFirstOrThrow();
    return { setupEveningId: made.id, setupSlotId: slot.id };
  },
  rows: {
    'GET /evenings': { allowed: SEE_PUPILS, url: () => '/evenings' },
    'GET /evenings/new': { allowed: LEADERS, url: () => '/evenings/new' },
    'POST /evenings/new': { allowed: LEADERS, url: () => '/evenings/new' },
    'GET /evenings/:eveningId': { allowed: SEE_PUPILS, url: (_f, ids) => `/evenings/${ids.setupEveningId}` },
    'GET /evenings/:eveningId/edit': { allowed: LEADERS, url: (_f, ids) => `/evenings/${ids.setupEveningId}/edit` },
    'POST /evenings/:eveningId/edit': { allowed: LEADERS, url: (_f, ids) => `/evenings/${ids.setupEveningId}/edit` },
    'GET /evenings/:eveningId/rooms': { allowed: LEADERS, url: (_f, ids) => `/evenings/${ids.setupEveningId}/rooms` },
    'POST /evenings/:eveningId/rooms': { allowed: LEADERS, url: (_f, ids) => `/evenings/${ids.setupEveningId}/rooms` },
    'POST /evenings/:eveningId/publish': { allowed: LEADERS, url: (_f, ids) => `/evenings/${ids.setupEveningId}/publish` },
    // Only a teacher of the evening has a schedule of their own.
    'GET /evenings/:eveningId/schedule': { allowed: ['teacher'], url: (_f, ids) => `/evenings/${ids.setupEveningId}/schedule` },
    'GET /evenings/:eveningId/schedule.ics': { allowed: ['teacher'], url: (_f, ids) => `/evenings/${ids.setupEveningId}/schedule.ics` },
    // Ms Hall's schedule: leaders may look; Mr Okafor may not.
    'GET /evenings/:eveningId/teachers/:staffId/schedule': { allowed: LEADERS, url: (f, ids) => `/evenings/${ids.setupEveningId}/teachers/${f.staff.teacher2}/schedule` },
    // Mr Okafor's slot: he may mark it, and so may leaders.
    'POST /evenings/:eveningId/slots/:slotId/unavailable': { allowed: ['teacher', ...LEADERS], url: (_f, ids) => `/evenings/${ids.setupEveningId}/slots/${ids.setupSlotId}/unavailable` },
    'POST /evenings/:eveningId/slots/:slotId/available': { allowed: ['teacher', ...LEADERS], url: (_f, ids) => `/evenings/${ids.setupEveningId}/slots/${ids.setupSlotId}/available` },
  },
};
