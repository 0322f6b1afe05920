import type { CreateTableBuilder, Kysely } from 'kysely';

/**
 * "Tell the DSL" (features/safeguarding): from any staff page, a member of staff passes what they saw
 * or heard about a child straight to the Designated Safeguarding Lead. One row a report: the pupil
 * (or, when it is someone else or the name is not known, what the writer knows of them), what was
 * seen or heard, the day it happened, and who wrote it. Only the DSL and deputies read `what`
 * (platform/safeguarding); the writer keeps a trace of when they passed it on, never the words.
 *
 * Tenancy as 0008 made it: unique (school_id, id), and every foreign key to a school's table is
 * (school_id, x_id) → parent (school_id, id).
 */
const schoolKeys = (t: CreateTableBuilder<any, any>, table: string, keys: [string, string][]) =>
  keys.reduce((b, [column, parent]) => b.addForeignKeyConstraint(`${table}_${column}_school_fk`, ['school_id', column], parent, ['school_id', 'id']), t);

export async function up(db: Kysely<any>): Promise<void> {
  const reports = db.schema
    .createTable('dsl_reports')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('pupil_id', 'text')
    .addColumn('other_name', 'text')
    .addColumn('what', 'text', (c) => c.notNull())
    .addColumn('happened_on', 'text', (c) => c.notNull())
    .addColumn('written_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('dsl_reports_school_id_unique', ['school_id', 'id']);
  await schoolKeys(reports, 'dsl_reports', [
    ['pupil_id', 'pupils'],
    ['written_by', 'staff'],
  ]).execute();
  // The writer's own trace, newest first; the DSL's list of every report, newest first.
  await db.schema.createIndex('dsl_reports_by_writer').on('dsl_reports').columns(['school_id', 'written_by', 'created_at']).execute();
  await db.schema.createIndex('dsl_reports_by_school').on('dsl_reports').columns(['school_id', 'created_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
