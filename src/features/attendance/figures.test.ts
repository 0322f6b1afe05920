import { describe, expect, it } from 'vitest';
import { bandOf, belowThreshold, percentShare, percentTenths, percentText } from './figures.ts';

describe('attendance figures', () => {
  it('is the share of possible sessions attended, to one decimal place, rounded half up', () => {
    expect(percentText(percentTenths(44, 50))).toBe('88.0%');
    expect(percentText(percentTenths(150, 150))).toBe('100.0%');
    expect(percentText(percentTenths(0, 120))).toBe('0.0%');
    // 1/3 = 33.333… → 33.3; 2/3 = 66.666… → 66.7; 353/400 = 88.25 → 88.3 (half up)
    expect(percentText(percentTenths(1, 3))).toBe('33.3%');
    expect(percentText(percentTenths(2, 3))).toBe('66.7%');
    expect(percentText(percentTenths(353, 400))).toBe('88.3%');
    expect(percentShare(percentTenths(44, 50))).toBe(0.88);
  });

  it('counts 90.0% (and anything shown as 90.0%) as persistent absence, and 90.1% as not', () => {
    expect(bandOf(percentTenths(90, 100))).toBe('persistent');
    expect(bandOf(percentTenths(8999, 10000))).toBe('persistent'); // 89.99 → 90.0
    expect(bandOf(percentTenths(9004, 10000))).toBe('persistent'); // 90.04 → 90.0: shown as 90.0%, counted
    expect(bandOf(percentTenths(9005, 10000))).toBe('ok'); // 90.05 → 90.1
    expect(bandOf(percentTenths(901, 1000))).toBe('ok');
  });

  it('counts 50.0% or below as severe absence', () => {
    expect(bandOf(percentTenths(50, 100))).toBe('severe');
    expect(bandOf(percentTenths(0, 100))).toBe('severe');
    expect(bandOf(percentTenths(501, 1000))).toBe('persistent');
  });

  it('refuses figures that are not figures', () => {
    expect(() => percentTenths(5, 0)).toThrow(RangeError);
    expect(() => percentTenths(11, 10)).toThrow(RangeError);
    expect(() => percentTenths(-1, 10)).toThrow(RangeError);
    expect(() => percentTenths(1.5, 10)).toThrow(RangeError);
  });

  it('lists pupils at or below 90%, severe first, then lowest first', () => {
    const list = belowThreshold([
      { pupilId: 'fine', attended: 95, possible: 100 },
      { pupilId: 'pa-89', attended: 89, possible: 100 },
      { pupilId: 'severe-40', attended: 40, possible: 100 },
      { pupilId: 'pa-90', attended: 90, possible: 100 },
      { pupilId: 'severe-50', attended: 50, possible: 100 },
    ]);
    expect(list.map((f) => f.pupilId)).toEqual(['severe-40', 'severe-50', 'pa-89', 'pa-90']);
    expect(list.map((f) => f.band)).toEqual(['severe', 'severe', 'persistent', 'persistent']);
  });
});
