import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../../db/schema.ts';
import { cutOff, endOfSchoolYear, ERASABLE, eraseCutOff, isPastItsDate, kindOf, periodEnds, SCHEDULE } from './schedule.ts';

const sixYears = { years: 6, countsFrom: 'date' as const };
const schoolYearPlusOne = { years: 1, countsFrom: 'end_of_school_year' as const };

function days(from: LocalDate, to: LocalDate): LocalDate[] {
  const out: LocalDate[] = [];
  for (let d = DateTime.fromISO(from); d.toISODate()! <= to; d = d.plus({ days: 1 })) out.push(d.toISODate()!);
  return out;
}

describe('the retention schedule', () => {
  it('never lets Gatepost erase safeguarding records: the DSL reviews them', () => {
    expect(kindOf('safeguarding_reports')?.action).toEqual({ do: 'review', by: 'dsl' });
    expect(ERASABLE).not.toContain('safeguarding_reports');
    expect(ERASABLE).toEqual(['complaints', 'whole_school_messages']);
  });

  it('names a period, a start, an action and a source for every kind, once', () => {
    expect(new Set(SCHEDULE.map((k) => k.key)).size).toBe(SCHEDULE.length);
    for (const k of SCHEDULE) {
      expect(k.years).toBeGreaterThan(0);
      expect(k.from).not.toBe('');
      expect(k.source).not.toBe('');
    }
  });

  it('keeps SEN files to date of birth + 31 years, as the toolkit says', () => {
    expect(periodEnds(kindOf('pupil_profiles')!, '2015-03-10')).toBe('2046-03-10');
  });
});

describe('period end dates', () => {
  it('keeps a complaint closed on 7 December 2020 until 7 December 2026, and erases it the day after', () => {
    expect(periodEnds(sixYears, '2020-12-07')).toBe('2026-12-07');
    expect(isPastItsDate(sixYears, '2020-12-07', '2026-12-07')).toBe(false);
    expect(isPastItsDate(sixYears, '2020-12-07', '2026-12-08')).toBe(true);
  });

  it('ends a period started on 29 February on 28 February', () => {
    expect(periodEnds(sixYears, '2020-02-29')).toBe('2026-02-28');
    expect(isPastItsDate(sixYears, '2020-02-29', '2026-03-01')).toBe(true);
  });

  it('counts "current year + 1" from the 31 August ending the school year', () => {
    expect(endOfSchoolYear('2025-07-15')).toBe('2025-08-31');
    expect(endOfSchoolYear('2025-08-31')).toBe('2025-08-31');
    expect(endOfSchoolYear('2025-09-01')).toBe('2026-08-31');
    expect(periodEnds(schoolYearPlusOne, '2025-07-15')).toBe('2026-08-31');
    expect(periodEnds(schoolYearPlusOne, '2025-09-02')).toBe('2027-08-31');
  });
});

describe('the cut-off', () => {
  it('is the day before which complaints are past their date', () => {
    expect(cutOff(sixYears, '2026-12-08')).toBe('2020-12-08');
    expect(cutOff(sixYears, '2024-02-29')).toBe('2018-03-01');
  });

  it('is a 1 September when the period counts from the end of the school year', () => {
    expect(cutOff(schoolYearPlusOne, '2026-12-08')).toBe('2025-09-01');
    expect(cutOff(schoolYearPlusOne, '2026-08-31')).toBe('2024-09-01');
    expect(cutOff(schoolYearPlusOne, '2026-09-01')).toBe('2025-09-01');
  });

  it('agrees with the period end for every start date, for 400 days either side, on days around 29 February and the school year turn', () => {
    for (const kind of [sixYears, schoolYearPlusOne, { years: 31, countsFrom: 'date_of_birth' as const }]) {
      for (const today of ['2024-02-28', '2024-02-29', '2024-03-01', '2026-08-31', '2026-09-01', '2026-12-08']) {
        const c = cutOff(kind, today);
        const start = DateTime.fromISO(c).minus({ days: 400 }).toISODate()!;
        const end = DateTime.fromISO(c).plus({ days: 400 }).toISODate()!;
        for (const from of days(start, end)) expect([from, today, from < c]).toEqual([from, today, isPastItsDate(kind, from, today)]);
      }
    }
  });

  it('erases up to the earlier of the server’s cut-off and the one the person was shown', () => {
    expect(eraseCutOff('2020-12-09', '2020-12-08')).toBe('2020-12-08');
    expect(eraseCutOff('2020-12-08', '2020-12-09')).toBe('2020-12-08');
    expect(eraseCutOff('2020-12-08', null)).toBe('2020-12-08');
  });
});
