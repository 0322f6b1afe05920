import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * The home-school agreement: versions the school writes (its promises, what it asks of carers and of
 * pupils), each promise optionally tied to an evidence measure; translations of a version (write →
 * check by a second person, as messages); signatures (a carer in the portal or on paper recorded by
 * the office; a pupil with the class teacher), each attached to the version signed; and the
 * governors' yearly reviews.
 *
 * Tenancy as 0008 made it: unique (school_id, id) on tables rows point at, and every foreign key
 * between school tables is (school_id, x_id) → parent (school_id, id); closed sets have CHECKs.
 */
const FLAG = sql`in (0, 1)`;
const oneOf = (column: string, values: string[]) => sql.raw(`"${column}" in (${values.map((v) => `'${v}'`).join(', ')})`);
const schoolKeys = (t: CreateTableBuilder<any, any>, table: string, keys: [string, string][]) =>
  keys.reduce((b, [column, parent]) => b.addForeignKeyConstraint(`${table}_${column}_school_fk`, ['school_id', column], parent, ['school_id', 'id']), t);

/** The evidence measures a promise may be shown with (features/agreements/measures.ts). */
export const MEASURE_KEYS = ['agenda_ahead', 'praise_families', 'concerns_replied', 'actions_done'];

export async function up(db: Kysely<any>): Promise<void> {
  const owned = <T extends string>(t: CreateTableBuilder<T, never>) =>
    t.addColumn('id', 'text', (c) => c.primaryKey().notNull()).addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'));

  const versions = owned(db.schema.createTable('agreement_versions'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('carers_text', 'text', (c) => c.notNull())
    .addColumn('pupils_text', 'text', (c) => c.notNull())
    .addColumn('asks_resigning', 'integer', (c) => c.notNull())
    .addColumn('change_note', 'text')
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('agreement_versions_school_id_unique', ['school_id', 'id'])
    .addUniqueConstraint('agreement_versions_number_unique', ['school_id', 'version'])
    .addCheckConstraint('agreement_versions_status_check', oneOf('status', ['draft', 'published']))
    .addCheckConstraint('agreement_versions_asks_resigning_check', sql`"asks_resigning" ${FLAG}`);
  await schoolKeys(versions, 'agreement_versions', [
    ['published_by', 'staff'],
    ['created_by', 'staff'],
  ]).execute();

  const promises = owned(db.schema.createTable('agreement_promises'))
    .addColumn('version_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('measure', 'text')
    .addUniqueConstraint('agreement_promises_position_unique', ['school_id', 'version_id', 'position'])
    .addCheckConstraint('agreement_promises_measure_check', oneOf('measure', MEASURE_KEYS));
  await schoolKeys(promises, 'agreement_promises', [['version_id', 'agreement_versions']]).execute();

  const translations = owned(db.schema.createTable('agreement_translations'))
    .addColumn('version_id', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('written_by', 'text')
    .addColumn('checked_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('agreement_translations_language_unique', ['school_id', 'version_id', 'language'])
    .addCheckConstraint('agreement_translations_source_check', oneOf('source', ['person', 'machine']))
    .addCheckConstraint('agreement_translations_status_check', oneOf('status', ['requested', 'written', 'checked']));
  await schoolKeys(translations, 'agreement_translations', [
    ['version_id', 'agreement_versions'],
    ['written_by', 'staff'],
    ['checked_by', 'staff'],
  ]).execute();

  const signatures = owned(db.schema.createTable('agreement_signatures'))
    .addColumn('version_id', 'text', (c) => c.notNull())
    .addColumn('pupil_id', 'text', (c) => c.notNull())
    .addColumn('signer', 'text', (c) => c.notNull())
    .addColumn('carer_id', 'text')
    .addColumn('how', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('signed_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('agreement_signatures_signer_check', oneOf('signer', ['carer', 'pupil']))
    .addCheckConstraint('agreement_signatures_how_check', oneOf('how', ['portal', 'paper', 'in_class']))
    // A carer signs as a carer (with carer_id); a pupil's signature is recorded by their teacher.
    .addCheckConstraint('agreement_signatures_who_check', sql`("signer" = 'carer' and "carer_id" is not null) or ("signer" = 'pupil' and "carer_id" is null and "recorded_by" is not null)`)
    .addCheckConstraint('agreement_signatures_recorded_check', sql`"how" = 'portal' or "recorded_by" is not null`);
  await schoolKeys(signatures, 'agreement_signatures', [
    ['version_id', 'agreement_versions'],
    ['pupil_id', 'pupils'],
    ['carer_id', 'carers'],
    ['recorded_by', 'staff'],
  ]).execute();
  // One signature per carer per child per version, and one per pupil per version: a double click signs once.
  await db.schema
    .createIndex('agreement_signatures_carer_once')
    .on('agreement_signatures')
    .columns(['school_id', 'version_id', 'pupil_id', 'carer_id'])
    .unique()
    .where(sql.ref('signer'), '=', 'carer')
    .execute();
  await db.schema.createIndex('agreement_signatures_pupil_once').on('agreement_signatures').columns(['school_id', 'version_id', 'pupil_id']).unique().where(sql.ref('signer'), '=', 'pupil').execute();
  await db.schema.createIndex('agreement_signatures_school_pupil').on('agreement_signatures').columns(['school_id', 'pupil_id']).execute();

  const reviews = owned(db.schema.createTable('agreement_reviews'))
    .addColumn('version_id', 'text')
    .addColumn('reviewed_on', 'text', (c) => c.notNull())
    .addColumn('reviewers', 'text', (c) => c.notNull())
    .addColumn('minutes', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull());
  await schoolKeys(reviews, 'agreement_reviews', [
    ['version_id', 'agreement_versions'],
    ['recorded_by', 'staff'],
  ]).execute();
  await db.schema.createIndex('agreement_reviews_school_on').on('agreement_reviews').columns(['school_id', 'reviewed_on']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
