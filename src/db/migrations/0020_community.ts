import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Belonging (issue 16, points 7–10): a key worker per family who needs one; buddy families (who opted
 * in, the matches the family liaison officer records, each family's consent, the four-week check-in);
 * the school's local support directory; and the welcome checklist for new families (each step with
 * who helped and when).
 *
 * Tenancy as 0008 made it: unique (school_id, id) on tables rows point at, and every foreign key
 * between school tables is (school_id, x_id) → parent (school_id, id); closed sets have CHECKs.
 */
const oneOf = (column: string, values: string[]) => sql.raw(`"${column}" in (${values.map((v) => `'${v}'`).join(', ')})`);
const schoolKeys = (t: CreateTableBuilder<any, any>, table: string, keys: [string, string][]) =>
  keys.reduce((b, [column, parent]) => b.addForeignKeyConstraint(`${table}_${column}_school_fk`, ['school_id', column], parent, ['school_id', 'id']), t);

export const WELCOME_STEP_KEYS = ['induction_visit', 'forms_done', 'met_teacher', 'buddy_offered'];

export async function up(db: Kysely<any>): Promise<void> {
  const owned = <T extends string>(t: CreateTableBuilder<T, never>) =>
    t.addColumn('id', 'text', (c) => c.primaryKey().notNull()).addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'));

  const keyWorkers = owned(db.schema.createTable('key_workers'))
    .addColumn('carer_id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('ended_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('key_workers_school_id_unique', ['school_id', 'id']);
  await schoolKeys(keyWorkers, 'key_workers', [
    ['carer_id', 'carers'],
    ['staff_id', 'staff'],
    ['set_by', 'staff'],
    ['ended_by', 'staff'],
  ]).execute();
  await db.schema.createIndex('key_workers_one_in_force').on('key_workers').columns(['school_id', 'carer_id']).unique().where(sql.ref('ended_at'), 'is', null).execute();

  const optIns = owned(db.schema.createTable('buddy_opt_ins'))
    .addColumn('carer_id', 'text', (c) => c.notNull())
    .addColumn('wants', 'text', (c) => c.notNull())
    .addColumn('opted_in_at', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'text')
    .addUniqueConstraint('buddy_opt_ins_school_id_unique', ['school_id', 'id'])
    .addCheckConstraint('buddy_opt_ins_wants_check', oneOf('wants', ['newcomer', 'buddy']));
  await schoolKeys(optIns, 'buddy_opt_ins', [['carer_id', 'carers']]).execute();
  await db.schema.createIndex('buddy_opt_ins_one_open').on('buddy_opt_ins').columns(['school_id', 'carer_id']).unique().where(sql.ref('withdrawn_at'), 'is', null).execute();

  const matches = owned(db.schema.createTable('buddy_matches'))
    .addColumn('newcomer_id', 'text', (c) => c.notNull())
    .addColumn('buddy_id', 'text', (c) => c.notNull())
    .addColumn('newcomer_consent_at', 'text')
    .addColumn('buddy_consent_at', 'text')
    .addColumn('declined_at', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_on', 'text', (c) => c.notNull())
    .addColumn('check_in_on', 'text', (c) => c.notNull())
    .addColumn('checked_in_at', 'text')
    .addColumn('checked_in_by', 'text')
    .addColumn('check_in_note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('buddy_matches_school_id_unique', ['school_id', 'id'])
    .addUniqueConstraint('buddy_matches_pair_unique', ['school_id', 'newcomer_id', 'buddy_id']);
  await schoolKeys(matches, 'buddy_matches', [
    ['newcomer_id', 'carers'],
    ['buddy_id', 'carers'],
    ['recorded_by', 'staff'],
    ['checked_in_by', 'staff'],
  ]).execute();
  await db.schema.createIndex('buddy_matches_check_in').on('buddy_matches').columns(['school_id', 'checked_in_at', 'check_in_on']).execute();

  const support = owned(db.schema.createTable('support_entries'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('opening_times', 'text', (c) => c.notNull())
    .addColumn('languages', 'text', (c) => c.notNull())
    .addColumn('contact', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('archived_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('support_entries_school_id_unique', ['school_id', 'id'])
    .addCheckConstraint('support_entries_kind_check', oneOf('kind', ['group', 'service', 'language_class']));
  await schoolKeys(support, 'support_entries', [['created_by', 'staff']]).execute();

  const steps = owned(db.schema.createTable('welcome_steps'))
    .addColumn('carer_id', 'text', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('done_on', 'text', (c) => c.notNull())
    .addColumn('helped_by', 'text')
    .addColumn('note', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('welcome_steps_school_id_unique', ['school_id', 'id'])
    .addUniqueConstraint('welcome_steps_step_unique', ['school_id', 'carer_id', 'step'])
    .addCheckConstraint('welcome_steps_step_check', oneOf('step', WELCOME_STEP_KEYS));
  await schoolKeys(steps, 'welcome_steps', [
    ['carer_id', 'carers'],
    ['helped_by', 'staff'],
    ['recorded_by', 'staff'],
  ]).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
