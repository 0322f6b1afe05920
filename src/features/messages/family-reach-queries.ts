import type { Kysely } from 'kysely';
import type { Database, Instant, MessageKind, MessageTone, OutboxChannel } from '../../db/schema.ts';
import { schoolCalendar } from '../../platform/calendar/calendar-queries.ts';
import { localDate } from '../../platform/calendar/time.ts';
import {
  BALANCE_WEEKS,
  NO_ANSWER,
  attemptsSince,
  attemptsText,
  DEFAULT_WEEKS,
  balanceOf,
  balanceText,
  dateIn,
  factsFrom,
  groupFailures,
  isPaperOnly,
  lastReached,
  lastReachedText,
  reasonLines,
  reasonsNotReached,
  settledBy,
  staffNameOf,
  windowStart,
  type Attempts,
  type Balance,
  type ContactKind,
  type FailureGroup,
  type NotReachedReason,
  type Reached,
} from './family-reach.ts';

type Db = Kysely<Database>;

export type ReachMessage = { id: string; subject: string; kind: MessageKind; tone: MessageTone; sentAt: Instant; pupilNames: string; channels: string; readAt: Instant | null; onPaperOnly: boolean };
/**
 * A recorded contact. `note` is null when it is a safeguarding concern and the reader is not the DSL
 * or a deputy (platform/safeguarding): the words never leave this query for them. `mine`: the
 * reader recorded it (they keep a trace that they passed it to the DSL, never the words).
 */
export type ReachContact = { id: string; at: Instant; kind: ContactKind; note: string | null; safeguarding: boolean; mine: boolean; staffName: string };
export type FamilyReach = {
  weeks: number;
  balanceWeeks: number;
  reached: Reached | null;
  reasons: NotReachedReason[];
  /** Calls nobody answered since they were last reached. */
  attempts: Attempts | null;
  balance: Balance;
  balanceText: string;
  /** The latest messages, newest first. */
  messages: ReachMessage[];
  /** Failed sends in the balance window, grouped by address and reason. */
  failures: FailureGroup[];
  /** The latest recorded contacts, newest first. */
  contacts: ReachContact[];
  /** The same in words, with dates in the school's zone: for the family's page and the carer page. */
  text: { lastReached: string; reasons: string[]; balance: string; attempts: string | null };
};

const RECENT_MESSAGES = 20;
const RECENT_CONTACTS = 50;

/**
 * One family's reach: for the family's own page and the carer page. Four small queries, each on the
 * carer's own index: what they received (every message, a few columns), the latest messages in
 * full, their failed sends, and the contacts recorded with them.
 */
