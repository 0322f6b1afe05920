import { describe, expect, it } from 'vitest';
import { overlappingSessions, sessionProblem, slotsOf, type Session } from './slots.ts';

const evening: Session = { date: '2026-11-26', starts: '15:30', ends: '18:30', slotMinutes: 10, breaks: [{ starts: '17:00', ends: '17:20' }] };

describe("parents' evening slots", () => {
  it('makes 10-minute slots around the break', () => {
    const slots = slotsOf(evening, 'Europe/London');
    expect(slots).toHaveLength(16);
    expect(slots[0]).toEqual({ starts: '2026-11-26T15:30:00.000Z', ends: '2026-11-26T15:40:00.000Z', label: '15:30' });
    expect(slots.map((s) => s.label)).not.toContain('17:00');
    expect(slots.map((s) => s.label)).toContain('17:20');
    expect(slots.at(-1)?.label).toBe('18:20');
  });

  it('never lets a slot run into a break that starts between slot times', () => {
    const slots = slotsOf({ date: '2026-11-26', starts: '15:30', ends: '16:30', slotMinutes: 10, breaks: [{ starts: '15:45', ends: '15:55' }] }, 'Europe/London');
    expect(slots.map((s) => s.label)).toEqual(['15:30', '15:55', '16:05', '16:15']);
  });

  it('keeps every slot at the right time on the Sunday the clocks go back, and on the Sunday they go forward', () => {
    const autumn = slotsOf({ date: '2026-10-25', starts: '15:30', ends: '16:00', slotMinutes: 10, breaks: [] }, 'Europe/London');
    expect(autumn.map((s) => s.starts)).toEqual(['2026-10-25T15:30:00.000Z', '2026-10-25T15:40:00.000Z', '2026-10-25T15:50:00.000Z']);
    const spring = slotsOf({ date: '2027-03-28', starts: '15:30', ends: '15:50', slotMinutes: 10, breaks: [] }, 'Europe/London');
    expect(spring.map((s) => s.starts)).toEqual(['2027-03-28T14:30:00.000Z', '2027-03-28T14:40:00.000Z']);
    expect(spring.map((s) => s.label)).toEqual(['15:30', '15:40']);
  });

  it('says clearly when a slot length does not fit, a break is outside the session, or sessions overlap', () => {
    expect(sessionProblem({ ...evening, slotMinutes: 15, breaks: [{ starts: '17:00', ends: '17:10' }] })).toBe(
      '15-minute slots do not fit the 170 minutes of the session: change the times or the slot length',
    );
    expect(sessionProblem({ ...evening, breaks: [{ starts: '18:20', ends: '18:40' }] })).toBe('Breaks must fall inside the session');
    expect(sessionProblem({ ...evening, ends: '15:00' })).toBe('The session must end after it starts');
    expect(overlappingSessions([evening, { ...evening, starts: '18:00', ends: '19:00' }])).toBe('The sessions on 2026-11-26 overlap (15:30–18:30 and 18:00–19:00)');
    expect(overlappingSessions([evening, { ...evening, date: '2026-11-27', starts: '08:00', ends: '09:00' }])).toBeNull();
  });
});
