import { describe, expect, it } from 'vitest';
import { textIn } from '../../platform/i18n/catalog.ts';
import { canCancel, canOffer, meetingTime, placeProblem, preferredTimesText, staffingProblem, whereText, whoWillBeThere } from './meetings-rules.ts';

const NOW = new Date('2026-11-23T09:00:00.000Z');

describe('a meeting’s time', () => {
  it('turns school time into UTC, in winter and in summer', () => {
    expect(meetingTime('2026-12-01', '15:30', 20, 'Europe/London', NOW)).toEqual({ ok: true, startsAt: '2026-12-01T15:30:00.000Z', endsAt: '2026-12-01T15:50:00.000Z' });
    expect(meetingTime('2027-06-10', '08:45', 30, 'Europe/London', NOW)).toEqual({ ok: true, startsAt: '2027-06-10T07:45:00.000Z', endsAt: '2027-06-10T08:15:00.000Z' });
  });

  it('is right on the days the clocks change, outside the changing hour', () => {
    expect(meetingTime('2027-03-28', '18:00', 15, 'Europe/London', NOW)).toMatchObject({ ok: true, startsAt: '2027-03-28T17:00:00.000Z' });
    expect(meetingTime('2027-10-31', '18:00', 15, 'Europe/London', NOW)).toMatchObject({ ok: true, startsAt: '2027-10-31T18:00:00.000Z' });
  });

  it('refuses the hour the clocks skip and the hour that happens twice, in words', () => {
    expect(meetingTime('2027-03-28', '01:30', 15, 'Europe/London', NOW)).toEqual({
      ok: false,
      field: 'time',
      error: 'The clocks go forward on 28 March 2027, so 01:30 does not exist that day: choose another time',
    });
    expect(meetingTime('2027-10-31', '01:30', 15, 'Europe/London', NOW)).toEqual({
      ok: false,
      field: 'time',
      error: 'The clocks go back on 31 October 2027, so 01:30 happens twice that day: choose another time',
    });
  });

  it('refuses the past, now itself, and what is not a date or time', () => {
    expect(meetingTime('2026-11-23', '09:00', 15, 'Europe/London', NOW)).toMatchObject({ ok: false, field: 'date', error: 'The meeting must be in the future' });
    expect(meetingTime('2026-11-22', '15:00', 15, 'Europe/London', NOW)).toMatchObject({ ok: false, error: 'The meeting must be in the future' });
    expect(meetingTime('2026-11-31', '15:00', 15, 'Europe/London', NOW)).toMatchObject({
      ok: false,
      field: 'date',
      error: 'There is no 31 November 2026: write a real date, like 9/12/2026 or 9 December 2026',
    });
    expect(meetingTime('1/12/26', '15:00', 15, 'Europe/London', NOW)).toMatchObject({ ok: false, field: 'date', error: 'Write the year in full, like 9/12/2026 or 9 December 2026' });
    expect(meetingTime('2026-12-01', '3', 15, 'Europe/London', NOW)).toMatchObject({ ok: false, field: 'time', error: 'Say whether 3 is in the morning or afternoon, like 3am or 3pm' });
    // Typed as a UK office types them.
    expect(meetingTime('1/12/2026', '3pm', 15, 'Europe/London', NOW)).toEqual(meetingTime('2026-12-01', '15:00', 15, 'Europe/London', NOW));
    expect(meetingTime('1 Dec 2026', '3.00 pm', 15, 'Europe/London', NOW)).toMatchObject({ ok: true, startsAt: '2026-12-01T15:00:00.000Z' });
    expect(meetingTime('2026-12-01', '24:00', 15, 'Europe/London', NOW)).toMatchObject({ ok: false, field: 'time' });
  });
});

describe('who must be there', () => {
  it('needs two members of staff for a home visit, and a colleague who is not the lead', () => {
    expect(staffingProblem('home_visit', 'a', null)).toBe('A home visit needs two members of staff');
    expect(staffingProblem('home_visit', 'a', 'a')).toBe('Choose a colleague who is not the person leading the meeting');
    expect(staffingProblem('home_visit', 'a', 'b')).toBeNull();
    expect(staffingProblem('appointment', 'a', null)).toBeNull();
  });
});

describe('where and how', () => {
  it('needs a place in person, an https link for video, nothing for a phone call', () => {
    expect(placeProblem('in_person', null, null)?.field).toBe('place');
    expect(placeProblem('video', 'Room 3', null)).toEqual({ field: 'video_link', error: 'Enter the link to the video call' });
    expect(placeProblem('video', null, 'javascript:alert(1)')).toEqual({ field: 'video_link', error: 'Enter the video call link starting with https://' });
    expect(placeProblem('video', null, 'https://meet.example/x')).toBeNull();
    expect(placeProblem('phone', null, null)).toBeNull();
    expect(whereText({ mode: 'phone', place: 'Room 3', video_link: null })).toBe('By phone: the school will call you');
    expect(whereText({ mode: 'in_person', place: null, video_link: null })).toBe('At school');
  });
});

describe('the times a carer prefers', () => {
  it('reads as the school would write it, in the day’s order', () => {
    expect(preferredTimesText(['evening', 'before_school'], 'Not Mondays')).toBe('Before school, in the evening. Not Mondays');
    expect(preferredTimesText([], '  ')).toBeNull();
    expect(preferredTimesText(['school_day'], null)).toBe('During the school day');
  });
});

describe('what can change when', () => {
  it('offers times only before a meeting is arranged and cancels only what has not happened', () => {
    expect([canOffer('requested'), canOffer('offered'), canOffer('scheduled')]).toEqual([true, true, false]);
    expect([canCancel('scheduled'), canCancel('held'), canCancel('cancelled')]).toEqual([true, false, false]);
  });
});

describe('who will be there, in the reader’s words', () => {
  it('names the interpreter’s language in the reader’s language, as it stands in a sentence (issue 13, points 4 and 6)', () => {
    const interpreter = (code: string, language: string) => whoWillBeThere([], [], language, textIn(code));
    expect(interpreter('en', 'Arabic')).toBe('an interpreter for Arabic');
    expect(interpreter('en', 'arabic')).toBe('an interpreter for Arabic');
    expect(interpreter('pl', 'Arabic')).toBe('tłumacz (język: arabski)');
    expect(interpreter('ro', 'Arabic')).toBe('un interpret de arabă');
    expect(interpreter('pt', 'Polish')).toBe('um intérprete de polonês');
    expect(interpreter('vi', 'Arabic')).toBe('một thông dịch viên tiếng Ả Rập');
    expect(interpreter('ur', 'Arabic')).toBe('عربی کا ترجمان');
    expect(interpreter('ar', 'Polish')).toBe('مترجم للغة البولندية');
    // A language Gatepost has no name for is written as the school recorded it.
    expect(interpreter('pl', 'Amharic')).toBe('tłumacz (język: Amharic)');
  });
});
