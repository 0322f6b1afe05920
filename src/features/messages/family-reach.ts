import type { ContactLogTable, Instant, MessageKind, MessageTone, OutboxChannel } from '../../db/schema.ts';
import { schoolDaysBefore, type SchoolCalendar } from '../../platform/calendar/school-days.ts';
import { formatInstant, formatInstantDate, schoolLocalInstant } from '../../platform/calendar/time.ts';

/**
 * A family's reach, as plain data: when the school last reached them, the balance of good news and
 * concerns they have heard, and why they count as "not reached".
 *
 * - Reached means a person took something in: they read a message, or a member of staff recorded a
 *   call or a conversation with them. A letter sent home on paper is not counted: nobody knows it arrived.
 * - Not reached, over a window of N weeks (chosen by the viewer, 1–26, 4 by default), for one or more
 *   of these reasons:
 *   - nothing read: they received a message in the window, long enough ago to have read it (three
 *     school days: READ_WITHIN_SCHOOL_DAYS), and have not read anything or been spoken to since the
 *     window began;
 *   - contact failed: an email bounced or a text was refused in the window, after they were last reached;
 *   - paper only: their latest message went on paper and in Gatepost but not by email or text
 *     ('paper' or 'app,paper'), they have never read one in Gatepost, and nobody has spoken to them in
 *     the window.
 *     (It takes the place of "nothing read", which says the same less helpfully.)
 *   Recording a contact makes the family reached, so it drops off the list until the next reason.
 * - Tried, no answer: a call nobody answered (or a visit with nobody in) is recorded too, to show the
 *   school keeps trying, but it does not reach anyone: the family stays on the list, which shows how
 *   many times, when and by whom the school tried since it last reached them.
 */
export type ContactKind = ContactLogTable['kind'];
/** The one kind of contact that does not reach the family: nobody answered. */
export const NO_ANSWER = 'no_answer' satisfies ContactKind;
/** A contact that reached the family: every kind but an attempt nobody answered. */
export type ReachingKind = Exclude<ContactKind, typeof NO_ANSWER>;

/** Who works through the families the school does not reach: leaders, office and pastoral staff. */
export { REACH_ROLES } from '../../platform/access/roles.ts';

export const DEFAULT_WEEKS = 4;
export const MAX_WEEKS = 26;
/** The balance of good news and concerns is counted over this many weeks on a family's page. */
export const BALANCE_WEEKS = 12;

export const CONTACT_KIND_LABELS: Record<ContactKind, string> = {
  phone: 'Phone call',
  gate: 'Conversation at the gate',
  meeting: 'Meeting',
  home_visit: 'Home visit',
  other: 'Other',
  no_answer: 'Tried to call or visit: no answer',
};

/** Whether a recorded contact reached the family (an attempt nobody answered does not). */
export function reaches(kind: ContactKind): kind is ReachingKind {
  return kind !== NO_ANSWER;
}

/** One message a carer received: when, whether and when they read it, how it went, and its tone. */
export type ReceivedRow = { created_at: Instant; read_at: Instant | null; channels: string; tone: MessageTone; kind: MessageKind };
/** A send that failed for good: an email that bounced, a text the network refused. */
export type FailedSend = { at: Instant; channel: OutboxChannel; recipient: string; reason: string | null };
export type ContactRow = { at: Instant; kind: ContactKind };
export type ReachingContact = { at: Instant; kind: ReachingKind };
/** Attempts nobody answered since the family was last reached: how many, the last one, and who made it. */
export type Attempts = { count: number; lastAt: Instant; lastBy: string };

/** What the rules need to know about one carer; the list page gets these from SQL aggregates. */
export type FamilyFacts = {
  lastRead: Instant | null;
  /** The latest contact that reached them (attempts nobody answered are left out). */
  lastContact: ReachingContact | null;
  /** Messages received since the window began, long enough ago to have been read (see settledBy). */
  receivedInWindow: number;
  /** Whether the most recent message they received went on paper only (see PAPER_ONLY_CHANNELS); an urgent text only is passed over. */
  latestPaperOnly: boolean;
  /** Failed sends in the window (older ones may be included: the rules ignore them). */
  failures: FailedSend[];
};

export type Reached = { at: Instant; how: 'read' | ReachingKind };
export type NotReachedReason = { kind: 'nothing_read'; received: number } | { kind: 'contact_failed'; failures: FailureGroup[] } | { kind: 'paper_only' };
/** Failed sends to one address for one reason, counted: a bad address fails for every message. */
export type FailureGroup = { channel: OutboxChannel; recipient: string; reason: string; count: number; lastAt: Instant };
export type Balance = { goodNews: number; concerns: number; information: number };

const DAY_MS = 86_400_000;

/** A message counts as unread only once families have had this many school days to read it. */
export const READ_WITHIN_SCHOOL_DAYS = 3;

