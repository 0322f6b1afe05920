import { describe, expect, it } from 'vitest';
import { bookableChildren, bookForMe, clashBetween, clashWords, firstClash, nearestFreeTimes, slotWords, timeOf, windowProblem, type FamilyRow, type FreeTime } from './booking.ts';
import { slotsOf } from './slots.ts';
import { textIn } from '../../platform/i18n/catalog.ts';

const TZ = 'Europe/London';
const freeTimes = (staffId: string, date: string, starts: string, ends: string, taken: string[] = []): FreeTime[] =>
  slotsOf({ date, starts, ends, slotMinutes: 10, breaks: [] }, TZ)
    .filter((s) => !taken.includes(s.label))
    .map((s) => ({ slotId: `${staffId}@${s.label}`, staffId, starts: s.starts, ends: s.ends }));
const labels = (picks: { slot: FreeTime }[]) => picks.map((p) => `${p.slot.staffId} ${timeOf(p.slot.starts, TZ)}`);

describe('who a carer may book', () => {
  const row = (over: Partial<FamilyRow>): FamilyRow => ({
    pupilId: 'kuba',
    pupilName: 'Jakub Nowak',
    classInEvening: true,
    mayReceiveInformation: true,
    restricted: false,
    staffId: 'okafor',
    teacherName: 'Mr Okafor',
    teacherInEvening: true,
    room: 'Room 3',
    videoLink: null,
    ...over,
  });

  it('lists each child in the evening with their class teachers who are seeing families', () => {
    const children = bookableChildren([
      row({}),
      row({ staffId: 'ta', teacherName: 'Mrs Jones', teacherInEvening: false }),
      row({ pupilId: 'ola', pupilName: 'Aleksandra Nowak', staffId: 'bell', teacherName: 'Ms Bell', room: null }),
      row({ pupilId: 'ayaan', pupilName: 'Ayaan Warsame', classInEvening: false, staffId: 'nursery', teacherName: 'Mrs Lee' }),
    ]);
    expect(children).toEqual([
      { pupilId: 'kuba', name: 'Jakub Nowak', teachers: [{ staffId: 'okafor', name: 'Mr Okafor', room: 'Room 3', videoLink: null }] },
      { pupilId: 'ola', name: 'Aleksandra Nowak', teachers: [{ staffId: 'bell', name: 'Ms Bell', room: null, videoLink: null }] },
    ]);
  });

  it('never offers a child the carer is restricted from, or may not receive information about', () => {
    expect(bookableChildren([row({ restricted: true })])).toEqual([]);
    expect(bookableChildren([row({ mayReceiveInformation: false })])).toEqual([]);
  });

  it('leaves out a child whose class has no teacher at the evening', () => {
    expect(bookableChildren([row({ staffId: null, teacherName: null, teacherInEvening: false })])).toEqual([]);
  });
});

describe('clashes and the travel gap', () => {
  const at = (hhmm: string, staffId: string, minutes = 10) => {
    const starts = new Date(`2026-11-26T${hhmm}:00.000Z`);
    return { starts: starts.toISOString(), ends: new Date(starts.getTime() + minutes * 60_000).toISOString(), staffId, label: staffId };
  };

  it('finds overlapping appointments and ones too close to walk between', () => {
    expect(clashBetween(at('16:00', 'okafor'), at('16:05', 'bell'), 5)).toBe('overlap');
    expect(clashBetween(at('16:00', 'okafor'), at('16:10', 'bell'), 5)).toBe('gap');
    expect(clashBetween(at('16:10', 'bell'), at('16:00', 'okafor'), 5)).toBe('gap');
    expect(clashBetween(at('16:00', 'okafor'), at('16:15', 'bell'), 5)).toBeNull();
    expect(clashBetween(at('16:00', 'okafor'), at('16:10', 'bell'), 0)).toBeNull();
  });

  it('needs no travel gap between two appointments with the same teacher (twins, one room)', () => {
    expect(clashBetween(at('16:00', 'okafor'), at('16:10', 'okafor'), 5)).toBeNull();
    expect(clashBetween(at('16:00', 'okafor'), at('16:00', 'okafor'), 5)).toBe('overlap');
  });

  it('checks the wanted times against the carer’s existing appointments and each other, naming the later one', () => {
    const wanted = [at('16:30', 'hall'), at('16:40', 'bell')];
    expect(firstClash(wanted, [at('16:00', 'okafor')], 5)).toMatchObject({ wanted: wanted[1], other: wanted[0], kind: 'gap' });
    expect(firstClash([at('16:05', 'hall')], [at('16:00', 'okafor')], 5)).toMatchObject({ kind: 'overlap' });
    expect(firstClash([at('16:20', 'hall'), at('16:40', 'bell')], [at('16:00', 'okafor')], 5)).toBeNull();
  });

  it('says what clashes in words, in school time, the teacher’s name isolated and escaped', () => {
    expect(String(clashWords({ other: at('16:00', 'Mr Okafor'), kind: 'overlap' }, 5, TZ))).toBe(
      'This is at the same time as your appointment with <bdi>Mr Okafor</bdi> at 4:00pm. Choose another time',
    );
    expect(String(clashWords({ other: at('16:00', 'Mr <b>Okafor</b>'), kind: 'gap' }, 5, TZ))).toBe(
      'This leaves less than 5 minutes to get to or from your appointment with <bdi>Mr &lt;b&gt;Okafor&lt;/b&gt;</bdi> at 4:00pm. Choose another time',
    );
  });
});

