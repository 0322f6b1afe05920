import { describe, expect, it } from 'vitest';
import type { SchoolCalendar } from '../../platform/calendar/school-days.ts';
import { acknowledgement, dueOn, mayOpenConcern, mayWorkOn, replyBy, replyState, REPLY_SCHOOL_DAYS, RESOLVE_SCHOOL_DAYS, TriageForm } from './concerns.ts';
import { english } from '../../platform/i18n/catalog.ts';
import { currentTerm, earlyWarnings, type WarningConcern } from './early-warning.ts';

/** The demo school's year: half terms, an INSET day, a bank holiday in term. */
const CALENDAR: SchoolCalendar = {
  terms: [
    { starts_on: '2026-09-02', ends_on: '2026-12-18' },
    { starts_on: '2027-01-05', ends_on: '2027-03-26' },
  ],
  closures: [
    { starts_on: '2026-10-26', ends_on: '2026-10-30' }, // autumn half term
    { starts_on: '2027-01-05', ends_on: '2027-01-05' }, // INSET
    { starts_on: '2027-03-26', ends_on: '2027-03-26' }, // Good Friday
  ],
};

describe('a concern’s due date, in school days', () => {
  it.each([
    ['a Thursday, 5 days: the weekend does not count', '2026-11-26', 5, '2026-12-03'],
    ['the Friday before half term: the half-term week does not count', '2026-10-23', 1, '2026-11-02'],
    ['raised in half term: counts from the first school day after', '2026-10-28', 1, '2026-11-03'],
    ['raised on a Saturday: counts from Monday', '2026-11-28', 2, '2026-12-02'],
    ['across Christmas and the INSET day that opens the spring term', '2026-12-17', 3, '2027-01-07'],
    ['across the clocks going back (25 October) and half term', '2026-10-22', 2, '2026-11-02'],
    ['past the last term the school has entered (and Good Friday): weekdays count', '2027-03-24', 3, '2027-03-30'],
  ])('%s', (_what, from, days, expected) => {
    expect(dueOn(CALENDAR, from, days)).toBe(expected);
  });
});

describe('two promises to a family: the first reply and the aim to resolve it', () => {
  it('a concern raised on Monday 7 December gets its first reply within the week after, while resolving it may run past Christmas', () => {
    expect([REPLY_SCHOOL_DAYS, RESOLVE_SCHOOL_DAYS]).toEqual([5, 10]);
    expect(replyBy(CALENDAR, '2026-12-07')).toBe('2026-12-14');
    expect(dueOn(CALENDAR, '2026-12-07', RESOLVE_SCHOOL_DAYS)).toBe('2027-01-06');
  });

  it('the acknowledgement names each date for what it is', () => {
    const letter = acknowledgement({ childName: 'Kuba', dealtWithBy: 'Mrs Patel', replyBy: '2026-12-14', dueOn: '2027-01-06', schoolName: 'Brookfield' })(english);
    expect(letter.lines).toContain(
      'Mrs Patel will make sure it is dealt with. Someone from the school will reply to you by Monday 14 December 2026, and we aim to resolve it by Wednesday 6 January 2027.',
    );
    expect(letter.sms).toContain('We will reply by Monday 14 December 2026 and aim to resolve it by Wednesday 6 January 2027.');
  });

  it('staff see the first reply given, late or still due', () => {
    expect(replyState('2026-12-14', false, 'open', '2026-12-14')).toBe('due');
    expect(replyState('2026-12-14', false, 'new', '2026-12-15')).toBe('late');
    expect(replyState('2026-12-14', true, 'open', '2026-12-15')).toBe('replied');
    // Closing it sends the outcome to the family: that is a reply.
    expect(replyState('2026-12-14', false, 'closed', '2027-01-10')).toBe('replied');
  });
});

describe('who may open and work on a concern', () => {
  const base = { isOwner: false, loggedIt: false, hasSafeguarding: false };
  it.each([
    ['the head', { ...base, roles: ['head' as const] }, true, true],
    ['a senior leader', { ...base, roles: ['senior_leader' as const] }, true, true],
    ['the owner (a teacher)', { ...base, roles: ['teacher' as const], isOwner: true }, true, true],
    ['the office, who logged it', { ...base, roles: ['office' as const], loggedIt: true }, true, false],
    ['another teacher', { ...base, roles: ['teacher' as const] }, false, false],
    ['the DSL, nothing marked', { ...base, roles: ['dsl' as const] }, false, false],
    ['the DSL, something marked', { ...base, roles: ['dsl' as const], hasSafeguarding: true }, true, false],
    ['a governor, even as owner', { ...base, roles: ['governor' as const], isOwner: true }, false, true],
  ])('%s', (_who, facts, opens, works) => {
    expect(mayOpenConcern(facts)).toBe(opens);
    if (opens) expect(mayWorkOn(facts)).toBe(works);
  });

  it('takes a number of school days from 1 to 40 in the triage form', () => {
    const form = (school_days: string) => TriageForm.safeParse({ owner: 'x', category: 'bullying', school_days });
    expect(form('5').success).toBe(true);
    expect(form('0').success).toBe(false);
    expect(form('41').success).toBe(false);
    expect(form('5.5').success).toBe(false);
    expect(form('ten').success).toBe(false);
  });
});

