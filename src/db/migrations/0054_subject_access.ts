import type { CreateTableBuilder, Kysely } from 'kysely';

/**
 * Subject access and education record requests (features/subject-access): a request someone made for
 * the personal data the school holds (UK GDPR, one calendar month, extendable by two for a complex
 * request) or for a pupil's education record (15 school days). One row a request: who asked (a carer
 * of the school, or someone outside by name and contact), about whom (a pupil, the requester, or
 * someone else), when it came, whether their identity was checked, the date it is due, and how it
 * ended (sent on a date, or refused with the reason). Nothing is deleted: the audit keeps every change.
 *
 * Tenancy as 0008 made it: unique (school_id, id), and every foreign key to a school's table is
 * (school_id, x_id) → parent (school_id, id).
 */
const schoolKeys = (t: CreateTableBuilder<any, any>, table: string, keys: [string, string][]) =>
  keys.reduce((b, [column, parent]) => b.addForeignKeyConstraint(`${table}_${column}_school_fk`, ['school_id', column], parent, ['school_id', 'id']), t);

export async function up(db: Kysely<any>): Promise<void> {
  const requests = db.schema
    .createTable('access_requests')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('requester_carer_id', 'text')
    .addColumn('requester_name', 'text')
    .addColumn('requester_contact', 'text')
    .addColumn('about', 'text', (c) => c.notNull())
    .addColumn('pupil_id', 'text')
    .addColumn('about_other', 'text')
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('identity_checked', 'integer', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('extended_reason', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sent_on', 'text')
    .addColumn('refused_reason', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('access_requests_school_id_unique', ['school_id', 'id']);
  await schoolKeys(requests, 'access_requests', [
    ['requester_carer_id', 'carers'],
    ['pupil_id', 'pupils'],
    ['created_by', 'staff'],
    ['closed_by', 'staff'],
  ]).execute();
  // The open list by due date, and the home page's count of those due soon or overdue.
  await db.schema.createIndex('access_requests_by_due').on('access_requests').columns(['school_id', 'status', 'due_on']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
