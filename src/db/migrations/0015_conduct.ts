import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Unreasonable behaviour (features/conduct) and the governors' monitoring of concerns and complaints
 * (features/monitoring):
 * - conduct_incidents: what a carer did, when, and who wrote it down.
 * - conduct_arrangements: what the head decided about a carer: a single point of contact (messages and
 *   meeting requests from them go to that one person) or a ban from the premises (the letter is kept
 *   and sent). Each is reviewed by a date; ended (never deleted) when it is no longer needed.
 * - complaint_closures: a complaint the head stopped answering as serial or vexatious, with the
 *   stated reason and the route to the DfE given to the complainant. One per complaint.
 * - indexes for the monitoring page: concerns and complaints counted per school and period in SQL.
 *
 * Tenancy as 0008 made it: unique (school_id, id), and every foreign key between school tables is
 * (school_id, x_id) → parent (school_id, id); closed sets have CHECKs.
 */
const oneOf = (column: string, values: string[]) => sql.raw(`"${column}" in (${values.map((v) => `'${v}'`).join(', ')})`);
const schoolKeys = (t: CreateTableBuilder<any, any>, table: string, keys: [string, string][]) =>
  keys.reduce((b, [column, parent]) => b.addForeignKeyConstraint(`${table}_${column}_school_fk`, ['school_id', column], parent, ['school_id', 'id']), t);

export const ARRANGEMENT_KINDS = ['single_contact', 'premises_ban'];
export const CLOSURE_GROUNDS = ['serial', 'vexatious'];

export async function up(db: Kysely<any>): Promise<void> {
  const owned = <T extends string>(t: CreateTableBuilder<T, never>) =>
    t.addColumn('id', 'text', (c) => c.primaryKey().notNull()).addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'));

  const incidents = owned(db.schema.createTable('conduct_incidents'))
    .addColumn('carer_id', 'text', (c) => c.notNull())
    .addColumn('happened_on', 'text', (c) => c.notNull())
    .addColumn('what', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('conduct_incidents_school_id_unique', ['school_id', 'id']);
  await schoolKeys(incidents, 'conduct_incidents', [
    ['carer_id', 'carers'],
    ['recorded_by', 'staff'],
  ]).execute();
  await db.schema.createIndex('conduct_incidents_carer').on('conduct_incidents').columns(['school_id', 'carer_id', 'happened_on']).execute();

  const arrangements = owned(db.schema.createTable('conduct_arrangements'))
    .addColumn('carer_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('contact_staff_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('review_on', 'text', (c) => c.notNull())
    .addColumn('letter_subject', 'text')
    .addColumn('letter_text', 'text')
    .addColumn('letter_sent_by', 'text')
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('ended_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('conduct_arrangements_school_id_unique', ['school_id', 'id'])
    .addCheckConstraint('conduct_arrangements_kind_check', oneOf('kind', ARRANGEMENT_KINDS))
    .addCheckConstraint('conduct_arrangements_letter_sent_by_check', oneOf('letter_sent_by', ['email', 'paper']))
    .addCheckConstraint('conduct_arrangements_contact_check', sql`("kind" = 'single_contact') = ("contact_staff_id" is not null)`);
  await schoolKeys(arrangements, 'conduct_arrangements', [
    ['carer_id', 'carers'],
    ['contact_staff_id', 'staff'],
    ['set_by', 'staff'],
    ['reviewed_by', 'staff'],
    ['ended_by', 'staff'],
  ]).execute();
  // One arrangement of each kind in force per carer: the database keeps a second from being made.
  await db.schema.createIndex('conduct_arrangements_one_in_force').on('conduct_arrangements').columns(['school_id', 'carer_id', 'kind']).unique().where(sql.ref('ended_at'), 'is', null).execute();
  await db.schema.createIndex('conduct_arrangements_review').on('conduct_arrangements').columns(['school_id', 'ended_at', 'review_on']).execute();

  const closures = owned(db.schema.createTable('complaint_closures'))
    .addColumn('complaint_id', 'text', (c) => c.notNull())
    .addColumn('carer_id', 'text', (c) => c.notNull())
    .addColumn('grounds', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('dfe_route', 'text', (c) => c.notNull())
    .addColumn('review_on', 'text', (c) => c.notNull())
    .addColumn('letter_sent_by', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.notNull())
    .addColumn('decided_on', 'text', (c) => c.notNull())
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('complaint_closures_school_id_unique', ['school_id', 'id'])
    .addUniqueConstraint('complaint_closures_one_per_complaint', ['school_id', 'complaint_id'])
    .addCheckConstraint('complaint_closures_grounds_check', oneOf('grounds', CLOSURE_GROUNDS))
    .addCheckConstraint('complaint_closures_letter_sent_by_check', oneOf('letter_sent_by', ['email', 'paper']));
  await schoolKeys(closures, 'complaint_closures', [
    ['complaint_id', 'complaints'],
    ['carer_id', 'carers'],
    ['decided_by', 'staff'],
    ['reviewed_by', 'staff'],
  ]).execute();
  await db.schema.createIndex('complaint_closures_review').on('complaint_closures').columns(['school_id', 'reviewed_at', 'review_on']).execute();

  // Monitoring: a period's concerns and complaints, counted in SQL from the index alone where it can be.
  await db.schema.createIndex('concerns_school_raised_figures').on('concerns').columns(['school_id', 'raised_on', 'category', 'status', 'reopened_count']).execute();
  await db.schema.createIndex('complaints_school_received').on('complaints').columns(['school_id', 'received_on', 'stage']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
