import { describe, expect, it } from 'vitest';
import { comingAndPast, firstTimes, groupBreakdown, hideSmallGroups, neverCame, readRsvp, readSessions, type FamilyFacts } from './event.ts';

describe('reading sessions at different times of day', () => {
  it('reads the coffee morning at 9:00 and again at 18:00 as instants in London, sorted', () => {
    const { sessions, errors } = readSessions(
      { session_1_date: '2026-12-03', session_1_start: '6pm', session_1_end: '19:30', session_2_date: '3/12/2026', session_2_start: '9am', session_2_end: '10:30am' },
      'Europe/London',
    );
    expect(errors).toEqual({});
    expect(sessions).toEqual([
      { startsAt: '2026-12-03T09:00:00.000Z', endsAt: '2026-12-03T10:30:00.000Z' },
      { startsAt: '2026-12-03T18:00:00.000Z', endsAt: '2026-12-03T19:30:00.000Z' },
    ]);
  });
  it('is right in summer time', () => {
    expect(readSessions({ session_1_date: '2027-06-10', session_1_start: '9am', session_1_end: '10am' }, 'Europe/London').sessions[0]!.startsAt).toBe('2027-06-10T08:00:00.000Z');
  });
  it('reads a session’s date from GOV.UK’s three boxes, and names the box that is missing', () => {
    const boxes = { 'session_1_date-day': '14', 'session_1_date-month': '1', 'session_1_date-year': '2027', session_1_start: '9am', session_1_end: '10am' };
    expect(readSessions(boxes, 'Europe/London')).toEqual({ sessions: [{ startsAt: '2027-01-14T09:00:00.000Z', endsAt: '2027-01-14T10:00:00.000Z' }], errors: {} });
    expect(readSessions({ ...boxes, 'session_1_date-month': '' }, 'Europe/London').errors).toEqual({ session_1_date: 'The date of the session must include a month' });
  });
  it('puts each problem beside its field, and asks for at least one session', () => {
    expect(readSessions({}, 'Europe/London').errors).toEqual({ session_1_date: 'Enter the date and times of at least one session' });
    expect(readSessions({ session_1_date: '2026-12-03', session_1_start: '10am', session_1_end: '9am' }, 'Europe/London').errors).toEqual({ session_1_end: 'The end must be after the start' });
    expect(readSessions({ session_2_date: '2026-12-03', session_2_start: '4', session_2_end: '5pm' }, 'Europe/London').errors.session_2_start).toContain('morning or afternoon');
    expect(readSessions({ session_1_date: '2027-03-28', session_1_start: '1:30am', session_1_end: '3am' }, 'Europe/London').errors.session_1_start).toContain('clocks change');
  });
});

describe('a carer’s answer', () => {
  it('is a session with how many are coming, or no', () => {
    expect(readRsvp({ choice: 's1', attending: '3' }, ['s1', 's2'])).toEqual({ ok: true, rsvp: { answer: 'yes', sessionId: 's1', attending: 3 } });
    expect(readRsvp({ choice: 'no', attending: 'lots' }, ['s1'])).toEqual({ ok: true, rsvp: { answer: 'no' } });
    expect(readRsvp({ attending: '2' }, ['s1'])).toMatchObject({ ok: false, field: 'choice' });
    expect(readRsvp({ choice: 'past-session', attending: '2' }, ['s1'])).toMatchObject({ ok: false, field: 'choice' });
    expect(readRsvp({ choice: 's1', attending: '0' }, ['s1'])).toMatchObject({ ok: false, field: 'attending' });
    expect(readRsvp({ choice: 's1', attending: '11' }, ['s1'])).toMatchObject({ ok: false, field: 'attending' });
  });
});

describe('who came for the first time', () => {
  it('is each carer’s earliest session ever', () => {
    const firsts = firstTimes([
      { carerId: 'marta', sessionId: 'evening', startsAt: '2026-12-03T18:00:00.000Z' },
      { carerId: 'marta', sessionId: 'october', startsAt: '2026-10-01T09:00:00.000Z' },
      { carerId: 'faduma', sessionId: 'morning', startsAt: '2026-12-03T09:00:00.000Z' },
      { carerId: 'faduma', sessionId: 'january', startsAt: '2027-01-14T09:00:00.000Z' },
    ]);
    expect([...firsts].sort()).toEqual(['morning:faduma', 'october:marta']);
  });
});

