import { sql, type Kysely } from 'kysely';
import type { Database, Instant, OutboxChannel } from '../../db/schema.ts';
import { restrictionStops } from '../../platform/access/hear.ts';
import { schoolCalendar } from '../../platform/calendar/calendar-queries.ts';
import {
  compareLongestUnreached,
  DEFAULT_WEEKS,
  isPaperOnly,
  TEXT_ONLY_CHANNELS,
  attemptsSince,
  lastReached,
  NO_ANSWER,
  reasonsNotReached,
  settledBy,
  staffNameOf,
  windowStart,
  type Attempts,
  type FailedSend,
  type FamilyFacts,
  type NotReachedReason,
  type Reached,
  type ReachingKind,
} from './family-reach.ts';

type Db = Kysely<Database>;
const CHUNK = 900; // ids per IN (...) list: under SQLite's bind limit with room to spare

export type NotReachedChild = { name: string; className: string };
export type NotReachedFamily = {
  carerId: string;
  name: string;
  mobile: string | null;
  email: string | null;
  language: string;
  interpreterNeeded: boolean;
  reached: Reached | null;
  reasons: NotReachedReason[];
  /** Calls nobody answered since they were last reached. */
  attempts: Attempts | null;
  goodNews: number;
  concerns: number;
  children: NotReachedChild[];
  /** A restriction is in force for one of their children: those children are not listed. */
  restricted: boolean;
};

export type NotReachedList = { families: NotReachedFamily[]; since: Instant; carersChecked: number; nameOf: (carerId: string) => string | null };

/**
 * Every carer of the school who was not reached in the last `weeks` weeks, longest unreached first.
 * Four queries whatever the size of the school, none of them reading more than the window's messages
 * except for the families it lists:
 * 1. each carer with the window's figures (how many messages, good news, concerns, the last read
 *    among them), the channels of their latest message and their latest recorded contact;
 * 2. the failed sends in the window;
 * 3. for the carers that could be unreached, the last time they read anything at all (a read in the
 *    window of an older message still counts), so the rules run on exact facts;
 * 4. the children of the carers listed.
 * Step 1 can only make the last read look older than it is, so every family really not reached is
 * among the candidates that step 3 looks at.
 */
export async function notReachedList(db: Db, schoolId: string, at: { now: Date; today: string; timeZone: string }, weeks: number): Promise<NotReachedList> {
  const { now, today } = at;
  const since = windowStart(now, weeks);
  const settled = settledBy(await schoolCalendar(db, schoolId), today, at.timeZone);
  const carers = await carerFigures(db, schoolId, since, settled).execute();
  const failures = await failedSends(db, schoolId, since);

  const factsOf = (c: (typeof carers)[number], lastRead: Instant | null): FamilyFacts => ({
    lastRead,
    lastContact: c.last_contact_at ? { at: c.last_contact_at, kind: (c.last_contact_kind ?? 'other') as ReachingKind } : null,
    receivedInWindow: Number(c.received_settled ?? 0),
    latestPaperOnly: isPaperOnly(c.latest_channels),
    failures: failures.get(c.id) ?? [],
  });
  const candidates = carers.filter((c) => reasonsNotReached(factsOf(c, c.last_read_in_window), since).length > 0);
  const lastReads = await lastReadOf(
    db,
    schoolId,
    candidates.map((c) => c.id),
  );

  const families: NotReachedFamily[] = [];
  const sortKeys = new Map<string, string>();
  for (const c of candidates) {
    const facts = factsOf(c, lastReads.get(c.id) ?? null);
    const reasons = reasonsNotReached(facts, since);
    if (reasons.length === 0) continue;
    sortKeys.set(c.id, `${c.family_name} ${c.given_name}`);
    families.push({
      carerId: c.id,
      name: `${c.title ? `${c.title} ` : ''}${c.given_name} ${c.family_name}`,
      mobile: c.mobile,
      email: c.email,
      language: c.preferred_language,
      interpreterNeeded: c.interpreter_needed === 1,
      reached: lastReached(facts),
      reasons,
      attempts: null,
      goodNews: Number(c.good_news ?? 0),
      concerns: Number(c.concerns ?? 0),
      children: [],
      restricted: false,
    });
  }
  const sortable = (f: NotReachedFamily) => ({ reached: f.reached, name: sortKeys.get(f.carerId)! });
  families.sort((a, b) => compareLongestUnreached(sortable(a), sortable(b)));

  const byId = new Map(families.map((f) => [f.carerId, f]));
  const ids = [...byId.keys()];
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const link of await childrenOfCarers(db, schoolId, ids.slice(i, i + CHUNK), today)) {
      const family = byId.get(link.carer_id)!;
      if (link.restricted) family.restricted = true;
      else if (link.may_receive_information) family.children.push({ name: `${link.preferred_name ?? link.given_name} ${link.family_name}`, className: link.class_name ?? '' });
    }
  }

  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await attemptsOf(db, schoolId, ids.slice(i, i + CHUNK));
    for (const id of new Set(rows.map((r) => r.carer_id))) {
      const family = byId.get(id)!;
      family.attempts = attemptsSince(
        rows.filter((r) => r.carer_id === id),
        family.reached,
      );
    }
  }

  const names = new Map(carers.map((c) => [c.id, `${c.given_name} ${c.family_name}`]));
  return { families, since, carersChecked: carers.length, nameOf: (id) => names.get(id) ?? null };
}

