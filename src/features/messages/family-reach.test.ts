import { describe, expect, it } from 'vitest';
import { createTemplates } from '../../platform/web/nunjucks.ts';
import { formatInstant } from '../../platform/calendar/time.ts';
import {
  attemptsSince,
  attemptsText,
  balanceOf,
  balanceText,
  compareLongestUnreached,
  dateIn,
  dateTimeIn,
  factsFrom,
  groupFailures,
  howLongAgo,
  isPaperOnly,
  lastReached,
  lastReachedText,
  parseWeeks,
  reasonLines,
  reasonsNotReached,
  settledBy,
  windowStart,
  type ContactRow,
  type FailedSend,
  type ReceivedRow,
} from './family-reach.ts';

const NOW = new Date('2026-11-27T15:00:00.000Z'); // a Friday afternoon
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
const SINCE = windowStart(NOW, 4);
/** Every message in these tests has had time to be read, unless a test says otherwise. */
const SETTLED = NOW.toISOString();

const msg = (days: number, o: Partial<ReceivedRow> & { readDays?: number } = {}): ReceivedRow => ({
  created_at: ago(days),
  read_at: o.readDays === undefined ? null : ago(o.readDays),
  channels: o.channels ?? 'app,email',
  tone: o.tone ?? 'information',
  kind: o.kind ?? 'newsletter',
});
const bounce = (days: number, reason = '550 mailbox unavailable'): FailedSend => ({ at: ago(days), channel: 'email', recipient: 'marta@families.test', reason });
const call = (days: number, kind: ContactRow['kind'] = 'phone'): ContactRow => ({ at: ago(days), kind });
const reasons = (received: ReceivedRow[], failures: FailedSend[] = [], contacts: ContactRow[] = []) =>
  reasonsNotReached(factsFrom(received, failures, contacts, SINCE, SETTLED), SINCE).map((r) => r.kind);

