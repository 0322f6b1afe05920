import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Concerns: a carer's worry about one of their children, raised on Gatepost or logged by staff on
 * their behalf, triaged (owner, category, a due date in school days), worked on and closed, and
 * answered "resolved? yes / not yet" by the carer. Everything typed in a concern (what happened,
 * what they would like, contacts, notes, the outcome) is a row of concern_entries, so any of it can
 * be marked as a safeguarding concern, as a meeting note can.
 *
 * Tenancy as 0008 made it: unique (school_id, id) on each table rows point at, and every foreign key
 * between school tables is (school_id, x_id) → parent (school_id, id); closed sets have CHECKs.
 */
const FLAG = sql`in (0, 1)`;
const oneOf = (column: string, values: string[]) => sql.raw(`"${column}" in (${values.map((v) => `'${v}'`).join(', ')})`);
/** (school_id, column) → parent (school_id, id), named as 0008 names them. */
const schoolKeys = (t: CreateTableBuilder<any, any>, table: string, keys: [string, string][]) =>
  keys.reduce((b, [column, parent]) => b.addForeignKeyConstraint(`${table}_${column}_school_fk`, ['school_id', column], parent, ['school_id', 'id']), t);

export const CONCERN_CATEGORIES = ['learning', 'behaviour', 'bullying', 'send', 'attendance', 'staff_conduct', 'communication', 'other'];
export const CONCERN_STATUSES = ['new', 'open', 'closed', 'resolved'];
export const RECEIVED_VIA = ['portal', 'phone', 'email', 'in_person'];
export const CONTACT_BY = ['email', 'phone', 'text', 'meeting', 'letter'];
export const ENTRY_KINDS = ['what_happened', 'would_like', 'contact', 'note', 'outcome', 'not_yet', 'escalated'];

export async function up(db: Kysely<any>): Promise<void> {
  const owned = <T extends string>(t: CreateTableBuilder<T, never>) =>
    t.addColumn('id', 'text', (c) => c.primaryKey().notNull()).addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'));

  const concerns = owned(db.schema.createTable('concerns'))
    .addColumn('pupil_id', 'text', (c) => c.notNull())
    .addColumn('carer_id', 'text', (c) => c.notNull())
    .addColumn('received_via', 'text', (c) => c.notNull())
    .addColumn('contact_by', 'text', (c) => c.notNull())
    .addColumn('logged_by', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('category', 'text')
    .addColumn('raised_on', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('triaged_by', 'text')
    .addColumn('triaged_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('answered_at', 'text')
    .addColumn('reopened_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('concerns_school_id_unique', ['school_id', 'id'])
    .addCheckConstraint('concerns_status_check', oneOf('status', CONCERN_STATUSES))
    .addCheckConstraint('concerns_category_check', oneOf('category', CONCERN_CATEGORIES))
    .addCheckConstraint('concerns_received_via_check', oneOf('received_via', RECEIVED_VIA))
    .addCheckConstraint('concerns_contact_by_check', oneOf('contact_by', CONTACT_BY));
  await schoolKeys(concerns, 'concerns', [
    ['pupil_id', 'pupils'],
    ['carer_id', 'carers'],
    ['logged_by', 'staff'],
    ['owner_id', 'staff'],
    ['triaged_by', 'staff'],
    ['closed_by', 'staff'],
  ]).execute();
  await db.schema.createIndex('concerns_school_pupil_raised').on('concerns').columns(['school_id', 'pupil_id', 'raised_on']).execute();
  await db.schema.createIndex('concerns_school_status_due').on('concerns').columns(['school_id', 'status', 'due_on']).execute();
  await db.schema.createIndex('concerns_school_carer').on('concerns').columns(['school_id', 'carer_id']).execute();

  const entries = owned(db.schema.createTable('concern_entries'))
    .addColumn('concern_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('contact_how', 'text')
    .addColumn('safeguarding', 'integer', (c) => c.notNull())
    .addColumn('written_by_kind', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text')
    .addColumn('carer_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('concern_entries_kind_check', oneOf('kind', ENTRY_KINDS))
    .addCheckConstraint('concern_entries_contact_how_check', oneOf('contact_how', ['phone', 'email', 'meeting', 'in_person', 'letter']))
    .addCheckConstraint('concern_entries_safeguarding_check', sql`"safeguarding" ${FLAG}`)
    .addCheckConstraint('concern_entries_written_by_kind_check', oneOf('written_by_kind', ['staff', 'carer']));
  await schoolKeys(entries, 'concern_entries', [
    ['concern_id', 'concerns'],
    ['staff_id', 'staff'],
    ['carer_id', 'carers'],
  ]).execute();
  await db.schema.createIndex('concern_entries_concern').on('concern_entries').columns(['concern_id', 'created_at']).execute();

  // A formal complaint made from a concern (stage 1 first), with its dates in school days; one per concern.
  const complaints = owned(db.schema.createTable('complaints'))
    .addColumn('concern_id', 'text', (c) => c.notNull())
    .addColumn('pupil_id', 'text', (c) => c.notNull())
    .addColumn('carer_id', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('made_by_kind', 'text', (c) => c.notNull())
    .addColumn('made_by_staff', 'text')
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('counts_from', 'text', (c) => c.notNull())
    .addColumn('acknowledge_by', 'text', (c) => c.notNull())
    .addColumn('respond_by', 'text', (c) => c.notNull())
    .addColumn('last_incident_on', 'text', (c) => c.notNull())
    .addColumn('late', 'integer', (c) => c.notNull())
    .addColumn('early_years_outcome_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('complaints_school_id_unique', ['school_id', 'id'])
    .addUniqueConstraint('complaints_one_per_concern', ['school_id', 'concern_id'])
    .addCheckConstraint('complaints_stage_check', oneOf('stage', ['stage_1', 'stage_2']))
    .addCheckConstraint('complaints_made_by_kind_check', oneOf('made_by_kind', ['carer', 'staff']))
    .addCheckConstraint('complaints_late_check', sql`"late" ${FLAG}`);
  await schoolKeys(complaints, 'complaints', [
    ['concern_id', 'concerns'],
    ['pupil_id', 'pupils'],
    ['carer_id', 'carers'],
    ['made_by_staff', 'staff'],
  ]).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
