import { describe, expect, it } from 'vitest';
import type { SchoolCalendar } from '../../platform/calendar/school-days.ts';
import { academicYear, academicYearOf, DEFAULT_LIMITS, FEWER_THAN, NOT_SHOWN, periodFigures, schoolDayCounter, schoolDaysBetween, shown, shownCells, themes, type ConcernGroup } from './figures.ts';

/** A school year with half terms, an INSET day, a bank holiday in term and the clock changes inside terms. */
const CALENDAR: SchoolCalendar & { terms: { name: string; starts_on: string; ends_on: string }[] } = {
  terms: [
    { name: 'Autumn term 2026', starts_on: '2026-09-02', ends_on: '2026-12-18' },
    { name: 'Spring term 2027', starts_on: '2027-01-05', ends_on: '2027-03-26' },
    { name: 'Summer term 2027', starts_on: '2027-04-12', ends_on: '2027-07-21' },
  ],
  closures: [
    { starts_on: '2026-10-26', ends_on: '2026-10-30' }, // autumn half term (the clocks go back on Sunday 25 October)
    { starts_on: '2027-01-05', ends_on: '2027-01-05' }, // INSET
    { starts_on: '2027-05-03', ends_on: '2027-05-03' }, // early May bank holiday
  ],
};

describe('school days between two dates', () => {
  it.each([
    ['the same day', '2026-11-26', '2026-11-26', 0],
    ['Thursday to the next Thursday: the weekend does not count', '2026-11-26', '2026-12-03', 5],
    ['the Friday before half term to the Monday after: half term does not count', '2026-10-23', '2026-11-02', 1],
    ['raised in half term, answered on the first Tuesday back', '2026-10-28', '2026-11-03', 2],
    ['across Christmas and the INSET day', '2026-12-17', '2027-01-07', 3],
    ['across the May bank holiday', '2027-04-30', '2027-05-05', 2],
    ['across the clocks going forward (28 March) in the Easter holidays', '2027-03-25', '2027-04-13', 3],
  ])('%s', (_what, from, to, days) => {
    expect(schoolDaysBetween(CALENDAR, from, to)).toBe(days);
    // The running count the page uses gives the same answer, inside its range and outside it.
    expect(schoolDayCounter(CALENDAR, '2026-09-01', '2027-08-31')(from, to)).toBe(days);
    expect(schoolDayCounter(CALENDAR, '2026-12-01', '2026-12-31')(from, to)).toBe(days);
  });
});

describe('the school year and its terms', () => {
  it('runs September to August; each term runs until the day before the next starts', () => {
    const { year, terms } = academicYear(CALENDAR, 2026);
    expect(year).toEqual({ label: '2026 to 2027', startsOn: '2026-09-01', endsOn: '2027-08-31' });
    expect(terms.map((t) => [t.label, t.startsOn, t.endsOn])).toEqual([
      ['Autumn term 2026', '2026-09-01', '2027-01-04'],
      ['Spring term 2027', '2027-01-05', '2027-04-11'],
      ['Summer term 2027', '2027-04-12', '2027-08-31'],
    ]);
    expect(academicYearOf('2026-08-31')).toBe(2025);
    expect(academicYearOf('2026-09-01')).toBe(2026);
  });
});

const concern = (over: Partial<ConcernGroup>): ConcernGroup => ({
  category: 'learning',
  status: 'resolved',
  reopened: false,
  raisedOn: '2026-11-02',
  takenOn: '2026-11-03',
  closedOn: '2026-11-10',
  count: 1,
  ...over,
});

describe('a term’s figures', () => {
  const autumn = academicYear(CALENDAR, 2026).terms[0]!;
  it('counts concerns by category and how they ended, and how many were taken on and answered within the limits in school days', () => {
    const figures = periodFigures(
      autumn,
      [
        concern({ count: 3 }), // taken on in 1, answered in 6 school days
        concern({ category: 'bullying', takenOn: '2026-11-16', closedOn: '2026-12-01', count: 2 }), // 10 and 21 school days: both late
        concern({ category: null, status: 'new', takenOn: null, closedOn: null, raisedOn: '2026-12-14' }), // waiting, 4 school days old on 18 Dec
        concern({ category: 'behaviour', status: 'open', reopened: true, closedOn: null, raisedOn: '2026-11-02' }), // open for 35 school days
        concern({ raisedOn: '2027-01-06' }), // spring term: not counted here
      ],
      [{ stage: 'stage_1', late: false, closedAs: null, receivedOn: '2026-11-20', count: 1 }],
      CALENDAR,
      DEFAULT_LIMITS,
      '2026-12-18',
    );
    expect(figures.concerns).toBe(7);
    expect(figures.byCategory).toMatchObject({ learning: 3, bullying: 2, behaviour: 1, untriaged: 1, send: 0 });
    expect(figures.outcomes).toEqual({ resolved: 5, closedAwaitingAnswer: 0, beingDealtWith: 1, waitingToBePassedOn: 1, reopened: 1 });
    expect(figures.takenOn).toMatchObject({ done: 6, withinLimit: 4, waiting: 1, waitingPastLimit: 0 });
    expect(figures.answered).toMatchObject({ done: 5, withinLimit: 3, medianDays: 6, waiting: 2, waitingPastLimit: 1 });
    expect(figures.complaints).toBe(1);
    expect(figures.byStage).toEqual({ stage_1: 1, stage_2: 0 });
  });
});

describe('small numbers outside the case team', () => {
  it('shows 1 to 4 as "fewer than 5" to governors, and every number to the case team', () => {
    expect([0, 1, 4, 5, 12].map((n) => shown(n, false))).toEqual([0, FEWER_THAN, FEWER_THAN, 5, 12]);
    expect([0, 1, 4].map((n) => shown(n, true))).toEqual([0, 1, 4]);
  });

  it('hides one more figure when a single hidden one could be worked out from the total', () => {
    expect(shownCells({ learning: 12, bullying: 3, behaviour: 7, send: 0 }, false)).toEqual({ learning: 12, bullying: FEWER_THAN, behaviour: NOT_SHOWN, send: 0 });
    expect(shownCells({ learning: 12, bullying: 3, behaviour: 2 }, false)).toEqual({ learning: 12, bullying: FEWER_THAN, behaviour: FEWER_THAN });
    expect(shownCells({ learning: 12, bullying: 3 }, true)).toEqual({ learning: 12, bullying: 3 });
  });
});

describe('themes', () => {
  it('are the categories raised most this year, with last year’s figure beside each', () => {
    expect(themes({ learning: 4, bullying: 9, send: 9, other: 1 }, { bullying: 2 })).toEqual([
      { category: 'bullying', count: 9, lastYear: 2 },
      { category: 'send', count: 9, lastYear: 0 },
      { category: 'learning', count: 4, lastYear: 0 },
    ]);
  });
});