describe('who counts as not reached', () => {
  it('lists a family sent messages in the window who read none of them and was not spoken to', () => {
    expect(reasons([msg(3), msg(10)])).toEqual(['nothing_read']);
    const [r] = reasonsNotReached(factsFrom([msg(3), msg(10), msg(40)], [], [], SINCE, SETTLED), SINCE);
    expect(r).toEqual({ kind: 'nothing_read', received: 2 });
  });

  it('counts a read in the window, even of an older message, and a recorded call, as reached', () => {
    expect(reasons([msg(3), msg(10, { readDays: 9 })])).toEqual([]);
    expect(reasons([msg(3), msg(40, { readDays: 2 })])).toEqual([]);
    expect(reasons([msg(3), msg(10)], [], [call(1, 'gate')])).toEqual([]);
    // A call before the window does not count for this window.
    expect(reasons([msg(3)], [], [call(35)])).toEqual(['nothing_read']);
  });

  it('does not count a call no one answered as reaching them, and counts the attempts since they were last reached', () => {
    expect(reasons([msg(3), msg(10)], [], [call(1, 'no_answer'), call(2, 'no_answer')])).toEqual(['nothing_read']);
    expect(reasons([msg(3), msg(10)], [], [call(5, 'phone'), call(1, 'no_answer')])).toEqual([]);
    const facts = factsFrom([msg(3)], [], [call(20, 'gate'), call(1, 'no_answer')], SINCE, SETTLED);
    expect(lastReached(facts)).toEqual({ at: ago(20), how: 'gate' });
    const tries = [
      { at: ago(25), kind: 'no_answer' as const, staffName: 'Mr Old' },
      { at: ago(6), kind: 'no_answer' as const, staffName: 'Ms Lewis' },
      { at: ago(2), kind: 'no_answer' as const, staffName: 'Mrs Patel' },
      { at: ago(20), kind: 'gate' as const, staffName: 'Ms Lewis' },
    ];
    const attempts = attemptsSince(tries, lastReached(facts));
    expect(attempts).toEqual({ count: 2, lastAt: ago(2), lastBy: 'Mrs Patel' });
    expect(attemptsText(attempts!, lastReached(facts), NOW, dateIn('Europe/London'))).toBe('2 times with no answer since last reached: last on 25 November 2026 (2 days ago)');
    expect(attemptsSince(tries, null)).toMatchObject({ count: 3 });
    expect(attemptsSince([tries[3]!], null)).toBeNull();
  });

  it('does not count a message against a family until they have had three school days to read it', () => {
    // Friday 27 November: messages from Tuesday 24th on are still new; Monday 23rd's has had Tue, Wed, Thu.
    const calendar = { terms: [{ starts_on: '2026-09-03', ends_on: '2026-12-18' }], closures: [{ starts_on: '2026-11-25', ends_on: '2026-11-25' }] };
    const settled = settledBy(calendar, '2026-11-27', 'Europe/London');
    // Wednesday 25th was a closure, so three school days back from Friday is Monday 23rd; from Tuesday 24th on is still new.
    expect(settled).toBe('2026-11-24T00:00:00.000Z');
    const sentOn = (date: string, o: Partial<ReceivedRow> = {}) => ({ ...msg(0, o), created_at: `${date}T16:00:00.000Z` });
    const facts = (rows: ReceivedRow[]) => reasonsNotReached(factsFrom(rows, [], [], SINCE, settled), SINCE).map((r) => r.kind);
    expect(facts([sentOn('2026-11-24'), sentOn('2026-11-26')])).toEqual([]);
    expect(facts([sentOn('2026-11-23'), sentOn('2026-11-26')])).toEqual(['nothing_read']);
    expect(reasonsNotReached(factsFrom([sentOn('2026-11-23'), sentOn('2026-11-26')], [], [], SINCE, settled), SINCE)).toEqual([{ kind: 'nothing_read', received: 1 }]);
  });

  it('does not list a family sent nothing in the window', () => {
    expect(reasons([msg(40)])).toEqual([]);
    expect(reasons([])).toEqual([]);
  });

  it('lists a bounce after the family was last reached, with its reason; a later read or call clears it', () => {
    expect(reasonsNotReached(factsFrom([msg(6), msg(20, { readDays: 19 })], [bounce(6)], [], SINCE, SETTLED), SINCE)).toEqual([
      { kind: 'contact_failed', failures: [{ channel: 'email', recipient: 'marta@families.test', reason: '550 mailbox unavailable', count: 1, lastAt: ago(6) }] },
    ]);
    expect(reasons([msg(6, { readDays: 2 })], [bounce(6)])).toEqual([]);
    expect(reasons([msg(6)], [bounce(6)], [call(1)])).toEqual([]);
    // A bounce before the window is not this window's business.
    expect(reasons([msg(40, { readDays: 39 })], [bounce(40)])).toEqual([]);
  });

  it('lists a family whose letters go on paper only and who never read anything in Gatepost, instead of "nothing read"', () => {
    expect(reasons([msg(6, { channels: 'app,paper' })])).toEqual(['paper_only']);
    expect(reasons([msg(6, { channels: 'paper' })])).toEqual(['paper_only']);
    // Paper only even with nothing sent this month, until someone speaks to them.
    expect(reasons([msg(40, { channels: 'app,paper' })])).toEqual(['paper_only']);
    expect(reasons([msg(40, { channels: 'app,paper' })], [], [call(3, 'home_visit')])).toEqual([]);
    // Not paper only: they have read something once, or their latest message went by email or text.
    expect(reasons([msg(6, { channels: 'app,paper' }), msg(100, { readDays: 99 })])).toEqual(['nothing_read']);
    expect(reasons([msg(6, { channels: 'app,email,paper' })])).toEqual(['nothing_read']);
    expect(reasons([msg(6, { channels: 'app,sms' }), msg(7, { channels: 'app,paper' })])).toEqual(['nothing_read']);
  });

  it('still lists a paper-only family as paper only after a snow-day text, not as "nothing read"', () => {
    // Faduma: newsletters in the print pack; the urgent closure went to her mobile only, the notice itself with no link to open.
    expect(reasons([msg(2, { channels: 'app,sms', kind: 'urgent' }), msg(7, { channels: 'app,paper' })])).toEqual(['paper_only']);
    expect(reasons([msg(2, { channels: 'sms', kind: 'urgent' }), msg(7, { channels: 'paper' })])).toEqual(['paper_only']);
    // A newsletter by text with a link can be read in Gatepost: it is not paper only.
    expect(reasons([msg(2, { channels: 'app,sms', kind: 'newsletter' }), msg(7, { channels: 'app,paper' })])).toEqual(['nothing_read']);
    // An urgent notice by email as well as text can be read: not paper only.
    expect(reasons([msg(2, { channels: 'app,email,sms', kind: 'urgent' }), msg(7, { channels: 'app,paper' })])).toEqual(['nothing_read']);
  });

  it('gives every reason that applies', () => {
    expect(reasons([msg(6)], [bounce(6)])).toEqual(['nothing_read', 'contact_failed']);
    expect(reasons([msg(6, { channels: 'app,paper' })], [{ ...bounce(6), channel: 'sms', recipient: '07700900005', reason: 'Number not in service' }])).toEqual(['paper_only', 'contact_failed']);
  });

  it('knows paper only by the channels send.ts writes', () => {
    expect(['paper', 'app,paper'].map(isPaperOnly)).toEqual([true, true]);
    expect(['app', 'app,email', 'app,email,paper', 'app,sms', '', null].map(isPaperOnly)).toEqual([false, false, false, false, false, false]);
  });
});