describe('book for me', () => {
  const window = { earliest: '2026-11-26T15:30:00.000Z', latest: '2026-11-26T18:30:00.000Z' };

  it('puts two teachers back to back with the travel gap, as early as the most compact schedule allows', () => {
    const proposal = bookForMe({
      ...window,
      gapMinutes: 5,
      existing: [],
      wanted: [
        { key: 'kuba', staffId: 'okafor', free: freeTimes('okafor', '2026-11-26', '15:30', '18:30', ['15:30', '15:40', '15:50']) },
        { key: 'ola', staffId: 'bell', free: freeTimes('bell', '2026-11-26', '15:30', '18:30', ['16:10', '16:20']) },
      ],
    });
    expect(proposal.ok).toBe(true);
    // 10-minute slots and a 5-minute gap leave a free slot between two appointments. Bell at 3:40pm
    // then Okafor at 4:00pm spans 30 minutes (as does 3:50pm then 4:10pm: the earlier wins); Okafor
    // first would need Bell at 4:30pm, since 4:10pm and 4:20pm are taken.
    if (proposal.ok) expect(labels(proposal.picks)).toEqual(['bell 3:40pm', 'okafor 4:00pm']);
  });

  it('prefers the smallest span over the earliest start', () => {
    const proposal = bookForMe({
      ...window,
      gapMinutes: 0,
      existing: [],
      wanted: [
        { key: 'a', staffId: 'okafor', free: freeTimes('okafor', '2026-11-26', '15:30', '15:40').concat(freeTimes('okafor', '2026-11-26', '17:00', '17:10')) },
        { key: 'b', staffId: 'bell', free: freeTimes('bell', '2026-11-26', '17:10', '17:20') },
      ],
    });
    expect(proposal.ok && labels(proposal.picks)).toEqual(['okafor 5:00pm', 'bell 5:10pm']);
  });

  it('keeps inside the carer’s earliest and latest times and clear of their existing appointments', () => {
    const proposal = bookForMe({
      earliest: '2026-11-26T16:00:00.000Z',
      latest: '2026-11-26T17:00:00.000Z',
      gapMinutes: 5,
      existing: [{ starts: '2026-11-26T16:00:00.000Z', ends: '2026-11-26T16:10:00.000Z', staffId: 'hall' }],
      wanted: [
        { key: 'kuba', staffId: 'okafor', free: freeTimes('okafor', '2026-11-26', '15:30', '18:30') },
        { key: 'ola', staffId: 'bell', free: freeTimes('bell', '2026-11-26', '15:30', '18:30') },
      ],
    });
    expect(proposal.ok && labels(proposal.picks)).toEqual(['okafor 4:20pm', 'bell 4:40pm']);
  });

  it('books twins with the same teacher back to back without a travel gap', () => {
    const free = freeTimes('okafor', '2026-11-26', '15:30', '16:00');
    const proposal = bookForMe({
      ...window,
      gapMinutes: 5,
      existing: [],
      wanted: [
        { key: 'twin1', staffId: 'okafor', free },
        { key: 'twin2', staffId: 'okafor', free },
      ],
    });
    expect(proposal.ok && labels(proposal.picks)).toEqual(['okafor 3:30pm', 'okafor 3:40pm']);
  });

  it('says why when there is nothing to book, a teacher has no free time, or nothing fits', () => {
    expect(bookForMe({ ...window, gapMinutes: 5, existing: [], wanted: [] })).toEqual({ ok: false, reason: 'nothing_to_book' });
    expect(bookForMe({ ...window, gapMinutes: 5, existing: [], wanted: [{ key: 'kuba', staffId: 'okafor', free: [] }] })).toEqual({ ok: false, reason: 'no_free_time', key: 'kuba' });
    const one = freeTimes('okafor', '2026-11-26', '16:00', '16:10');
    const other = freeTimes('bell', '2026-11-26', '16:10', '16:20');
    expect(
      bookForMe({
        ...window,
        gapMinutes: 5,
        existing: [],
        wanted: [
          { key: 'kuba', staffId: 'okafor', free: one },
          { key: 'ola', staffId: 'bell', free: other },
        ],
      }),
    ).toEqual({ ok: false, reason: 'no_fit' });
  });

  it('finds the most compact schedule for many teachers without trying every order', () => {
    const wanted = Array.from({ length: 9 }, (_, i) => ({ key: `k${i}`, staffId: `t${i}`, free: freeTimes(`t${i}`, '2026-11-26', '15:30', '18:30') }));
    const proposal = bookForMe({ ...window, gapMinutes: 0, existing: [], wanted });
    expect(proposal.ok && proposal.picks.length).toBe(9);
    if (proposal.ok)
      expect(
        firstClash(
          proposal.picks.map((p) => p.slot),
          [],
          0,
        ),
      ).toBeNull();
  });

  it('is right on the Sunday the clocks go back (25 October 2026) and the Sunday they go forward', () => {
    const autumn = bookForMe({
      earliest: '2026-10-25T15:30:00.000Z',
      latest: '2026-10-25T17:00:00.000Z',
      gapMinutes: 5,
      existing: [],
      wanted: [
        { key: 'kuba', staffId: 'okafor', free: freeTimes('okafor', '2026-10-25', '15:30', '17:00', ['15:30']) },
        { key: 'ola', staffId: 'bell', free: freeTimes('bell', '2026-10-25', '15:30', '17:00') },
      ],
    });
    // After the change the school is on GMT: 15:30 in school is 15:30 UTC.
    expect(autumn.ok && autumn.picks.map((p) => [p.slot.starts, timeOf(p.slot.starts, TZ)])).toEqual([
      ['2026-10-25T15:30:00.000Z', '3:30pm'],
      ['2026-10-25T15:50:00.000Z', '3:50pm'],
    ]);
    const spring = bookForMe({
      earliest: '2027-03-28T14:30:00.000Z',
      latest: '2027-03-28T16:00:00.000Z',
      gapMinutes: 5,
      existing: [],
      wanted: [{ key: 'kuba', staffId: 'okafor', free: freeTimes('okafor', '2027-03-28', '15:30', '17:00') }],
    });
    // On British Summer Time, 15:30 in school is 14:30 UTC; the wanted window is in instants too.
    expect(spring.ok && spring.picks.map((p) => [p.slot.starts, timeOf(p.slot.starts, TZ)])).toEqual([['2027-03-28T14:30:00.000Z', '3:30pm']]);
  });
});

