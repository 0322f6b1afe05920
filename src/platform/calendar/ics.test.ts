import { describe, expect, it } from 'vitest';
import { calendarFile } from './ics.ts';

describe('calendar files', () => {
  it('puts an evening on the day the clocks go back at the right UTC time, with a reminder', () => {
    // Sunday 25 October 2026, 17:40 in London is 17:40 UTC (summer time ended at 02:00).
    const file = calendarFile([
      { uid: 'b1', title: "Parents' evening: Mr Okafor about Kuba", description: 'Room 3', location: 'Room 3', starts: '2026-10-25T17:40:00.000Z', ends: '2026-10-25T17:50:00.000Z' },
    ]);
    expect(file).toContain('DTSTART:20261025T174000Z');
    expect(file).toContain('DTEND:20261025T175000Z');
    expect(file).toContain('UID:b1@gatepost');
    expect(file).toContain('BEGIN:VALARM');
    expect(file).toContain('STATUS:CONFIRMED');
  });

  it('marks a cancelled appointment so calendars drop it', () => {
    const file = calendarFile([{ uid: 'b1', title: 'Meeting', description: '', starts: '2026-03-29T16:00:00.000Z', ends: '2026-03-29T16:30:00.000Z', cancelled: true }]);
    expect(file).toContain('STATUS:CANCELLED');
    expect(file).not.toContain('BEGIN:VALARM');
  });

  it('says which version of the event it is (SEQUENCE) and when the file was made (DTSTAMP)', () => {
    const event = { uid: 'b1', title: 'Meeting', description: '', starts: '2026-11-26T16:30:00.000Z', ends: '2026-11-26T16:40:00.000Z' };
    const first = calendarFile([event], new Date('2026-11-10T12:00:00.000Z'));
    expect(first).toContain('DTSTAMP:20261110T120000Z');
    expect(first).not.toContain('SEQUENCE:');
    const moved = calendarFile([{ ...event, sequence: 2 }], new Date('2026-11-11T09:00:00.000Z'));
    expect(moved).toContain('UID:b1@gatepost');
    expect(moved).toContain('SEQUENCE:2');
    expect(moved).toContain('DTSTAMP:20261111T090000Z');
  });
});