/**
 * Each carer of the school (not archived) with the window's figures, the channels of their latest
 * message and their latest recorded contact, in one statement. The window's messages are joined by
 * carer and date, and the latest message and contact are one-row look-ups, all on the carer indexes
 * (carer_id, created_at) and (carer_id, at): older messages are not read, and the plan stays good
 * even before the database has statistics (just after the demo school is loaded).
 */
export function carerFigures(db: Db, schoolId: string, since: Instant, settled: Instant) {
  const carerColumns = ['c.id', 'c.title', 'c.given_name', 'c.family_name', 'c.mobile', 'c.email', 'c.preferred_language', 'c.interpreter_needed'] as const;
  return db
    .selectFrom('carers as c')
    .leftJoin('message_recipients as mr', (join) => join.onRef('mr.carer_id', '=', 'c.id').on('mr.created_at', '>=', since))
    .leftJoin('messages as m', 'm.id', 'mr.message_id')
    .select(carerColumns)
    .select((eb) => {
      const tone = (t: 'good_news' | 'concern') => eb.fn.sum<number | string | null>(eb.case().when('m.tone', '=', t).then(1).else(0).end());
      const lastContact = () => eb.selectFrom('contact_log as cl').whereRef('cl.carer_id', '=', 'c.id').where('cl.kind', '!=', NO_ANSWER).orderBy('cl.at', 'desc').orderBy('cl.id', 'desc').limit(1);
      return [
        eb.fn.count<number | string>('mr.id').as('received'),
        // Only messages families have had time to read count against them (family-reach.ts: settledBy).
        eb.fn.sum<number | string | null>(eb.case().when('mr.created_at', '<', settled).then(1).else(0).end()).as('received_settled'),
        eb.fn.max<string | null>('mr.read_at').as('last_read_in_window'),
        tone('good_news').as('good_news'),
        tone('concern').as('concerns'),
        // The latest message but an urgent text only, as factsFrom: a snow-day text does not change how letters go.
        eb
          .selectFrom('message_recipients as latest')
          .innerJoin('messages as lm', 'lm.id', 'latest.message_id')
          .select('latest.channels')
          .whereRef('latest.carer_id', '=', 'c.id')
          .where((w) => w.or([w('lm.kind', '!=', 'urgent'), w('latest.channels', 'not in', [...TEXT_ONLY_CHANNELS])]))
          .orderBy('latest.created_at', 'desc')
          .limit(1)
          .as('latest_channels'),
        lastContact().select('cl.at').as('last_contact_at'),
        lastContact().select('cl.kind').as('last_contact_kind'),
      ];
    })
    .where('c.school_id', '=', schoolId)
    .where('c.archived_at', 'is', null)
    .groupBy(carerColumns);
}

