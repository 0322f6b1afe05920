import { describe, expect, it } from 'vitest';
import { followUpWarning, notStartedYet } from './record-timing.ts';

const calendar = {
  terms: [
    { starts_on: '2026-09-02', ends_on: '2026-12-18' },
    { starts_on: '2027-01-05', ends_on: '2027-03-26' },
  ],
  closures: [{ starts_on: '2026-12-04', ends_on: '2026-12-04' }],
};
const meeting = '2026-11-23T15:30:00.000Z'; // Monday 23 November 2026 at 3:30pm in London

describe('when a meeting can be recorded', () => {
  it('refuses the outcome and the thank-you before the meeting starts, and allows both from its start', () => {
    expect(notStartedYet(meeting, new Date('2026-11-23T15:29:59Z'), 'Europe/London', 'outcome')).toBe(
      'This meeting has not started yet (it starts on 23 November 2026 at 3:30pm). Record what was agreed once it has started',
    );
    expect(notStartedYet(meeting, new Date('2026-11-23T10:00:00Z'), 'Europe/London', 'summary')).toBe(
      'This meeting has not started yet (it starts on 23 November 2026 at 3:30pm). Send the thank-you and summary after it',
    );
    expect(notStartedYet(meeting, new Date(meeting), 'Europe/London', 'outcome')).toBeNull();
    expect(notStartedYet(null, new Date('2026-11-23T10:00:00Z'), 'Europe/London', 'outcome')).toBeNull();
  });
});

describe('a follow-up date that looks like a slip', () => {
  const warn = (date: string) => followUpWarning(date, meeting, 'Europe/London', calendar);
  it('warns about a date before the meeting, a weekend, the holidays and a closure day', () => {
    expect(warn('2026-11-20')).toBe('Friday 20 November 2026 is before the meeting (Monday 23 November 2026). Check the date, or confirm it is right');
    expect(warn('2026-11-28')).toBe('Saturday 28 November 2026 is a weekend. Check the date, or confirm it is right');
    expect(warn('2026-12-23')).toBe('Wednesday 23 December 2026 is in the school holidays. Check the date, or confirm it is right');
    expect(warn('2026-12-04')).toBe('The school is closed on Friday 4 December 2026. Check the date, or confirm it is right');
  });

  it('is content with a school day, the meeting day itself, and dates after the last term entered', () => {
    expect(warn('2026-11-23')).toBeNull();
    expect(warn('2026-12-07')).toBeNull();
    expect(warn('2027-01-05')).toBeNull();
    expect(warn('2027-04-14')).toBeNull();
  });
});