export async function familyReach(
  db: Db,
  schoolId: string,
  carerId: string,
  now: Date,
  options: { weeks?: number; balanceWeeks?: number; timeZone?: string; reader?: { staffId: string; readsSafeguarding: boolean } } = {},
): Promise<FamilyReach> {
  const reader = options.reader ?? { staffId: '', readsSafeguarding: false };
  const weeks = options.weeks ?? DEFAULT_WEEKS;
  const balanceWeeks = options.balanceWeeks ?? BALANCE_WEEKS;
  const since = windowStart(now, weeks);
  const balanceSince = windowStart(now, balanceWeeks);
  const earliest = since < balanceSince ? since : balanceSince;

  const timeZone = options.timeZone ?? 'Europe/London';
  const [received, latest, failed, contacts, lastReaching, tries, calendar] = await Promise.all([
    db
      .selectFrom('message_recipients as mr')
      .innerJoin('messages as m', 'm.id', 'mr.message_id')
      .select(['mr.created_at', 'mr.read_at', 'mr.channels', 'm.tone', 'm.kind'])
      .where('mr.carer_id', '=', carerId)
      .where('mr.school_id', '=', schoolId)
      .execute(),
    db
      .selectFrom('message_recipients as mr')
      .innerJoin('messages as m', 'm.id', 'mr.message_id')
      .select(['m.id', 'm.subject', 'm.kind', 'm.tone', 'mr.created_at', 'mr.pupil_names', 'mr.channels', 'mr.read_at'])
      .where('mr.carer_id', '=', carerId)
      .where('mr.school_id', '=', schoolId)
      .orderBy('mr.created_at', 'desc')
      .limit(RECENT_MESSAGES)
      .execute(),
    db
      .selectFrom('outbox')
      .innerJoin('message_recipients as mr', 'mr.id', 'outbox.ref')
      .select(['outbox.created_at', 'outbox.channel', 'outbox.recipient', 'outbox.last_error'])
      .where('mr.carer_id', '=', carerId)
      .where('mr.school_id', '=', schoolId)
      .where('outbox.status', '=', 'failed')
      .where('outbox.created_at', '>=', earliest)
      .execute(),
    db
      .selectFrom('contact_log as cl')
      .leftJoin('staff', 'staff.id', 'cl.staff_id')
      .select(['cl.id', 'cl.at', 'cl.kind', 'cl.note', 'cl.safeguarding', 'cl.staff_id', 'staff.title', 'staff.given_name', 'staff.family_name'])
      .where('cl.carer_id', '=', carerId)
      .where('cl.school_id', '=', schoolId)
      .orderBy('cl.at', 'desc')
      .limit(RECENT_CONTACTS)
      .execute(),
    // The latest contact that reached them, however many attempts came after it.
    db
      .selectFrom('contact_log as cl')
      .select(['cl.at', 'cl.kind'])
      .where('cl.carer_id', '=', carerId)
      .where('cl.school_id', '=', schoolId)
      .where('cl.kind', '!=', NO_ANSWER)
      .orderBy('cl.at', 'desc')
      .orderBy('cl.id', 'desc')
      .limit(1)
      .execute(),
    db
      .selectFrom('contact_log as cl')
      .leftJoin('staff', 'staff.id', 'cl.staff_id')
      .select(['cl.at', 'cl.kind', 'staff.title', 'staff.family_name'])
      .where('cl.carer_id', '=', carerId)
      .where('cl.school_id', '=', schoolId)
      .where('cl.kind', '=', NO_ANSWER)
      .execute(),
    schoolCalendar(db, schoolId),
  ]);

  const failures = failed.map((f) => ({ at: f.created_at, channel: f.channel as OutboxChannel, recipient: f.recipient, reason: f.last_error }));
  const facts = factsFrom(received, failures, lastReaching, since, settledBy(calendar, localDate(now, timeZone), timeZone));
  const balance = balanceOf(received, balanceSince);
  const reached = lastReached(facts);
  const reasons = reasonsNotReached(facts, since);
  const attempts = attemptsSince(
    tries.map((r) => ({ at: r.at, kind: r.kind, staffName: staffNameOf(r) })),
    reached,
  );
  const date = dateIn(timeZone);
  return {
    weeks,
    balanceWeeks,
    reached,
    reasons,
    attempts,
    balance,
    balanceText: balanceText(balance),
    messages: latest.map((m) => ({
      id: m.id,
      subject: m.subject,
      kind: m.kind,
      tone: m.tone,
      sentAt: m.created_at,
      pupilNames: m.pupil_names,
      channels: m.channels,
      readAt: m.read_at,
      onPaperOnly: isPaperOnly(m.channels),
    })),
    failures: groupFailures(failures.filter((f) => f.at >= balanceSince)),
    contacts: contacts.map((c) => {
      const safeguarding = Number(c.safeguarding) === 1;
      const note = safeguarding && !reader.readsSafeguarding ? null : c.note;
      return { id: c.id, at: c.at, kind: c.kind, note, safeguarding, mine: c.staff_id === reader.staffId, staffName: staffNameOf(c) };
    }),
    text: {
      lastReached: lastReachedText(reached, now, date),
      reasons: reasonLines(reasons, weeks, date),
      balance: balanceText(balance),
      attempts: attempts ? attemptsText(attempts, reached, now, date) : null,
    },
  };
}
