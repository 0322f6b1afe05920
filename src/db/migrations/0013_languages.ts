import type { Kysely } from 'kysely';

/**
 * The carer's side in the families' languages, as each school wants it:
 * - school_texts: the school's own words for any string of the carer's side, per language
 *   (its own name for "parents' evening", say). Replaces the built-in string for that school only.
 * - language_checks: a fluent speaker's check of a language's strings, recorded by the school
 *   (who checked, when, who recorded it). One per language: a new check replaces the last; the
 *   audit log keeps every one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('school_texts')
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('school_texts_pk', ['school_id', 'language', 'key'])
    .addForeignKeyConstraint('school_texts_updated_by_school_fk', ['school_id', 'updated_by'], 'staff', ['school_id', 'id'])
    .execute();
  await db.schema
    .createTable('language_checks')
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('checked_by', 'text', (c) => c.notNull())
    .addColumn('checked_on', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('language_checks_pk', ['school_id', 'language'])
    .addForeignKeyConstraint('language_checks_recorded_by_school_fk', ['school_id', 'recorded_by'], 'staff', ['school_id', 'id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