/** Messages received before this instant have had READ_WITHIN_SCHOOL_DAYS school days to be read. */
export function settledBy(calendar: SchoolCalendar, today: string, timeZone: string): Instant {
  const lastDay = schoolDaysBefore(calendar, today, READ_WITHIN_SCHOOL_DAYS);
  const next = new Date(Date.parse(`${lastDay}T12:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  const start = schoolLocalInstant(next, '00:00', timeZone);
  return start.ok ? start.instant : `${next}T00:00:00.000Z`;
}

/** The start of a window of `weeks` weeks ending now. */
export function windowStart(now: Date, weeks: number): Instant {
  return new Date(now.getTime() - weeks * 7 * DAY_MS).toISOString();
}

/** The viewer's choice of weeks: a whole number from 1 to 26, or the default. */
export function parseWeeks(raw: unknown): number {
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (typeof text !== 'string' || !/^\d{1,2}$/.test(text.trim())) return DEFAULT_WEEKS;
  const n = Number(text.trim());
  return n >= 1 && n <= MAX_WEEKS ? n : DEFAULT_WEEKS;
}

/** The latest of a message read and a recorded contact; paper does not count. */
export function lastReached(facts: Pick<FamilyFacts, 'lastRead' | 'lastContact'>): Reached | null {
  const { lastRead, lastContact } = facts;
  if (lastContact && (!lastRead || lastContact.at >= lastRead)) return { at: lastContact.at, how: lastContact.kind };
  if (lastRead) return { at: lastRead, how: 'read' };
  return null;
}

/** How send.ts writes the channels of a message that went on paper and in Gatepost only (no email, no text). */
export const PAPER_ONLY_CHANNELS = ['paper', 'app,paper'] as const;

/** Paper, and perhaps Gatepost, but no email and no text. */
export function isPaperOnly(channels: string | null): boolean {
  return (PAPER_ONLY_CHANNELS as readonly (string | null)[]).includes(channels);
}

/** How send.ts writes the channels of an urgent notice that went by text (and to the Gatepost inbox) but not by email. */
export const TEXT_ONLY_CHANNELS = ['sms', 'app,sms'] as const;

/** An urgent notice by text and no email: the text is the notice itself, with no link, so it can never be seen to be read. */
export function isTextOnly(channels: string | null, kind: MessageKind): boolean {
  return kind === 'urgent' && (TEXT_ONLY_CHANNELS as readonly (string | null)[]).includes(channels);
}

/**
 * Whether a carer could be seen to read this message: it went by email, to Gatepost with something
 * else, or as a text with a link. Not paper only, not an urgent text only. Only these count in a
 * message's "Read" figures (reach.ts) and towards a survey's "read nothing last term".
 */
export function readableOnline(channels: string, kind: MessageKind): boolean {
  return !isPaperOnly(channels) && !isTextOnly(channels, kind);
}

/** Failed sends to the same address for the same reason, newest first. */
export function groupFailures(failures: FailedSend[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const f of failures) {
    const reason = f.reason?.trim() || 'no reason given';
    const key = `${f.channel}\u0000${f.recipient}\u0000${reason}`;
    const g = groups.get(key);
    if (g) {
      g.count += 1;
      if (f.at > g.lastAt) g.lastAt = f.at;
    } else groups.set(key, { channel: f.channel, recipient: f.recipient, reason, count: 1, lastAt: f.at });
  }
  return [...groups.values()].sort((a, b) => (a.lastAt < b.lastAt ? 1 : a.lastAt > b.lastAt ? -1 : 0));
}

/** Why this family counts as not reached since `since` (an empty list: they were reached). */
export function reasonsNotReached(facts: FamilyFacts, since: Instant): NotReachedReason[] {
  const reached = lastReached(facts);
  const reachedInWindow = !!reached && reached.at >= since;
  const reasons: NotReachedReason[] = [];
  const paperOnly = !facts.lastRead && !reachedInWindow && facts.latestPaperOnly;
  if (paperOnly) reasons.push({ kind: 'paper_only' });
  else if (facts.receivedInWindow > 0 && !reachedInWindow) reasons.push({ kind: 'nothing_read', received: facts.receivedInWindow });
  const failed = facts.failures.filter((f) => f.at >= since && (!reached || f.at > reached.at));
  if (failed.length > 0) reasons.push({ kind: 'contact_failed', failures: groupFailures(failed) });
  return reasons;
}

/** Good news, concerns and other messages received since `since`. */
export function balanceOf(received: ReceivedRow[], since: Instant): Balance {
  const b: Balance = { goodNews: 0, concerns: 0, information: 0 };
  for (const r of received) {
    if (r.created_at < since) continue;
    if (r.tone === 'good_news') b.goodNews += 1;
    else if (r.tone === 'concern') b.concerns += 1;
    else b.information += 1;
  }
  return b;
}

/** "3 good news, 1 concern" */
export function balanceText(b: Pick<Balance, 'goodNews' | 'concerns'>): string {
  return `${b.goodNews} good news, ${b.concerns} ${b.concerns === 1 ? 'concern' : 'concerns'}`;
}

/** The facts for one carer from all their rows: what they received, the failed sends, the contacts recorded. */
export function factsFrom(received: ReceivedRow[], failures: FailedSend[], contacts: ContactRow[], since: Instant, settled: Instant): FamilyFacts {
  let lastRead: Instant | null = null;
  let latest: ReceivedRow | null = null;
  let receivedInWindow = 0;
  for (const r of received) {
    if (r.read_at && (!lastRead || r.read_at > lastRead)) lastRead = r.read_at;
    // A snow-day text to a family whose letters go on paper says nothing about how their letters go.
    if (!isTextOnly(r.channels, r.kind) && (!latest || r.created_at > latest.created_at)) latest = r;
    if (r.created_at >= since && r.created_at < settled) receivedInWindow += 1;
  }
  let lastContact: ReachingContact | null = null;
  for (const c of contacts) if (reaches(c.kind) && (!lastContact || c.at > lastContact.at)) lastContact = { at: c.at, kind: c.kind };
  return { lastRead, lastContact, receivedInWindow, latestPaperOnly: isPaperOnly(latest?.channels ?? null), failures };
}

/** Longest unreached first: never reached before anyone, then the oldest last reach. */
export function compareLongestUnreached(a: { reached: Reached | null; name: string }, b: { reached: Reached | null; name: string }): number {
  const at = (r: Reached | null) => r?.at ?? '';
  if (at(a.reached) !== at(b.reached)) return at(a.reached) < at(b.reached) ? -1 : 1;
  return a.name.localeCompare(b.name, 'en-GB');
}

/** "today", "yesterday", "5 days ago", "3 weeks ago" */
export function howLongAgo(at: Instant, now: Date): string {
  const days = Math.max(0, Math.floor((now.getTime() - Date.parse(at)) / DAY_MS));
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 14) return `${days} days ago`;
  return `${Math.floor(days / 7)} weeks ago`;
}

export function weeksText(weeks: number): string {
  return weeks === 1 ? 'week' : `${weeks} weeks`;
}

/** How the family was last reached, in words: "read a message", "phone call". */
export function reachedHow(r: Reached): string {
  return r.how === 'read' ? 'read a message' : CONTACT_KIND_LABELS[r.how].toLowerCase();
}

const CHANNEL_WORDS: Record<OutboxChannel, string> = { email: 'Email', sms: 'Text message' };

/** One line per reason, for the list and the family's page. */
export function reasonLines(reasons: NotReachedReason[], weeks: number, describeDate: (at: Instant) => string): string[] {
  const lines: string[] = [];
  for (const r of reasons) {
    if (r.kind === 'nothing_read') lines.push(`Nothing read in the last ${weeksText(weeks)} (${r.received} ${r.received === 1 ? 'message' : 'messages'} sent)`);
    else if (r.kind === 'paper_only') lines.push('Paper only: no email, and has never read a message in Gatepost');
    else {
      for (const f of r.failures) {
        const times = f.count === 1 ? '' : ` ${f.count} times, last`;
        lines.push(`${CHANNEL_WORDS[f.channel]} to ${f.recipient} failed${times} on ${describeDate(f.lastAt)}: ${f.reason}`);
      }
    }
  }
  return lines;
}

/** The attempts nobody answered made after the family was last reached (all of them if never), or null. */
export function attemptsSince(rows: { at: Instant; kind: ContactKind; staffName: string }[], reached: Reached | null): Attempts | null {
  let out: Attempts | null = null;
  for (const r of rows) {
    if (reaches(r.kind) || (reached && r.at <= reached.at)) continue;
    if (!out) out = { count: 1, lastAt: r.at, lastBy: r.staffName };
    else {
      out.count += 1;
      if (r.at > out.lastAt) Object.assign(out, { lastAt: r.at, lastBy: r.staffName });
    }
  }
  return out;
}

/** Beside "Tried": "2 times with no answer since last reached: last on 3 December 2026 (4 days ago)" (who tried goes after it, ", by Ms Lewis"). */
export function attemptsText(a: Attempts, reached: Reached | null, now: Date, describeDate: (at: Instant) => string): string {
  const times = a.count === 1 ? 'Once' : `${a.count} times`;
  return `${times} with no answer${reached ? ' since last reached' : ''}: last on ${describeDate(a.lastAt)} (${howLongAgo(a.lastAt, now)})`;
}

/** "Ms Lewis"; a member of staff who has since gone is not named. */
export function staffNameOf(s: { title: string | null; family_name: string | null }): string {
  return s.family_name ? `${s.title ?? ''} ${s.family_name}`.trim() : 'A former member of staff';
}

/** Dates in the school's zone, as the rest of Gatepost writes them (platform/calendar/time.ts). */
export function dateIn(timeZone: string): (at: Instant) => string {
  return (at) => formatInstantDate(at, timeZone);
}
export function dateTimeIn(timeZone: string): (at: Instant) => string {
  return (at) => formatInstant(at, timeZone);
}

/** "Never", or "12 October 2026 (6 weeks ago): phone call" */
export function lastReachedText(r: Reached | null, now: Date, describeDate: (at: Instant) => string): string {
  if (!r) return 'Never';
  return `${describeDate(r.at)} (${howLongAgo(r.at, now)}): ${reachedHow(r)}`;
}
