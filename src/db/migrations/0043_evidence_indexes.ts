import { sql, type Kysely } from 'kysely';

/**
 * "How well we work with families" (features/monitoring/evidence-queries.ts) counts a school year's
 * messages: about 100 to every carer, 350,000 message_recipients rows for a school of 3,500 carers.
 * Three partial indexes let it count from the rows that matter instead of reading all of them:
 *  - the rows a carer could be seen to read (not a copy on paper only: messages' PAPER_ONLY_CHANNELS,
 *    'paper' and 'app,paper', written here as they were when this ran), by carer and time: whether each
 *    carer was sent one in the year is one look, and a carer who only gets paper copies costs nothing;
 *  - the rows a carer read (or acknowledged), by carer and time: whether each carer read one in the
 *    year is one look, and a carer who read none costs nothing (was: every row of the year, to count
 *    distinct carers);
 *  - the rows to carers whose language is not English (a fifth or so), by message and language: the
 *    messages sent in another language, and those with a checked translation in it.
 * Each is partial, so sending a newsletter writes an entry only for the rows they hold, and their
 * conditions are written as the queries write them (a literal 'en'), which both databases need to use them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('message_recipients_read')
    .on('message_recipients')
    .columns(['school_id', 'carer_id', 'created_at'])
    .where(sql<boolean>`"read_at" is not null or "acknowledged_at" is not null`)
    .execute();
  await db.schema
    .createIndex('message_recipients_online')
    .on('message_recipients')
    .columns(['school_id', 'carer_id', 'created_at'])
    .where(sql<boolean>`"channels" not in ('paper', 'app,paper')`)
    .execute();
  await db.schema.createIndex('message_recipients_other_language').on('message_recipients').columns(['school_id', 'message_id', 'language']).where(sql.ref('language'), '!=', sql.lit('en')).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
