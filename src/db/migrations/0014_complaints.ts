import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Formal complaints (issue 14, points 5–8 and 11): each school's complaint settings (stages, time
 * limits in school days, who may complain, where a complaint about the head or a governor goes); the
 * complaint's own progress (a late complaint's decision, the investigating officer, stage 2, the
 * report on its checklist, the outcome); the people on the case (officer, panel, staff named in it);
 * its timeline (refusals with their reasons, interviews, documents, deadline slips); its letters.
 *
 * Tenancy as 0008/0012: (school_id, x_id) → parent (school_id, id); closed sets have CHECKs.
 */
const FLAG = sql`in (0, 1)`;
const oneOf = (column: string, values: string[]) => sql.raw(`"${column}" in (${values.map((v) => `'${v}'`).join(', ')})`);
const schoolKeys = (t: CreateTableBuilder<any, any>, table: string, keys: [string, string][]) =>
  keys.reduce((b, [column, parent]) => b.addForeignKeyConstraint(`${table}_${column}_school_fk`, ['school_id', column], parent, ['school_id', 'id']), t);

export const COMPLAINT_STATUSES = ['open', 'declined', 'answered', 'panel', 'closed'];
export const COMPLAINT_ABOUT = ['matter', 'head', 'governor'];
export const CASE_ROLES = ['officer', 'panel', 'named'];
export const EVENT_KINDS = [
  'refused',
  'appointed',
  'named',
  'slip',
  'late_accepted',
  'late_declined',
  'interview',
  'document',
  'stage_2',
  'report_issued',
  'letter_sent',
  'letter_printed',
  'interest',
];
export const OUTCOMES = ['upheld', 'partly', 'not_upheld'];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('complaint_settings')
    .addColumn('school_id', 'text', (c) => c.primaryKey().notNull().references('schools.id'))
    .addColumn('school_type', 'text', (c) => c.notNull())
    .addColumn('stages_json', 'text', (c) => c.notNull())
    .addColumn('acknowledge_days', 'integer', (c) => c.notNull())
    .addColumn('respond_days', 'integer', (c) => c.notNull())
    .addColumn('panel_within_days', 'integer', (c) => c.notNull())
    .addColumn('papers_before_days', 'integer', (c) => c.notNull())
    .addColumn('decision_after_days', 'integer', (c) => c.notNull())
    .addColumn('head_complaints_to', 'text')
    .addColumn('governor_complaints_to', 'text')
    .addColumn('clerk_id', 'text')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('complaint_settings_school_type_check', oneOf('school_type', ['maintained', 'academy']))
    .addForeignKeyConstraint('complaint_settings_head_to_school_fk', ['school_id', 'head_complaints_to'], 'staff', ['school_id', 'id'])
    .addForeignKeyConstraint('complaint_settings_governor_to_school_fk', ['school_id', 'governor_complaints_to'], 'staff', ['school_id', 'id'])
    .addForeignKeyConstraint('complaint_settings_clerk_school_fk', ['school_id', 'clerk_id'], 'staff', ['school_id', 'id'])
    .execute();

  const add = (column: string, type: 'text' | 'integer', build?: (c: any) => any) =>
    db.schema
      .alterTable('complaints')
      .addColumn(column, type, build ?? ((c) => c))
      .execute();
  await add('status', 'text', (c) => c.notNull().defaultTo('open'));
  await add('about', 'text', (c) => c.notNull().defaultTo('matter'));
  await add('direct', 'integer', (c) => c.notNull().defaultTo(0));
  await add('late_decision', 'text');
  await add('late_reason', 'text');
  await add('officer_id', 'text');
  await add('panel_requested_on', 'text');
  await add('panel_by', 'text');
  await add('panel_on', 'text');
  await add('report_json', 'text');
  await add('report_issued_at', 'text');
  await add('outcome', 'text');
  await add('closed_at', 'text');

  const owned = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', 'text', (c) => c.primaryKey().notNull())
      .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
      .addColumn('complaint_id', 'text', (c) => c.notNull());

  await schoolKeys(
    owned('complaint_people')
      .addColumn('staff_id', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('independent', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('complaint_people_once', ['school_id', 'complaint_id', 'staff_id', 'role'])
      .addCheckConstraint('complaint_people_role_check', oneOf('role', CASE_ROLES))
      .addCheckConstraint('complaint_people_independent_check', sql`"independent" ${FLAG}`),
    'complaint_people',
    [
      ['complaint_id', 'complaints'],
      ['staff_id', 'staff'],
      ['created_by', 'staff'],
    ],
  ).execute();
  await db.schema.createIndex('complaint_people_staff').on('complaint_people').columns(['school_id', 'staff_id']).execute();

  await schoolKeys(
    owned('complaint_events')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('staff_id', 'text')
      .addColumn('on_date', 'text')
      .addColumn('file_name', 'text')
      .addColumn('file_type', 'text')
      .addColumn('file_base64', 'text')
      .addColumn('created_by_kind', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addCheckConstraint('complaint_events_kind_check', oneOf('kind', EVENT_KINDS))
      .addCheckConstraint('complaint_events_by_kind_check', oneOf('created_by_kind', ['staff', 'carer', 'system'])),
    'complaint_events',
    [
      ['complaint_id', 'complaints'],
      ['staff_id', 'staff'],
    ],
  ).execute();
  await db.schema.createIndex('complaint_events_complaint').on('complaint_events').columns(['complaint_id', 'created_at']).execute();

  await schoolKeys(
    owned('complaint_letters')
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .addUniqueConstraint('complaint_letters_one_per_stage', ['school_id', 'complaint_id', 'stage'])
      .addCheckConstraint('complaint_letters_outcome_check', oneOf('outcome', OUTCOMES))
      .addCheckConstraint('complaint_letters_status_check', oneOf('status', ['draft', 'sent', 'printed'])),
    'complaint_letters',
    [
      ['complaint_id', 'complaints'],
      ['updated_by', 'staff'],
    ],
  ).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
