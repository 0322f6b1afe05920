import type { Instant, MeetingMode } from '../db/schema.ts';
import { clashBetween, type Appointment } from '../features/evenings/booking.ts';

/**
 * Which times the demo's families book at a parents' evening, worked out in memory before anything
 * is written: first come, first served, each family near the time of evening it likes, brothers and
 * sisters one after another with the travel gap between, and a teacher's last times left free.
 * The real bookAppointments then books exactly these, as the carer, at the time they booked.
 */
export type SlotRow = { id: string; staffId: string; starts: Instant; ends: Instant; unavailable: boolean };

export type Want = {
  carerId: string;
  /** The children, each with the teacher to see, in the order the family books them. */
  children: { pupilId: string; staffId: string }[];
  /** When they booked. */
  at: Date;
  mode: MeetingMode;
  /** Where in the evening they would like to be: 0 the first time, 1 the last. */
  prefer: number;
  /** Exact start times for some children (the JOURNEYS families), by pupil id. */
  fixed?: Record<string, Instant>;
  /** Booked by the office for a carer who rang. */
  byOffice?: boolean;
};

export type Choice = { pupilId: string; staffId: string; slotId: string; mode: MeetingMode };
export type Planned = Want & { choices: Choice[] };

/**
 * Times for every family, in the order they booked; a child whose teacher has only `leaveFree`
 * times left, or no time that fits, is left out (and a family with nothing to book drops out).
 */
export function planTimes(wants: Want[], slots: SlotRow[], gapMinutes: number, leaveFree: number): Planned[] {
  const times = [...new Set(slots.map((s) => s.starts))].sort();
  const index = new Map(times.map((t, i) => [t, i]));
  const byStaff = new Map<string, SlotRow[]>();
  for (const s of slots) if (!s.unavailable) byStaff.set(s.staffId, [...(byStaff.get(s.staffId) ?? []), s]);
  const taken = new Set<string>();
  const booked = new Map<string, number>();
  const planned: Planned[] = [];
  // The times the JOURNEYS families booked are theirs, whenever in the week they booked.
  const reserved = new Map<string, Want>();
  for (const want of wants) {
    for (const [pupilId, starts] of Object.entries(want.fixed ?? {})) {
      const staffId = want.children.find((c) => c.pupilId === pupilId)?.staffId;
      const slot = slots.find((s) => s.staffId === staffId && s.starts === starts && !s.unavailable);
      if (!slot || reserved.has(slot.id)) throw new Error(`The demo wants ${starts} for a family, and it is not free`);
      reserved.set(slot.id, want);
    }
  }

  for (const want of [...wants].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const mine: (Appointment & { slotId: string })[] = [];
    const choices: Choice[] = [];
    let target = Math.round(want.prefer * (times.length - 1));
    for (const child of want.children) {
      const open = byStaff.get(child.staffId) ?? [];
      if ((booked.get(child.staffId) ?? 0) >= open.length - leaveFree) continue;
      const fixed = want.fixed?.[child.pupilId];
      const candidates = open
        .filter((s) => !taken.has(s.id) && (reserved.get(s.id) ?? want) === want && (!fixed || s.starts === fixed))
        .sort((a, b) => Math.abs(index.get(a.starts)! - target) - Math.abs(index.get(b.starts)! - target) || a.starts.localeCompare(b.starts));
      const slot = candidates.find((s) => !mine.some((m) => clashBetween({ starts: s.starts, ends: s.ends, staffId: s.staffId }, m, gapMinutes)));
      if (!slot) {
        if (fixed) throw new Error(`The demo's time ${fixed} for a family does not fit their other appointments`);
        continue;
      }
      taken.add(slot.id);
      booked.set(child.staffId, (booked.get(child.staffId) ?? 0) + 1);
      mine.push({ starts: slot.starts, ends: slot.ends, staffId: slot.staffId, slotId: slot.id });
      choices.push({ pupilId: child.pupilId, staffId: child.staffId, slotId: slot.id, mode: want.mode });
      // A brother or sister next: two times on, leaving room to walk between classrooms.
      target = index.get(slot.starts)! + 2;
    }
    if (choices.length > 0) planned.push({ ...want, choices });
  }
  return planned;
}
