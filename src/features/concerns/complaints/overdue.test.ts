import { describe, expect, it } from 'vitest';
import type { SchoolCalendar } from '../../../platform/calendar/school-days.ts';
import { DEFAULT_LIMITS } from '../complaint-timeline.ts';
import { datesToWatch, listedDue, overdueWords, stageDeadline, type StageFacts } from './overdue.ts';

/** The demo school's autumn term 2026 (half term 26–30 October). */
const CALENDAR: SchoolCalendar = {
  terms: [
    { starts_on: '2026-09-02', ends_on: '2026-12-18' },
    { starts_on: '2027-01-05', ends_on: '2027-03-26' },
  ],
  closures: [{ starts_on: '2026-10-26', ends_on: '2026-10-30' }],
};
const stage1: StageFacts = { stage: 'stage_1', status: 'open', respond_by: '2026-12-04', panel_by: null, panel_on: null };
const stage2: StageFacts = { stage: 'stage_2', status: 'panel', respond_by: '2026-10-19', panel_by: '2026-11-24', panel_on: null };

describe('how late a complaint’s current stage is', () => {
  it('stage 1 being investigated waits on its answer: not overdue on the day itself, overdue the day after', () => {
    expect(stageDeadline(stage1, CALENDAR, DEFAULT_LIMITS, '2026-12-04')).toEqual({ what: 'answer', dueOn: '2026-12-04', daysOverdue: 0 });
    expect(stageDeadline(stage1, CALENDAR, DEFAULT_LIMITS, '2026-12-05')).toEqual({ what: 'answer', dueOn: '2026-12-04', daysOverdue: 1 });
    expect(stageDeadline(stage1, CALENDAR, DEFAULT_LIMITS, '2026-12-07')?.daysOverdue).toBe(3);
  });

  it('an answered stage 1, a closed or a declined complaint waits on nothing, however old its dates', () => {
    for (const status of ['answered', 'closed', 'declined']) expect(stageDeadline({ ...stage1, status }, CALENDAR, DEFAULT_LIMITS, '2027-03-01')).toBeNull();
    expect(stageDeadline({ ...stage2, status: 'closed' }, CALENDAR, DEFAULT_LIMITS, '2027-03-01')).toBeNull();
  });

  it('stage 2 with no panel date yet waits on the panel being held by its date', () => {
    expect(stageDeadline(stage2, CALENDAR, DEFAULT_LIMITS, '2026-11-24')).toEqual({ what: 'panel', dueOn: '2026-11-24', daysOverdue: 0 });
    expect(stageDeadline(stage2, CALENDAR, DEFAULT_LIMITS, '2026-12-07')).toEqual({ what: 'panel', dueOn: '2026-11-24', daysOverdue: 13 });
  });

  it('stage 2 that met on 19 November with nothing recorded since is overdue for its decision (5 school days after)', () => {
    const met = { ...stage2, panel_on: '2026-11-19' };
    expect(stageDeadline(met, CALENDAR, DEFAULT_LIMITS, '2026-11-26')).toEqual({ what: 'decision', dueOn: '2026-11-26', daysOverdue: 0 });
    expect(stageDeadline(met, CALENDAR, DEFAULT_LIMITS, '2026-12-07')).toEqual({ what: 'decision', dueOn: '2026-11-26', daysOverdue: 11 });
  });

  it('a panel set for after the date it should be held by is overdue from that date', () => {
    expect(stageDeadline({ ...stage2, panel_on: '2026-12-10' }, CALENDAR, DEFAULT_LIMITS, '2026-12-07')).toEqual({ what: 'panel', dueOn: '2026-11-24', daysOverdue: 13 });
  });

  it('the list says what each date is for, and gives an answered complaint its old date with no tag', () => {
    expect(listedDue({ ...stage2, panel_on: '2026-11-19' }, CALENDAR, DEFAULT_LIMITS, '2026-12-07')).toEqual({ what: 'Panel’s decision by', dueOn: '2026-11-26', overdue: '11 days overdue' });
    expect(listedDue(stage1, CALENDAR, DEFAULT_LIMITS, '2026-12-01')).toEqual({ what: 'Answer by', dueOn: '2026-12-04', overdue: null });
    expect(listedDue({ ...stage1, status: 'answered' }, CALENDAR, DEFAULT_LIMITS, '2026-12-07')).toEqual({ what: null, dueOn: '2026-12-04', overdue: null });
  });

  it('says the days in words', () => {
    expect(overdueWords(1)).toBe('1 day overdue');
    expect(overdueWords(13)).toBe('13 days overdue');
  });
});

describe('the complaint dates on the home page of those working on them', () => {
  const complaints = [
    { id: 'answered', ...stage1, status: 'answered' },
    { id: 'due-in-5-school-days', ...stage1, respond_by: '2026-12-14' },
    { id: 'due-in-6-school-days', ...stage1, respond_by: '2026-12-15' },
    { id: 'panel-overdue', ...stage2 },
    { id: 'answer-overdue', ...stage1, respond_by: '2026-12-01' },
    { id: 'due-today', ...stage1, respond_by: '2026-12-07' },
  ];

  it('shows what is overdue or due within five school days, the longest overdue first, and nothing waiting on nothing', () => {
    const shown = datesToWatch(complaints, CALENDAR, DEFAULT_LIMITS, '2026-12-07');
    expect(shown.map((c) => c.id)).toEqual(['panel-overdue', 'answer-overdue', 'due-today', 'due-in-5-school-days']);
    expect(shown.map((c) => [c.waitingOn, c.deadline.daysOverdue])).toEqual([
      ['Panel held by', 13],
      ['Answer by', 6],
      ['Answer by', 0],
      ['Answer by', 0],
    ]);
  });

  it('counts school days, not calendar days: over half term a date two weeks away is five school days ahead', () => {
    const afterHalfTerm = [{ id: 'x', ...stage1, respond_by: '2026-11-02' }];
    expect(datesToWatch(afterHalfTerm, CALENDAR, DEFAULT_LIMITS, '2026-10-16').map((c) => c.id)).toEqual([]);
    expect(datesToWatch(afterHalfTerm, CALENDAR, DEFAULT_LIMITS, '2026-10-19').map((c) => c.id)).toEqual(['x']);
  });
});
