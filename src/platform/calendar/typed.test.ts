import { describe, expect, it } from 'vitest';
import { readDate, readTime } from './typed.ts';

describe('dates as UK offices and homes type them', () => {
  it.each([
    '9/12/2026',
    '09/12/2026',
    '9.12.2026',
    '9-12-2026',
    ' 9 / 12 / 2026 ',
    '9 Dec 2026',
    '9 dec 2026',
    '9 December 2026',
    'Wed 9 Dec 2026',
    'Wednesday 9th December 2026',
    '9 December, 2026',
    '2026-12-09',
    '2026-12-9',
  ])('%s is 9 December 2026', (typed) => expect(readDate(typed)).toEqual({ ok: true, date: '2026-12-09' }));

  it.each(['9 Sept 2026', '9 Sep 2026', '9 September 2026'])('%s is 9 September 2026', (typed) => expect(readDate(typed)).toEqual({ ok: true, date: '2026-09-09' }));

  it.each([
    ['31/2/2027', 'There is no 31 February 2027: write a real date, like 9/12/2026 or 9 December 2026'],
    ['29/02/2027', 'There is no 29 February 2027: write a real date, like 9/12/2026 or 9 December 2026'],
    ['2027-02-31', 'There is no 31 February 2027: write a real date, like 9/12/2026 or 9 December 2026'],
    ['12/31/2026', 'Write the day before the month, like 9/12/2026 or 9 December 2026'],
    ['9/13/2026', 'Write the day before the month, like 9/12/2026 or 9 December 2026'],
    ['20/13/2026', 'There is no month 13: write a real date, like 9/12/2026 or 9 December 2026'],
    ['9/12/26', 'Write the year in full, like 9/12/2026 or 9 December 2026'],
    ['9/12', 'Include the year, like 9/12/2026 or 9 December 2026'],
    ['9 December', 'Include the year, like 9/12/2026 or 9 December 2026'],
    ['next Tuesday', 'Include the year, like 9/12/2026 or 9 December 2026'],
    ['2026', 'Enter a real date, like 9/12/2026 or 9 December 2026'],
    ['', 'Enter a date, like 9/12/2026 or 9 December 2026'],
  ])('%s is refused: %s', (typed, problem) => expect(readDate(typed)).toEqual({ ok: false, problem }));
  it('leap years are real', () => expect(readDate('29/2/2028')).toEqual({ ok: true, date: '2028-02-29' }));
});

describe('times as people type them', () => {
  it.each(['16:00', '16.00', '4pm', '4PM', '4 pm', '4.00pm', '4:00 pm', '4:00pm', '4 p.m.', '16'])('%s is 16:00', (typed) => expect(readTime(typed)).toEqual({ ok: true, time: '16:00' }));
  it.each([
    ['9:05', '09:05'],
    ['9.05am', '09:05'],
    ['12pm', '12:00'],
    ['midday', '12:00'],
    ['12am', '00:00'],
    ['18:30', '18:30'],
  ])('%s is %s', (typed, time) => expect(readTime(typed)).toEqual({ ok: true, time }));
  it.each([
    ['4', 'Say whether 4 is in the morning or afternoon, like 4am or 4pm'],
    ['25:61', 'Enter a real time, like 16:00 or 4pm'],
    ['13pm', 'Enter a real time, like 16:00 or 4pm'],
    ['teatime', 'Enter a real time, like 16:00 or 4pm'],
    ['', 'Enter a time, like 16:00 or 4pm'],
  ])('%s is refused: %s', (typed, problem) => expect(readTime(typed)).toEqual({ ok: false, problem }));
});