describe('nearest free times, the booking window and times in words', () => {
  it('offers the three free times nearest the one that was taken, from either side, in time order', () => {
    const free = freeTimes('okafor', '2026-11-26', '15:30', '18:30', ['16:00', '16:10', '16:20']);
    // 3:50pm and 4:30pm are 20 minutes away; 3:40pm and 4:40pm 30 minutes: the earlier wins the tie.
    expect(nearestFreeTimes(free, '2026-11-26T16:10:00.000Z').map((s) => timeOf(s.starts, TZ))).toEqual(['3:40pm', '3:50pm', '4:30pm']);
    expect(nearestFreeTimes(free, '2026-11-26T15:30:00.000Z').map((s) => timeOf(s.starts, TZ))).toEqual(['3:30pm', '3:40pm', '3:50pm']);
    expect(nearestFreeTimes([], '2026-11-26T15:30:00.000Z')).toEqual([]);
  });

  it('says when booking opens and closes; staff may book for a carer after it closes', () => {
    const evening = { booking_opens_at: '2026-10-19T17:00:00.000Z', booking_closes_at: '2026-10-24T17:00:00.000Z' };
    expect(windowProblem(evening, new Date('2026-10-19T16:59:00.000Z'), false, TZ)).toBe('Booking opens on 19 October 2026 at 6:00pm and closes on 24 October 2026 at 6:00pm');
    expect(windowProblem(evening, new Date('2026-10-19T17:00:00.000Z'), false, TZ)).toBeNull();
    expect(windowProblem(evening, new Date('2026-10-24T17:00:00.000Z'), false, TZ)).toBe('Booking closed on 24 October 2026 at 6:00pm. To book now, ring the school office');
    expect(windowProblem(evening, new Date('2026-10-24T17:00:00.000Z'), true, TZ)).toBeNull();
    expect(windowProblem(evening, new Date('2026-10-19T16:00:00.000Z'), true, TZ)).toMatch(/^Booking opens/);
  });

  it('writes times in school time, with the day when an evening runs over two days', () => {
    expect(slotWords('2026-10-25T15:30:00.000Z', TZ, false)).toBe('3:30pm');
    expect(slotWords('2026-10-24T14:30:00.000Z', TZ, true)).toBe('Saturday 24 October 2026 at 3:30pm');
    expect(slotWords('2026-10-24T14:30:00.000Z', TZ, true, textIn('pl'))).toBe('sobota, 24 października 2026 15:30');
  });
});
