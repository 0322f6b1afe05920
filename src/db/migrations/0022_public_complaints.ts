import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Formal complaints, finished (issue 14):
 * - public_complaints: a complaint made on the public form, without signing in, by someone who is not
 *   (or not known as) a carer of a pupil: a maintained school hears complaints from anyone. Its name,
 *   how to reach them and what it is about; acknowledged by email; the head triages it (takes it on,
 *   with the date it will be answered by, or declines it with the reason), and the complainant is told.
 * - complaint_papers: the panel papers, sent to the panel members and the complainant through the
 *   outbox or recorded as printed, with the date checked against the school's "papers before" limit.
 *
 * Tenancy as 0008 made it: unique (school_id, id), and every foreign key between school tables is
 * (school_id, x_id) → parent (school_id, id); closed sets have CHECKs.
 */
const oneOf = (column: string, values: string[]) => sql.raw(`"${column}" in (${values.map((v) => `'${v}'`).join(', ')})`);
const schoolKeys = (t: CreateTableBuilder<any, any>, table: string, keys: [string, string][]) =>
  keys.reduce((b, [column, parent]) => b.addForeignKeyConstraint(`${table}_${column}_school_fk`, ['school_id', column], parent, ['school_id', 'id']), t);

export const PUBLIC_COMPLAINT_STATUSES = ['new', 'accepted', 'declined'];

export async function up(db: Kysely<any>): Promise<void> {
  const owned = <T extends string>(t: CreateTableBuilder<T, never>) =>
    t.addColumn('id', 'text', (c) => c.primaryKey().notNull()).addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'));

  const publicComplaints = owned(db.schema.createTable('public_complaints'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('connection', 'text', (c) => c.notNull())
    .addColumn('about', 'text', (c) => c.notNull())
    .addColumn('would_like', 'text', (c) => c.notNull())
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('acknowledge_by', 'text', (c) => c.notNull())
    .addColumn('respond_by', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decision_reason', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('public_complaints_school_id_unique', ['school_id', 'id'])
    .addCheckConstraint('public_complaints_status_check', oneOf('status', PUBLIC_COMPLAINT_STATUSES));
  await schoolKeys(publicComplaints, 'public_complaints', [['decided_by', 'staff']]).execute();
  await db.schema.createIndex('public_complaints_school_received').on('public_complaints').columns(['school_id', 'status', 'received_on']).execute();

  const papers = owned(db.schema.createTable('complaint_papers'))
    .addColumn('complaint_id', 'text', (c) => c.notNull())
    .addColumn('how', 'text', (c) => c.notNull())
    .addColumn('sent_on', 'text', (c) => c.notNull())
    .addColumn('panel_on', 'text', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('sent_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('complaint_papers_school_id_unique', ['school_id', 'id'])
    .addCheckConstraint('complaint_papers_how_check', oneOf('how', ['email', 'printed']));
  await schoolKeys(papers, 'complaint_papers', [
    ['complaint_id', 'complaints'],
    ['sent_by', 'staff'],
  ]).execute();
  await db.schema.createIndex('complaint_papers_complaint').on('complaint_papers').columns(['school_id', 'complaint_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
