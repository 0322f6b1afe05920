import { describe, expect, it } from 'vitest';
import type { SchoolCalendar } from '../../platform/calendar/school-days.ts';
import { countsFrom, DEFAULT_LIMITS, mayEscalate, panelTimeline, slipDeadline, stageOneTimeline } from './complaint-timeline.ts';

/** The demo school's 2026–27 calendar: half terms, INSET days, bank holidays. */
const CALENDAR: SchoolCalendar = {
  terms: [
    { starts_on: '2026-09-02', ends_on: '2026-12-18' },
    { starts_on: '2027-01-05', ends_on: '2027-03-26' },
    { starts_on: '2027-04-12', ends_on: '2027-07-22' },
  ],
  closures: [
    { starts_on: '2026-09-02', ends_on: '2026-09-02' },
    { starts_on: '2026-10-26', ends_on: '2026-10-30' },
    { starts_on: '2027-01-05', ends_on: '2027-01-05' },
    { starts_on: '2027-02-15', ends_on: '2027-02-19' },
    { starts_on: '2027-02-22', ends_on: '2027-02-22' },
    { starts_on: '2027-03-26', ends_on: '2027-03-26' },
    { starts_on: '2027-04-12', ends_on: '2027-04-12' },
    { starts_on: '2027-05-03', ends_on: '2027-05-03' },
    { starts_on: '2027-05-31', ends_on: '2027-06-04' },
  ],
};

describe('a formal complaint’s dates, in school days', () => {
  it('counts a complaint received in a holiday from the first school day after (the INSET day does not count)', () => {
    expect(countsFrom(CALENDAR, '2026-12-23')).toBe('2027-01-06');
    expect(countsFrom(CALENDAR, '2026-10-27')).toBe('2026-11-02');
    expect(countsFrom(CALENDAR, '2026-11-25')).toBe('2026-11-25');
  });

  it('gives stage 1 the default limits: acknowledged in 5 school days, answered in 15', () => {
    expect(DEFAULT_LIMITS).toMatchObject({ acknowledge: 5, respond: 15, panelWithin: 20, papersBefore: 5, decisionAfter: 5 });
    // Received Wednesday 21 October: half term (26–30 October) and the clocks going back (25 October) in between.
    expect(stageOneTimeline(CALENDAR, { receivedOn: '2026-10-21', lastIncidentOn: '2026-10-12', yearGroup: '3' })).toEqual({
      countsFrom: '2026-10-21',
      acknowledgeBy: '2026-11-04',
      respondBy: '2026-11-18',
      late: false,
      earlyYearsOutcomeBy: null,
    });
  });

  it('uses a school’s own limits', () => {
    const t = stageOneTimeline(CALENDAR, { receivedOn: '2027-04-28', lastIncidentOn: '2027-04-20', yearGroup: '6' }, { ...DEFAULT_LIMITS, acknowledge: 3, respond: 10 });
    // The early May bank holiday (3 May) does not count.
    expect([t.acknowledgeBy, t.respondBy]).toEqual(['2027-05-04', '2027-05-13']);
  });

  it('flags a complaint raised more than three months after the last incident, not one just inside', () => {
    expect(stageOneTimeline(CALENDAR, { receivedOn: '2026-12-16', lastIncidentOn: '2026-09-15', yearGroup: '3' }).late).toBe(true);
    expect(stageOneTimeline(CALENDAR, { receivedOn: '2026-12-15', lastIncidentOn: '2026-09-15', yearGroup: '3' }).late).toBe(false);
  });

  it('gives Nursery and Reception complaints the 28-calendar-day outcome clock as well', () => {
    expect(stageOneTimeline(CALENDAR, { receivedOn: '2026-12-10', lastIncidentOn: '2026-12-08', yearGroup: 'R' }).earlyYearsOutcomeBy).toBe('2027-01-07');
    expect(stageOneTimeline(CALENDAR, { receivedOn: '2026-12-10', lastIncidentOn: '2026-12-08', yearGroup: 'N' }).earlyYearsOutcomeBy).toBe('2027-01-07');
  });

  it('holds the panel within 20 school days, papers 5 school days before, the decision 5 after (across spring half term)', () => {
    expect(panelTimeline(CALENDAR, '2027-02-01', '2027-03-03')).toEqual({ panelBy: '2027-03-09', papersBy: '2027-02-24', decisionBy: '2027-03-10' });
    expect(panelTimeline(CALENDAR, '2027-02-01', null)).toMatchObject({ papersBy: null, decisionBy: null });
  });

  it('moves a deadline only to a later date and with a reason', () => {
    expect(slipDeadline('2026-11-16', '2026-11-20', 'The investigating officer is ill')).toEqual({ ok: true });
    expect(slipDeadline('2026-11-16', '2026-11-20', '  ')).toMatchObject({ ok: false, field: 'reason' });
    expect(slipDeadline('2026-11-16', '2026-11-16', 'Busy')).toMatchObject({ ok: false, field: 'new_date' });
  });

  it('lets a carer escalate only an unresolved concern (closed, or open again after "not yet"); staff any but a resolved one', () => {
    expect(mayEscalate('closed', 0, 'carer')).toBe(true);
    expect(mayEscalate('open', 1, 'carer')).toBe(true);
    expect(mayEscalate('open', 0, 'carer')).toBe(false);
    expect(mayEscalate('resolved', 0, 'carer')).toBe(false);
    expect(mayEscalate('new', 0, 'staff')).toBe(true);
    expect(mayEscalate('resolved', 2, 'staff')).toBe(false);
  });
});