/** The calls nobody answered recorded for these carers, with who made each (the rules keep those since the family was last reached). */
async function attemptsOf(db: Db, schoolId: string, carerIds: string[]) {
  const rows = await db
    .selectFrom('contact_log as cl')
    .leftJoin('staff', 'staff.id', 'cl.staff_id')
    .select(['cl.carer_id', 'cl.at', 'cl.kind', 'staff.title', 'staff.family_name'])
    .where('cl.school_id', '=', schoolId)
    .where('cl.carer_id', 'in', carerIds)
    .where('cl.kind', '=', NO_ANSWER)
    .execute();
  return rows.map((r) => ({ carer_id: r.carer_id, at: r.at, kind: r.kind, staffName: staffNameOf(r) }));
}

/** The last time each of these carers read anything, over all time. */
async function lastReadOf(db: Db, schoolId: string, carerIds: string[]): Promise<Map<string, Instant | null>> {
  const out = new Map<string, Instant | null>();
  for (let i = 0; i < carerIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('message_recipients')
      .select('carer_id')
      .select((eb) => eb.fn.max<string | null>('read_at').as('last_read'))
      .where('carer_id', 'in', carerIds.slice(i, i + CHUNK))
      .where('school_id', '=', schoolId)
      .groupBy('carer_id')
      .execute();
    for (const r of rows) out.set(r.carer_id, r.last_read);
  }
  return out;
}

/** Sends that failed for good in the window, per carer. */
async function failedSends(db: Db, schoolId: string, since: Instant): Promise<Map<string, FailedSend[]>> {
  const rows = await db
    .selectFrom('outbox')
    .innerJoin('message_recipients as mr', 'mr.id', 'outbox.ref')
    .select(['mr.carer_id', 'outbox.channel', 'outbox.recipient', 'outbox.last_error', 'outbox.created_at'])
    .where('outbox.school_id', '=', schoolId)
    .where('outbox.status', '=', 'failed')
    .where('outbox.created_at', '>=', since)
    .where('mr.school_id', '=', schoolId)
    .execute();
  const byCarer = new Map<string, FailedSend[]>();
  for (const r of rows) {
    const list = byCarer.get(r.carer_id) ?? [];
    list.push({ at: r.created_at, channel: r.channel as OutboxChannel, recipient: r.recipient, reason: r.last_error });
    byCarer.set(r.carer_id, list);
  }
  return byCarer;
}

/** The children of these carers (not archived), with their class, and whether a restriction stops information. */
export async function childrenOfCarers(db: Db, schoolId: string, carerIds: string[], today: string) {
  return db
    .selectFrom('carer_pupils')
    .innerJoin('pupils', 'pupils.id', 'carer_pupils.pupil_id')
    .leftJoin('classes', 'classes.id', 'pupils.class_id')
    .select(['carer_pupils.carer_id', 'carer_pupils.may_receive_information', 'pupils.given_name', 'pupils.preferred_name', 'pupils.family_name', 'classes.name as class_name'])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('restrictions')
            .select(sql`1`.as('one'))
            .whereRef('restrictions.pupil_id', '=', 'carer_pupils.pupil_id')
            .whereRef('restrictions.carer_id', '=', 'carer_pupils.carer_id')
            .where((r) => restrictionStops(r, 'portal', today)),
        )
        .as('restricted'),
    )
    .where('carer_pupils.school_id', '=', schoolId)
    .where('carer_pupils.carer_id', 'in', carerIds)
    .where('pupils.archived_at', 'is', null)
    .orderBy('pupils.date_of_birth', 'desc')
    .execute();
}

/** How many families are waiting to be reached (the default window): for the home pages of those who reach them. */
export async function notReachedCount(db: Db, schoolId: string, at: { now: Date; today: string; timeZone: string }): Promise<number> {
  return (await notReachedList(db, schoolId, at, DEFAULT_WEEKS)).families.length;
}