describe('last reached', () => {
  it('is the latest of a read and a recorded contact; paper never counts', () => {
    expect(lastReached(factsFrom([msg(6, { channels: 'app,paper' })], [], [], SINCE, SETTLED))).toBeNull();
    expect(lastReached(factsFrom([msg(10, { readDays: 8 }), msg(20, { readDays: 2 })], [], [call(5)], SINCE, SETTLED))).toEqual({ at: ago(2), how: 'read' });
    expect(lastReached(factsFrom([msg(10, { readDays: 8 })], [], [call(5, 'gate'), call(30)], SINCE, SETTLED))).toEqual({ at: ago(5), how: 'gate' });
  });

  it('is said in words, with how long ago', () => {
    const date = dateIn('Europe/London');
    expect(lastReachedText(null, NOW, date)).toBe('Never');
    expect(lastReachedText({ at: ago(5), how: 'gate' }, NOW, date)).toBe('22 November 2026 (5 days ago): conversation at the gate');
    expect(lastReachedText({ at: ago(43), how: 'read' }, NOW, date)).toBe('15 October 2026 (6 weeks ago): read a message');
    expect([0, 1, 13, 14, 20].map((d) => howLongAgo(ago(d), NOW))).toEqual(['today', 'yesterday', '13 days ago', '2 weeks ago', '2 weeks ago']);
  });

  it('sorts the never reached first, then the longest ago, then by name', () => {
    const rows = [
      { reached: { at: ago(10), how: 'read' as const }, name: 'Nowak Tomasz' },
      { reached: null, name: 'Warsame Faduma' },
      { reached: { at: ago(30), how: 'phone' as const }, name: 'Mensah Grace' },
      { reached: null, name: 'Nowak Marta' },
    ];
    expect(rows.sort(compareLongestUnreached).map((r) => r.name)).toEqual(['Nowak Marta', 'Warsame Faduma', 'Mensah Grace', 'Nowak Tomasz']);
  });
});

describe('the balance of good news and concerns', () => {
  it('counts the messages received in the window by tone', () => {
    const received = [msg(3, { tone: 'good_news' }), msg(10, { tone: 'good_news' }), msg(20, { tone: 'concern' }), msg(21), msg(100, { tone: 'concern' })];
    const b = balanceOf(received, windowStart(NOW, 12));
    expect(b).toEqual({ goodNews: 2, concerns: 1, information: 1 });
    expect(balanceText(b)).toBe('2 good news, 1 concern');
    expect(balanceText({ goodNews: 0, concerns: 3 })).toBe('0 good news, 3 concerns');
    expect(balanceOf(received, SINCE)).toEqual({ goodNews: 2, concerns: 1, information: 1 });
    expect(balanceOf(received, windowStart(NOW, 1))).toEqual({ goodNews: 1, concerns: 0, information: 0 });
  });
});