describe('early warning for the head', () => {
  const concern = (id: string, pupilId: string, raisedOn: string, extra: Partial<WarningConcern> = {}): WarningConcern => ({
    id,
    pupilId,
    pupilName: pupilId === 'kuba' ? 'Jakub Nowak' : pupilId,
    carerId: 'marta',
    status: 'resolved',
    raisedOn,
    dueOn: raisedOn,
    ownerName: 'Mr Okafor',
    replyBy: raisedOn,
    replied: true,
    ...extra,
  });
  const TERM = currentTerm(CALENDAR, '2026-11-26');

  it('finds the term today is in, or the last one before the holiday', () => {
    expect(TERM).toEqual(CALENDAR.terms[0]);
    expect(currentTerm(CALENDAR, '2026-12-28')).toEqual(CALENDAR.terms[0]);
    expect(currentTerm(CALENDAR, '2026-08-01')).toBeNull();
  });

  it('warns of a child with two or more concerns this term, not of two in different terms', () => {
    const w = earlyWarnings(
      [concern('a', 'kuba', '2026-10-01'), concern('b', 'kuba', '2026-11-20'), concern('c', 'ola', '2026-11-20'), concern('d', 'ola', '2026-06-20')],
      [],
      new Map(),
      TERM,
      '2026-11-26',
    );
    expect(w.repeated).toEqual([{ pupilId: 'kuba', pupilName: 'Jakub Nowak', count: 2, latestId: 'b' }]);
  });

  it('warns of a concern past its due date while still open, not of a closed one or one due today', () => {
    const w = earlyWarnings(
      [
        concern('late', 'kuba', '2026-11-02', { status: 'open', dueOn: '2026-11-16' }),
        concern('new-late', 'ola', '2026-11-02', { status: 'new', dueOn: '2026-11-25' }),
        concern('today', 'leo', '2026-11-12', { status: 'open', dueOn: '2026-11-26' }),
        concern('closed', 'ayaan', '2026-11-02', { status: 'closed', dueOn: '2026-11-16' }),
      ],
      [],
      new Map(),
      TERM,
      '2026-11-26',
    );
    expect(w.overdue.map((c) => [c.id, c.daysLate])).toEqual([
      ['late', 10],
      ['new-late', 1],
    ]);
  });

  it('counts concerns still with the school whose first reply is past its date, not one replied to, closed or due today', () => {
    const w = earlyWarnings(
      [
        concern('late', 'kuba', '2026-11-12', { status: 'open', dueOn: '2026-12-04', replyBy: '2026-11-19', replied: false }),
        concern('new-late', 'ola', '2026-11-18', { status: 'new', dueOn: '2026-12-04', replyBy: '2026-11-25', replied: false }),
        concern('replied', 'leo', '2026-11-12', { status: 'open', dueOn: '2026-12-04', replyBy: '2026-11-19', replied: true }),
        concern('today', 'ayaan', '2026-11-19', { status: 'open', dueOn: '2026-12-04', replyBy: '2026-11-26', replied: false }),
        concern('closed', 'mia', '2026-11-12', { status: 'closed', dueOn: '2026-12-04', replyBy: '2026-11-19', replied: false }),
      ],
      [],
      new Map(),
      TERM,
      '2026-11-26',
    );
    expect(w.replyLate).toBe(2);
    expect(w.total).toBe(1); // one line on the card, however many
  });

  it('warns of a family with an unresolved concern and an overdue meeting follow-up about the same child or a brother or sister', () => {
    const concerns = [concern('c1', 'kuba', '2026-11-20', { status: 'open', dueOn: '2026-12-04' }), concern('c2', 'leo', '2026-11-20', { carerId: 'grace' })];
    const followUps = [
      { meetingId: 'm-ola', pupilId: 'ola', topic: 'Settling in', dueOn: '2026-11-20' },
      { meetingId: 'm-leo', pupilId: 'leo', topic: 'EHCP review', dueOn: '2026-11-20' },
      { meetingId: 'm-none', pupilId: null, topic: 'Coffee morning', dueOn: '2026-11-20' },
    ];
    const families = new Map([
      ['marta', new Set(['kuba', 'ola'])],
      ['grace', new Set(['leo'])],
    ]);
    const w = earlyWarnings(concerns, followUps, families, TERM, '2026-11-26');
    // Grace's concern is resolved: no warning for Leo's family.
    expect(w.followUps).toEqual([{ concernId: 'c1', pupilName: 'Jakub Nowak', concerns: 1, late: [{ meetingId: 'm-ola', topic: 'Settling in', dueOn: '2026-11-20' }] }]);
    expect(w.total).toBe(1);
  });

  it('gives a family one warning, however many concerns and overdue follow-ups it has', () => {
    const concerns = [concern('c1', 'kuba', '2026-11-10', { status: 'open', dueOn: '2026-12-04' }), concern('c2', 'ola', '2026-11-18', { status: 'open', dueOn: '2026-12-04' })];
    const followUps = [
      { meetingId: 'm2', pupilId: 'kuba', topic: 'Reading at home', dueOn: '2026-11-24' },
      { meetingId: 'm1', pupilId: 'ola', topic: 'Settling in', dueOn: '2026-11-20' },
    ];
    const w = earlyWarnings(concerns, followUps, new Map([['marta', new Set(['kuba', 'ola'])]]), TERM, '2026-11-26');
    expect(w.followUps).toEqual([
      {
        concernId: 'c2',
        pupilName: 'ola',
        concerns: 2,
        late: [
          { meetingId: 'm1', topic: 'Settling in', dueOn: '2026-11-20' },
          { meetingId: 'm2', topic: 'Reading at home', dueOn: '2026-11-24' },
        ],
      },
    ]);
  });
});
