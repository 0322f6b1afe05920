import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { PAPER_ONLY_CHANNELS, TEXT_ONLY_CHANNELS } from './family-reach.ts';
import type { ChildFacts } from './reach.ts';

type Db = Kysely<Database>;

export async function getMessage(db: Db, schoolId: string, messageId: string) {
  return db.selectFrom('messages').selectAll().where('id', '=', messageId).where('school_id', '=', schoolId).executeTakeFirst();
}

/**
 * The newest hundred of the school's messages (or one person's), read newest first from the index
 * messages_school_updated (migration 0042): not every message the school ever sent, sorted, on each
 * view of the messages page.
 */
export function messagesPageStatement(db: Db, schoolId: string, onlyBy: string | null) {
  let q = db
    .selectFrom('messages')
    .leftJoin('staff', 'staff.id', 'messages.created_by')
    .select(['messages.id', 'messages.kind', 'messages.subject', 'messages.status', 'messages.scheduled_for', 'messages.sent_at', 'messages.updated_at', 'staff.title', 'staff.family_name'])
    .where('messages.school_id', '=', schoolId);
  if (onlyBy) q = q.where('messages.created_by', '=', onlyBy);
  return q.orderBy('messages.updated_at', 'desc').limit(100);
}

/**
 * The school's messages, newest first, with how many carers got each one online and how many of them
 * read it, and how many got it on paper only or by an urgent text only (who cannot be seen to read it:
 * reach.ts, howTheyGotIt, says the same for one message). Two queries: the messages, then one pass
 * over their recipients counting each kind at once.
 */
export async function listMessages(db: Db, schoolId: string, onlyBy: string | null) {
  const messages = await messagesPageStatement(db, schoolId, onlyBy).execute();
  const sentIds = messages.filter((m) => m.status === 'sent').map((m) => m.id);
  const counts = new Map((await recipientCounts(db, schoolId, sentIds)).map((c) => [c.message_id, c]));
  return messages.map((m) => {
    const c = counts.get(m.id);
    return { ...m, recipients: Number(c?.recipients ?? 0), online: Number(c?.online ?? 0), read: Number(c?.read ?? 0), paper_only: Number(c?.paper_only ?? 0), text_only: Number(c?.text_only ?? 0) };
  });
}

/** For each of these messages: its recipients, those who got it online and read it, those on paper only and by text only. */
function recipientCounts(db: Db, schoolId: string, messageIds: string[]) {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('message_recipients as mr')
    .innerJoin('messages as m', 'm.id', 'mr.message_id')
    .select((eb) => {
      const paper = eb('mr.channels', 'in', [...PAPER_ONLY_CHANNELS]);
      const text = eb.and([eb('m.kind', '=', 'urgent'), eb('mr.channels', 'in', [...TEXT_ONLY_CHANNELS])]);
      const online = eb.and([eb.not(paper), eb.not(text)]);
      const count = (when: Expression<SqlBool>) => eb.fn.count<number | string>(eb.case().when(when).then(1).end());
      return [
        'mr.message_id',
        eb.fn.countAll<number | string>().as('recipients'),
        count(online).as('online'),
        count(eb.and([online, eb('mr.read_at', 'is not', null)])).as('read'),
        count(paper).as('paper_only'),
        count(text).as('text_only'),
      ];
    })
    .where('mr.school_id', '=', schoolId)
    .where('mr.message_id', 'in', messageIds)
    .groupBy('mr.message_id')
    .execute();
}

export async function translationsOf(db: Db, messageId: string) {
  return db.selectFrom('message_translations').selectAll().where('message_id', '=', messageId).orderBy('language').execute();
}

/** Reach of one message: per carer, what was sent on which channel and what came of it. */
export async function reachOf(db: Db, messageId: string) {
  const recipients = await db
    .selectFrom('message_recipients')
    .innerJoin('carers', 'carers.id', 'message_recipients.carer_id')
    .select([
      'message_recipients.id',
      'message_recipients.carer_id',
      'message_recipients.pupil_names',
      'message_recipients.pupil_ids',
      'message_recipients.channels',
      'message_recipients.language',
      'message_recipients.read_at',
      'message_recipients.acknowledged_at',
      'carers.given_name',
      'carers.family_name',
    ])
    .where('message_recipients.message_id', '=', messageId)
    .orderBy('carers.family_name')
    .execute();
  const sends = await db
    .selectFrom('outbox')
    .innerJoin('message_recipients', 'message_recipients.id', 'outbox.ref')
    .select(['outbox.ref', 'outbox.channel', 'outbox.status', 'outbox.last_error', 'outbox.delivered_at'])
    .where('message_recipients.message_id', '=', messageId)
    .execute();
  return { recipients, sends };
}