describe('failed contacts in words', () => {
  it('groups the same bad address, names the channel and keeps the reason', () => {
    const failures = [bounce(20), bounce(6), { ...bounce(13), channel: 'sms' as const, recipient: '07700900002', reason: null }];
    const groups = groupFailures(failures);
    expect(groups).toEqual([
      { channel: 'email', recipient: 'marta@families.test', reason: '550 mailbox unavailable', count: 2, lastAt: ago(6) },
      { channel: 'sms', recipient: '07700900002', reason: 'no reason given', count: 1, lastAt: ago(13) },
    ]);
    const lines = reasonLines([{ kind: 'nothing_read', received: 1 }, { kind: 'contact_failed', failures: groups }, { kind: 'paper_only' }], 1, dateIn('Europe/London'));
    expect(lines).toEqual([
      'Nothing read in the last week (1 message sent)',
      'Email to marta@families.test failed 2 times, last on 21 November 2026: 550 mailbox unavailable',
      'Text message to 07700900002 failed on 14 November 2026: no reason given',
      'Paper only: no email, and has never read a message in Gatepost',
    ]);
  });
});

describe('the viewer’s choice of weeks', () => {
  it('takes a whole number from 1 to 26, and otherwise 4', () => {
    expect(['1', '4', '26', ' 8 ', ['6', '7']].map(parseWeeks)).toEqual([1, 4, 26, 8, 6]);
    expect(['0', '27', '-1', '2.5', 'four', '', undefined, null, '100'].map(parseWeeks)).toEqual([4, 4, 4, 4, 4, 4, 4, 4, 4]);
    expect(windowStart(NOW, 4)).toBe('2026-10-30T15:00:00.000Z');
  });
});

describe('dates in the school’s zone', () => {
  it('reads as the rest of Gatepost, either side of the clock changes', () => {
    const when = dateTimeIn('Europe/London');
    for (const at of [
      '2026-11-23T16:20:00.000Z',
      '2026-03-29T00:30:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T01:30:00.000Z',
      '2026-06-01T11:05:00.000Z',
      '2026-06-01T23:00:00.000Z',
      '2026-07-01T12:00:00.000Z',
    ]) {
      expect(when(at)).toBe(formatInstant(at, 'Europe/London'));
    }
    expect(dateIn('Europe/London')('2026-06-01T23:30:00.000Z')).toBe('2 June 2026');
  });
});

describe('the reach summary for the carer page', () => {
  it('draws last reached, the balance and what to follow up, with links only when asked', () => {
    const env = createTemplates();
    const reach = { weeks: 4, balanceWeeks: 12, text: { lastReached: 'Never', balance: '3 good news, 1 concern', reasons: ['Paper only: no email, and has never read a message in Gatepost'] } };
    const page = (showLinks: boolean) =>
      env.renderString('{% from "features/messages/views/not-reached-macros.njk" import familyReachSummary %}{{ familyReachSummary(reach, "c1", showLinks) }}', { reach, showLinks });
    const html = page(true);
    expect(html).toContain('Last 12 weeks');
    expect(html).toContain('3 good news, 1 concern');
    expect(html).toContain('Paper only');
    expect(html).toContain('href="/carers/c1/contacts/new"');
    expect(page(false)).not.toContain('/carers/c1/');
    expect(
      env.renderString('{% from "features/messages/views/not-reached-macros.njk" import familyReachSummary %}{{ familyReachSummary(reach, "c1", false) }}', {
        reach: { ...reach, text: { ...reach.text, reasons: [] } },
      }),
    ).toContain('Nothing: reached in the last 4 weeks');
  });
});
