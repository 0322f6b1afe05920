import type { CreateTableBuilder, Kysely } from 'kysely';

/**
 * Attendance (features/attendance): the school's records system exports each pupil's sessions
 * possible and attended; the office imports the file. `attendance_imports` keeps each upload (its
 * text, the "as of" date, who uploaded it; `applied_at` is set when its figures are saved, with a
 * compare-and-set, so a second press saves nothing twice; `families_told_at` once every family has
 * been sent their child's figure). `attendance_figures` keeps one row per pupil per saved import:
 * history is never overwritten, so a trend can be shown; `told_message_id` is the message that tells
 * the pupil's family, claimed before it is sent, so telling resumes where it stopped and never twice.
 *
 * Tenancy as 0008 made it: unique (school_id, id), and every foreign key to a school's table is
 * (school_id, x_id) → parent (school_id, id).
 */
const schoolKeys = (t: CreateTableBuilder<any, any>, table: string, keys: [string, string][]) =>
  keys.reduce((b, [column, parent]) => b.addForeignKeyConstraint(`${table}_${column}_school_fk`, ['school_id', column], parent, ['school_id', 'id']), t);

export async function up(db: Kysely<any>): Promise<void> {
  const imports = db.schema
    .createTable('attendance_imports')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('csv_text', 'text', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text')
    .addColumn('families_told_at', 'text')
    .addUniqueConstraint('attendance_imports_school_id_unique', ['school_id', 'id']);
  await schoolKeys(imports, 'attendance_imports', [['created_by', 'staff']]).execute();
  await db.schema.createIndex('attendance_imports_by_school').on('attendance_imports').columns(['school_id', 'applied_at', 'as_of']).execute();

  const figures = db.schema
    .createTable('attendance_figures')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('pupil_id', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('sessions_possible', 'integer', (c) => c.notNull())
    .addColumn('sessions_attended', 'integer', (c) => c.notNull())
    .addColumn('authorised_absences', 'integer')
    .addColumn('unauthorised_absences', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('told_message_id', 'text')
    .addUniqueConstraint('attendance_figures_school_id_unique', ['school_id', 'id'])
    .addUniqueConstraint('attendance_figures_one_per_import', ['school_id', 'import_id', 'pupil_id']);
  await schoolKeys(figures, 'attendance_figures', [
    ['import_id', 'attendance_imports'],
    ['pupil_id', 'pupils'],
    ['told_message_id', 'messages'],
  ]).execute();
  // One pupil's history, newest first (the carer's page and a trend).
  await db.schema.createIndex('attendance_figures_by_pupil').on('attendance_figures').columns(['school_id', 'pupil_id', 'as_of']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
