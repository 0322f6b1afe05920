import { describe, expect, it } from 'vitest';
import { arrangedFor, type MeetingForPurpose } from './meetings-about.ts';

const SINCE = '2026-11-27T00:00:00.000Z';
const meeting = (m: Partial<MeetingForPurpose> = {}): MeetingForPurpose => ({
  kind: 'appointment',
  status: 'scheduled',
  purpose: 'attendance',
  starts_at: '2026-12-10T15:30:00.000Z',
  created_at: '2026-12-01T09:00:00.000Z',
  ...m,
});

describe('a meeting arranged for a purpose (the attendance list’s "Meeting arranged")', () => {
  it('counts a meeting arranged from the attendance link, on or after the figures’ date, whatever its topic', () => {
    expect(arrangedFor(meeting(), 'attendance', SINCE)).toBe(true);
    expect(arrangedFor(meeting({ starts_at: SINCE }), 'attendance', SINCE)).toBe(true);
    expect(arrangedFor(meeting({ status: 'held' }), 'attendance', SINCE)).toBe(true);
  });

  it('does not count a meeting that only mentions attendance in its topic (no purpose stored)', () => {
    expect(arrangedFor(meeting({ purpose: null }), 'attendance', SINCE)).toBe(false);
  });

  it('does not count a cancelled meeting, a parents’ evening appointment, or one before the figures', () => {
    expect(arrangedFor(meeting({ status: 'cancelled' }), 'attendance', SINCE)).toBe(false);
    expect(arrangedFor(meeting({ kind: 'parents_evening' }), 'attendance', SINCE)).toBe(false);
    expect(arrangedFor(meeting({ starts_at: '2026-11-26T15:30:00.000Z' }), 'attendance', SINCE)).toBe(false);
  });

  it('counts a request not yet given a time by when it was made', () => {
    expect(arrangedFor(meeting({ status: 'requested', starts_at: null, created_at: '2026-11-28T08:00:00.000Z' }), 'attendance', SINCE)).toBe(true);
    expect(arrangedFor(meeting({ status: 'requested', starts_at: null, created_at: '2026-11-20T08:00:00.000Z' }), 'attendance', SINCE)).toBe(false);
  });
});
