import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { addSchoolConstraints } from '../constraints.ts';

/**
 * Volunteers who translate the school's messages (features/volunteering, features/messages).
 *
 * - volunteer_opportunities.kind gains 'translating' ("Translating for the school"); the CHECK 0021
 *   made is replaced on both databases (SQLite rebuilds the table: db/constraints.ts).
 * - volunteer_languages: the languages an approved translator translates into (one row each).
 * - translation_requests: a message's translation into one language asked of one volunteer (a
 *   carer), by a member of staff: asked → written (by the volunteer) or declined ("I can't do this
 *   one"), or cancelled when another volunteer is asked instead.
 * - message_translations.written_by_carer: the carer (a volunteer) who wrote a translation; null
 *   when staff wrote it (written_by) or a machine fetched it.
 */
const oneOf = (column: string, values: string[]) => sql.raw(`"${column}" in (${values.map((v) => `'${v}'`).join(', ')})`);
const schoolKeys = (t: CreateTableBuilder<any, any>, table: string, keys: [string, string][]) =>
  keys.reduce((b, [column, parent]) => b.addForeignKeyConstraint(`${table}_${column}_school_fk`, ['school_id', column], parent, ['school_id', 'id']), t);

export const OPPORTUNITY_KINDS = ['reading_partner', 'trip_helper', 'pta', 'governor', 'translating', 'other'];
export const TRANSLATION_REQUEST_STATUSES = ['asked', 'written', 'declined', 'cancelled'];

export async function up(db: Kysely<any>): Promise<void> {
  await addSchoolConstraints(db, [{ table: 'volunteer_opportunities', checks: { kind: OPPORTUNITY_KINDS } }]);

  const owned = <T extends string>(t: CreateTableBuilder<T, never>) =>
    t.addColumn('id', 'text', (c) => c.primaryKey().notNull()).addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'));

  const languages = owned(db.schema.createTable('volunteer_languages'))
    .addColumn('volunteer_id', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addUniqueConstraint('volunteer_languages_once', ['school_id', 'volunteer_id', 'language']);
  await schoolKeys(languages, 'volunteer_languages', [['volunteer_id', 'volunteers']]).execute();

  const requests = owned(db.schema.createTable('translation_requests'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('volunteer_id', 'text', (c) => c.notNull())
    .addColumn('carer_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('asked_by', 'text', (c) => c.notNull())
    .addColumn('asked_at', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text')
    .addUniqueConstraint('translation_requests_school_id_unique', ['school_id', 'id'])
    .addCheckConstraint('translation_requests_status_check', oneOf('status', TRANSLATION_REQUEST_STATUSES));
  await schoolKeys(requests, 'translation_requests', [
    ['message_id', 'messages'],
    ['volunteer_id', 'volunteers'],
    ['carer_id', 'carers'],
    ['asked_by', 'staff'],
  ]).execute();
  await db.schema.createIndex('translation_requests_message').on('translation_requests').columns(['school_id', 'message_id', 'language']).execute();
  await db.schema.createIndex('translation_requests_carer').on('translation_requests').columns(['school_id', 'carer_id']).execute();

  await db.schema.alterTable('message_translations').addColumn('written_by_carer', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