describe('attendance by group of families', () => {
  const families: FamilyFacts[] = [
    {
      carerId: 'marta',
      language: 'Polish',
      children: [
        { yearGroup: '3', send: 'none', eal: true },
        { yearGroup: 'R', send: 'none', eal: true },
      ],
    },
    { carerId: 'tomasz', language: 'Polish', children: [{ yearGroup: '3', send: 'none', eal: true }] },
    { carerId: 'grace', language: 'English', children: [{ yearGroup: '4', send: 'sen_support', eal: false }] },
    { carerId: 'faduma', language: 'Somali', children: [{ yearGroup: 'N', send: 'none', eal: true }] },
  ];
  it('counts each family once in every group a child of theirs is in, with all families first', () => {
    const rows = groupBreakdown(families, new Set(['marta', 'grace']), new Set(['marta', 'faduma']), new Set(['faduma']));
    const by = new Map(rows.map((r) => [r.group, r]));
    expect(rows[0]).toEqual({ group: 'All families', kind: 'all', invited: 4, said: 2, came: 2, firstTime: 1, share: 50 });
    expect(by.get('Year 3')).toMatchObject({ invited: 2, came: 1, share: 50 });
    expect(by.get('Speaks Polish')).toMatchObject({ invited: 2, said: 1, came: 1 });
    expect(by.get('SEND (SEN support or EHCP)')).toMatchObject({ invited: 1, said: 1, came: 0, share: 0 });
    expect(by.get('English as an additional language')).toMatchObject({ invited: 3, came: 2, firstTime: 1 });
    // Year groups in school order, before languages.
    expect(rows.map((r) => r.group).slice(1, 5)).toEqual(['Nursery', 'Reception', 'Year 3', 'Year 4']);
  });
  it('hides small groups by the surveys’ rule: under 5 families, or one that could be worked out; nothing by group under 10 families asked', () => {
    const family = (id: string, language: string, yearGroup: '1' | '2'): FamilyFacts => ({ carerId: id, language, children: [{ yearGroup, send: 'none', eal: false }] });
    // 12 families: 7 speak English, 5 Polish (Year 1: 10, Year 2: 2).
    const twelve = [...Array.from({ length: 7 }, (_, i) => family(`e${i}`, 'English', i < 5 ? '1' : '2')), ...Array.from({ length: 5 }, (_, i) => family(`p${i}`, 'Polish', '1'))];
    const shown = new Map(hideSmallGroups(groupBreakdown(twelve, new Set(), new Set(['e0']), new Set())).map((r) => [r.group, r.hidden]));
    expect(shown.get('All families')).toBeNull();
    expect(shown.get('Year 1')).toBeNull();
    expect(shown.get('Year 2')).toBe('Not shown: fewer than 5 families');
    expect(shown.get('Speaks English')).toBeNull();
    expect(shown.get('Speaks Polish')).toBeNull();
    // One Somali family joins: it is hidden, and so is Polish (the smallest other), or English minus the total would give it away.
    const withSomali = new Map(hideSmallGroups(groupBreakdown([...twelve, family('s0', 'Somali', '1')], new Set(), new Set(), new Set())).map((r) => [r.group, r.hidden]));
    expect(withSomali.get('Speaks Somali')).toBe('Not shown: fewer than 5 families');
    expect(withSomali.get('Speaks Polish')).toBe('Not shown: it could be worked out from the other figures');
    expect(withSomali.get('Speaks English')).toBeNull();
    // Four families asked: only the whole.
    const few = hideSmallGroups(groupBreakdown(families, new Set(), new Set(), new Set()));
    expect(few.filter((r) => r.hidden === null).map((r) => r.group)).toEqual(['All families']);
    expect(few.find((r) => r.group === 'Year 3')?.hidden).toBe('Not shown: fewer than 10 families were asked');
  });
  it('lists the families who never came, most often asked first', () => {
    expect(
      neverCame(
        new Map([
          ['grace', 2],
          ['marta', 3],
          ['faduma', 4],
        ]),
        new Set(['marta']),
      ),
    ).toEqual([
      { carerId: 'faduma', invitations: 4 },
      { carerId: 'grace', invitations: 2 },
    ]);
  });
});

describe('the staff list of events', () => {
  const event = (id: string, created: string, sessions: [string, string][]) => ({ id, created_at: created, sessions: sessions.map(([starts_at, ends_at]) => ({ starts_at, ends_at })) });
  it('puts what is still to come first, soonest first (drafts without dates too), and past events after, latest first', () => {
    const now = new Date('2026-12-05T12:00:00Z');
    const events = [
      event('summer-fair', '2026-11-01T00:00:00Z', [['2026-07-10T14:00:00Z', '2026-07-10T17:00:00Z']]),
      event('nativity', '2026-11-20T00:00:00Z', [
        ['2026-12-04T18:00:00Z', '2026-12-04T19:00:00Z'],
        ['2026-12-10T18:00:00Z', '2026-12-10T19:00:00Z'],
      ]),
      event('draft', '2026-12-01T00:00:00Z', []),
      event('coffee', '2026-11-25T00:00:00Z', [['2026-12-08T08:45:00Z', '2026-12-08T09:30:00Z']]),
      event('harvest', '2026-09-01T00:00:00Z', [['2026-10-02T14:00:00Z', '2026-10-02T15:00:00Z']]),
      event('today', '2026-11-02T00:00:00Z', [['2026-12-05T11:00:00Z', '2026-12-05T13:00:00Z']]),
    ];
    const { coming, past } = comingAndPast(events, now);
    expect(coming.map((e) => e.id)).toEqual(['nativity', 'today', 'coffee', 'draft']);
    expect(past.map((e) => e.id)).toEqual(['harvest', 'summer-fair']);
  });
});
