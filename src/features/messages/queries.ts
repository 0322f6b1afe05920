import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { PAPER_ONLY_CHANNELS, TEXT_ONLY_CHANNELS } from './family-reach.ts';

type Db = Kysely<Database>;

export async function getMessage(db: Db, schoolId: string, messageId: string) {
  return db.selectFrom('messages').selectAll().where('id', '=', messageId).where('school_id', '=', schoolId).executeTakeFirst();
}

/**
 * The school's messages, newest first, with how many carers got each one online and how many of them
 * read it, and how many got it on paper only or by an urgent text only (who cannot be seen to read it:
 * reach.ts, howTheyGotIt, says the same for one message).
 */
export async function listMessages(db: Db, schoolId: string, onlyBy: string | null) {
  const paperOnly = [...PAPER_ONLY_CHANNELS];
  const textOnly = [...TEXT_ONLY_CHANNELS];
  let q = db
    .selectFrom('messages')
    .leftJoin('staff', 'staff.id', 'messages.created_by')
    .select(['messages.id', 'messages.kind', 'messages.subject', 'messages.status', 'messages.scheduled_for', 'messages.sent_at', 'messages.updated_at', 'staff.title', 'staff.family_name'])
    .select((eb) => {
      const all = () => eb.selectFrom('message_recipients as mr').select(eb.fn.countAll<number | string>().as('n')).whereRef('mr.message_id', '=', 'messages.id');
      const recipients = (got: 'online' | 'read' | 'paper' | 'text') =>
        all().where((w) => {
          const paper = w('mr.channels', 'in', paperOnly);
          const text = w.and([w('messages.kind', '=', 'urgent'), w('mr.channels', 'in', textOnly)]);
          const online = w.and([w.not(paper), w.not(text)]);
          if (got === 'paper') return paper;
          if (got === 'text') return text;
          if (got === 'online') return online;
          return w.and([online, w('mr.read_at', 'is not', null)]);
        });
      return [all().as('recipients'), recipients('online').as('online'), recipients('read').as('read'), recipients('paper').as('paper_only'), recipients('text').as('text_only')];
    })
    .where('messages.school_id', '=', schoolId);
  if (onlyBy) q = q.where('messages.created_by', '=', onlyBy);
  const rows = await q.orderBy('messages.updated_at', 'desc').limit(100).execute();
  return rows.map((r) => ({ ...r, recipients: Number(r.recipients), online: Number(r.online), read: Number(r.read), paper_only: Number(r.paper_only), text_only: Number(r.text_only) }));
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
