import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { staff } from '../../platform/access/policy.ts';
import { hasAnyRole, type StaffUser } from '../../platform/access/roles.ts';
import { calendarFile } from '../../platform/calendar/ics.ts';
import type { FeatureDeps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { audit } from '../../platform/audit/audit.ts';
import { sendCsv } from '../../platform/web/csv.ts';
import type { FieldErrors } from '../../platform/web/forms.ts';
import { BOOKING_RECORD_ROLES } from '../../platform/access/roles.ts';
import { needsWords, scheduleEvents, scheduleRows, type ScheduleSlot } from './schedule.ts';
import { bannedFromPremises } from '../conduct/index.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { cancelledOf, scheduleOf, setSlotAvailability, slotOf } from './schedule-queries.ts';
import { actorOf, eveningFrom, EVENING_LEADERS, EVENING_VIEWERS } from './setup-access.ts';
import type { EveningDetail } from './setup-queries.ts';
import { eveningStatus } from './setup.ts';

const V = 'features/evenings/views';
/** Staff who see pupils may ask; each handler then lets in the teacher (their own) and leaders (anyone's). */
const viewers = staff(EVENING_VIEWERS);

const STATE_WORDS = { free: 'Free', unavailable: 'Unavailable', held: 'Being booked now', booked: 'Booked' } as const;

const REFUSALS = {
  booked: 'This time is booked. To free it, cancel the appointment first (the family is then told), then mark it unavailable.',
  held: 'A family is booking this time right now. Try again in a few minutes, or cancel their appointment once it is booked.',
};

/** A teacher's schedule: their own, or (for leaders) anyone's; printable; a calendar file; slots marked unavailable. */
export function scheduleRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  function teacherOf(detail: EveningDetail, staffId: string) {
    const teacher = detail.teachers.find((t) => t.staffId === staffId);
    if (!teacher) throw notFound();
    return teacher;
  }

  /**
   * Carers banned from the premises (features/conduct) on the day of their appointment in person: an
   * appointment booked before the ban stands, so the teacher's schedule says to change it.
   */
  async function withPremisesBans(schoolId: string, slots: ScheduleSlot[], timeZone: string): Promise<ScheduleSlot[]> {
    const dayOf = (s: ScheduleSlot) => localDate(new Date(s.startsAt), timeZone);
    const byDay = new Map<string, string[]>();
    for (const s of slots) if (s.booking?.mode === 'in_person') byDay.set(dayOf(s), [...(byDay.get(dayOf(s)) ?? []), ...s.booking.carers.flatMap((c) => (c.id ? [c.id] : []))]);
    const banned = new Set<string>();
    for (const [day, ids] of byDay) for (const id of await bannedFromPremises(db, schoolId, ids, day)) banned.add(`${day}|${id}`);
    if (banned.size === 0) return slots;
    return slots.map((s) => (s.booking ? { ...s, booking: { ...s.booking, carers: s.booking.carers.map((c) => ({ ...c, bannedFromPremises: banned.has(`${dayOf(s)}|${c.id}`) })) } } : s));
  }

  async function schedulePage(request: FastifyRequest, reply: FastifyReply, detail: EveningDetail, staffId: string, extra: { errors?: FieldErrors; status?: number } = {}) {
    const user = request.user as StaffUser;
    const teacher = teacherOf(detail, staffId);
    const timeZone = request.school!.time_zone;
    const now = clock();
    const days = scheduleRows(await withPremisesBans(user.schoolId, await scheduleOf(db, user.schoolId, detail.evening.id, staffId), timeZone), teacher, timeZone, now);
    const own = staffId === user.id;
    const booked = days.reduce((n, d) => n + d.rows.filter((r) => r.state === 'booked').length, 0);
    const { done } = request.query as { done?: string };
    return reply.code(extra.status ?? 200).page(`${V}/schedule.njk`, {
      title: own ? `Your schedule: ${detail.evening.name}` : `${teacher.name}'s schedule: ${detail.evening.name}`,
      backLink: `/evenings/${detail.evening.id}`,
      detail,
      teacher,
      own,
      days,
      booked,
      status: eveningStatus(detail.evening, now),
      video: detail.modes.includes('video'),
      mayRecord: hasAnyRole(user, BOOKING_RECORD_ROLES),
      errors: extra.errors,
      done,
    });
  }

  app.get('/evenings/:eveningId/schedule', { config: { policy: viewers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    return schedulePage(request, reply, await eveningFrom(deps, request), user.id);
  });

  app.get('/evenings/:eveningId/schedule.ics', { config: { policy: viewers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const detail = await eveningFrom(deps, request);
    const teacher = teacherOf(detail, user.id);
    const [slots, cancelled] = await Promise.all([scheduleOf(db, user.schoolId, detail.evening.id, user.id), cancelledOf(db, user.schoolId, detail.evening.id, user.id)]);
    const events = scheduleEvents(detail.evening.name, slots, teacher, cancelled);
    return reply
      .type('text/calendar; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="parents-evening.ics"')
      .header('Cache-Control', 'no-store')
      .send(calendarFile(events, clock()));
  });

  // The schedules as a spreadsheet: every teacher's for those who lead evenings, otherwise the teacher's own. Audited.
  app.get('/evenings/:eveningId/schedule.csv', { config: { policy: viewers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const detail = await eveningFrom(deps, request);
    const teachers = hasAnyRole(user, EVENING_LEADERS) ? detail.teachers : [teacherOf(detail, user.id)];
    const timeZone = request.school!.time_zone;
    const now = clock();
    const rows: (string | null)[][] = [];
    for (const teacher of teachers) {
      for (const day of scheduleRows(await scheduleOf(db, user.schoolId, detail.evening.id, teacher.staffId), teacher, timeZone, now)) {
        for (const r of day.rows) rows.push([day.date, r.time, teacher.name, teacher.room, STATE_WORDS[r.state], r.child, r.carers, r.mode, r.where, needsWords(r.needs)]);
      }
    }
    await audit(
      db,
      actorOf(request),
      { schoolId: user.schoolId, action: 'export.downloaded', entity: 'evening', entityId: detail.evening.id, after: { what: 'evening_schedule', rows: rows.length, teachers: teachers.length } },
      now,
    );
    return sendCsv(
      reply,
      `${detail.evening.name}-${teachers.length === 1 ? teachers[0]!.name : 'schedules'}`,
      ['Date', 'Time', 'Teacher', 'Room', 'State', 'Child', 'Parents and carers', 'Way to meet', 'Room, link or number', 'Help asked for'],
      rows,
    );
  });

  app.get('/evenings/:eveningId/teachers/:staffId/schedule', { config: { policy: viewers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { staffId } = request.params as { staffId: string };
    if (staffId !== user.id && !hasAnyRole(user, EVENING_LEADERS)) throw notFound();
    return schedulePage(request, reply, await eveningFrom(deps, request), staffId);
  });

  for (const [action, unavailable] of [
    ['unavailable', true],
    ['available', false],
  ] as const) {
    app.post(`/evenings/:eveningId/slots/:slotId/${action}`, { config: { policy: viewers } }, async (request, reply) => {
      const user = request.user as StaffUser;
      const detail = await eveningFrom(deps, request);
      const { slotId } = request.params as { slotId: string };
      const slot = await slotOf(db, user.schoolId, detail.evening.id, slotId);
      if (!slot || (slot.staff_id !== user.id && !hasAnyRole(user, EVENING_LEADERS))) throw notFound();
      const result = await setSlotAvailability(db, actorOf(request), user.schoolId, slot.id, unavailable, clock());
      if (result === 'booked' || result === 'held') {
        return schedulePage(request, reply, detail, slot.staff_id, { errors: { [`slot-${slot.id}`]: REFUSALS[result] }, status: 409 });
      }
      const page = slot.staff_id === user.id ? `/evenings/${detail.evening.id}/schedule` : `/evenings/${detail.evening.id}/teachers/${slot.staff_id}/schedule`;
      return reply.redirect(`${page}?done=${action}#slot-${slot.id}`, 303);
    });
  }
}
