import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * The policies register and consultations on a policy (features/consultations).
 *
 * - policies: title, owner (a member of staff), last and next review date, whether the law asks for
 *   a yearly review, and the document's text.
 * - consultations: one policy put out to an audience (as messages choose one), open → adopted.
 * - consultation_sections: the policy's text split into sections, each commented on apart.
 * - consultation_invitees: one per carer reached (never a restricted one), with a per-person link.
 * - consultation_comments: a carer's or a member of staff's comment on one section, in their
 *   language, with an English version checked by a second person when the school asks for one.
 * - consultation_themes: the school's grouping of comments, with its answer ("you said, we did").
 *
 * Tenancy as 0008 made it: (school_id, x_id) → parent (school_id, id).
 */
const FLAG = sql`in (0, 1)`;
const oneOf = (column: string, values: string[]) => sql.raw(`"${column}" in (${values.map((v) => `'${v}'`).join(', ')})`);
const schoolKeys = (t: CreateTableBuilder<any, any>, table: string, keys: [string, string][]) =>
  keys.reduce((b, [column, parent]) => b.addForeignKeyConstraint(`${table}_${column}_school_fk`, ['school_id', column], parent, ['school_id', 'id']), t);

export async function up(db: Kysely<any>): Promise<void> {
  const owned = <T extends string>(t: CreateTableBuilder<T, never>) =>
    t.addColumn('id', 'text', (c) => c.primaryKey().notNull()).addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'));

  const policies = owned(db.schema.createTable('policies'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('statutory_yearly', 'integer', (c) => c.notNull())
    .addColumn('last_reviewed_on', 'text')
    .addColumn('next_review_on', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('policies_school_id_unique', ['school_id', 'id'])
    .addCheckConstraint('policies_statutory_yearly_check', sql`"statutory_yearly" ${FLAG}`);
  await schoolKeys(policies, 'policies', [['owner_id', 'staff']]).execute();
  await db.schema.createIndex('policies_school_review').on('policies').columns(['school_id', 'next_review_on']).execute();

  const consultations = owned(db.schema.createTable('consultations'))
    .addColumn('policy_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('audience_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('closes_on', 'text', (c) => c.notNull())
    .addColumn('translate_comments', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('adopted_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('consultations_school_id_unique', ['school_id', 'id'])
    .addCheckConstraint('consultations_status_check', oneOf('status', ['open', 'closed', 'adopted']))
    .addCheckConstraint('consultations_translate_comments_check', sql`"translate_comments" ${FLAG}`);
  await schoolKeys(consultations, 'consultations', [
    ['policy_id', 'policies'],
    ['created_by', 'staff'],
  ]).execute();
  await db.schema.createIndex('consultations_school_policy').on('consultations').columns(['school_id', 'policy_id']).execute();

  const sections = owned(db.schema.createTable('consultation_sections'))
    .addColumn('consultation_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('heading', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addUniqueConstraint('consultation_sections_school_id_unique', ['school_id', 'id'])
    .addUniqueConstraint('consultation_sections_position_unique', ['consultation_id', 'position']);
  await schoolKeys(sections, 'consultation_sections', [['consultation_id', 'consultations']]).execute();

  const invitees = owned(db.schema.createTable('consultation_invitees'))
    .addColumn('consultation_id', 'text', (c) => c.notNull())
    .addColumn('carer_id', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('consultation_invitees_school_id_unique', ['school_id', 'id'])
    .addUniqueConstraint('consultation_invitees_one_each', ['consultation_id', 'carer_id']);
  await schoolKeys(invitees, 'consultation_invitees', [
    ['consultation_id', 'consultations'],
    ['carer_id', 'carers'],
  ]).execute();

  const themes = owned(db.schema.createTable('consultation_themes'))
    .addColumn('consultation_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('consultation_themes_school_id_unique', ['school_id', 'id']);
  await schoolKeys(themes, 'consultation_themes', [['consultation_id', 'consultations']]).execute();

  const comments = owned(db.schema.createTable('consultation_comments'))
    .addColumn('consultation_id', 'text', (c) => c.notNull())
    .addColumn('section_id', 'text', (c) => c.notNull())
    .addColumn('carer_id', 'text')
    .addColumn('staff_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('english', 'text')
    .addColumn('english_by', 'text')
    .addColumn('english_checked_by', 'text')
    .addColumn('theme_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('consultation_comments_school_id_unique', ['school_id', 'id'])
    .addCheckConstraint('consultation_comments_one_author', sql`("carer_id" is null) <> ("staff_id" is null)`);
  await schoolKeys(comments, 'consultation_comments', [
    ['consultation_id', 'consultations'],
    ['section_id', 'consultation_sections'],
    ['carer_id', 'carers'],
    ['staff_id', 'staff'],
    ['english_by', 'staff'],
    ['english_checked_by', 'staff'],
    ['theme_id', 'consultation_themes'],
  ]).execute();
  await db.schema.createIndex('consultation_comments_section').on('consultation_comments').columns(['consultation_id', 'section_id', 'created_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