/** The year group, SEND and EAL of each of these children (a sent message's, for who read it by group). */
export async function childFactsOf(db: Db, schoolId: string, pupilIds: readonly string[]): Promise<Map<string, ChildFacts>> {
  const ids = [...new Set(pupilIds)];
  const facts = new Map<string, ChildFacts>();
  for (let i = 0; i < ids.length; i += 900) {
    const rows = await db
      .selectFrom('pupils')
      .select(['id', 'year_group', 'send_status', 'eal'])
      .where('school_id', '=', schoolId)
      .where('id', 'in', ids.slice(i, i + 900))
      .execute();
    for (const p of rows) facts.set(p.id, { yearGroup: p.year_group, send: p.send_status, eal: p.eal === 1 });
  }
  return facts;
}

/** "Faduma Warsame" for each of these carers of the school, in name order. */
export async function carerNames(db: Db, schoolId: string, carerIds: string[]): Promise<string[]> {
  if (carerIds.length === 0) return [];
  const rows = await db.selectFrom('carers').select(['given_name', 'family_name']).where('school_id', '=', schoolId).where('id', 'in', carerIds).orderBy('family_name').orderBy('given_name').execute();
  return rows.map((r) => `${r.given_name} ${r.family_name}`);
}

export async function groupsOf(db: Db, schoolId: string) {
  return db.selectFrom('carer_groups').select(['id', 'name']).where('school_id', '=', schoolId).orderBy('name').execute();
}

/**
 * A carer's messages, newest first, naming the children, or only those about one of their children
 * (`pupilId`, checked by the guard). `translated_subject`: the subject in the language the message
 * went to them in, when a translation there can be read (written, machine or checked: as on the message page).
 */
export async function inboxOf(db: Db, carerId: string, pupilId?: string) {
  let q = db
    .selectFrom('message_recipients')
    .innerJoin('messages', 'messages.id', 'message_recipients.message_id')
    .leftJoin('message_translations as tr', (j) =>
      j
        .onRef('tr.message_id', '=', 'messages.id')
        .onRef('tr.language', '=', 'message_recipients.language')
        .on('tr.status', '!=', 'requested')
        .on(sql<string>`trim(tr.body)`, '!=', ''),
    )
    .leftJoin('staff as author', 'author.id', 'messages.created_by')
    .select([
      'messages.id',
      'messages.kind',
      'messages.subject',
      'tr.subject as translated_subject',
      'author.title as author_title',
      'author.family_name as author_family_name',
      'messages.sent_at',
      'messages.asks_acknowledgement',
      'message_recipients.pupil_names',
      'message_recipients.read_at',
      'message_recipients.acknowledged_at',
    ])
    .where('message_recipients.carer_id', '=', carerId);
  // pupil_ids holds the children's ids, comma-separated; an id never contains a comma.
  if (pupilId) q = q.where(sql<string>`',' || message_recipients.pupil_ids || ','`, 'like', `%,${pupilId},%`);
  return q.orderBy('messages.sent_at', 'desc').limit(200).execute();
}

export async function receivedBy(db: Db, carerId: string, messageId: string) {
  return db
    .selectFrom('message_recipients')
    .innerJoin('messages', 'messages.id', 'message_recipients.message_id')
    .leftJoin('staff as author', 'author.id', 'messages.created_by')
    .select([
      'message_recipients.id as recipient_id',
      'message_recipients.read_at',
      'message_recipients.acknowledged_at',
      'message_recipients.pupil_names',
      'message_recipients.language',
      'message_recipients.carer_id',
      'message_recipients.read_token',
      'messages.id',
      'messages.school_id',
      'messages.kind',
      'messages.subject',
      'messages.body',
      'messages.sent_at',
      'messages.asks_acknowledgement',
      'author.title as author_title',
      'author.family_name as author_family_name',
    ])
    .where('message_recipients.carer_id', '=', carerId)
    .where('message_recipients.message_id', '=', messageId)
    .executeTakeFirst();
}

export async function receivedByToken(db: Db, token: string) {
  return db
    .selectFrom('message_recipients')
    .innerJoin('messages', 'messages.id', 'message_recipients.message_id')
    .leftJoin('staff as author', 'author.id', 'messages.created_by')
    .select([
      'message_recipients.id as recipient_id',
      'message_recipients.read_at',
      'message_recipients.acknowledged_at',
      'message_recipients.pupil_names',
      'message_recipients.language',
      'message_recipients.carer_id',
      'message_recipients.read_token',
      'messages.id',
      'messages.school_id',
      'messages.kind',
      'messages.subject',
      'messages.body',
      'messages.sent_at',
      'messages.asks_acknowledgement',
      'author.title as author_title',
      'author.family_name as author_family_name',
    ])
    .where('message_recipients.read_token', '=', token)
    .executeTakeFirst();
}

/** Marks read / acknowledged once (compare-and-set): the first time is the one that counts. */
export async function markRead(db: Db, recipientId: string, now: Date): Promise<void> {
  await db.updateTable('message_recipients').set({ read_at: now.toISOString() }).where('id', '=', recipientId).where('read_at', 'is', null).execute();
}

export async function markAcknowledged(db: Db, recipientId: string, now: Date): Promise<void> {
  await db.updateTable('message_recipients').set({ acknowledged_at: now.toISOString() }).where('id', '=', recipientId).where('acknowledged_at', 'is', null).execute();
  await markRead(db, recipientId, now);
}
