import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Pupil profiles (pen portraits): one per pupil, written together. Every accepted change is a new
 * version (versions are never changed); staff and carers propose changes, the SENCO or the class
 * teacher accepts or rejects them; carers' own words are kept in their language with an English
 * translation (write → check by a second person, as messages); reviews with the next review date;
 * carers' consent to share the profile outside the school (who, when, with whom).
 *
 * Tenancy as 0008 made it: unique (school_id, id) on tables rows point at, and every foreign key
 * between school tables is (school_id, x_id) → parent (school_id, id); closed sets have CHECKs.
 */
const oneOf = (column: string, values: string[]) => sql.raw(`"${column}" in (${values.map((v) => `'${v}'`).join(', ')})`);
const schoolKeys = (t: CreateTableBuilder<any, any>, table: string, keys: [string, string][]) =>
  keys.reduce((b, [column, parent]) => b.addForeignKeyConstraint(`${table}_${column}_school_fk`, ['school_id', column], parent, ['school_id', 'id']), t);

/** The text of the headings, shared with carers; and the staff-only notes under each heading. */
const SECTIONS = ['admire', 'important', 'support', 'pupil_voice', 'admire_staff', 'important_staff', 'support_staff'];

export async function up(db: Kysely<any>): Promise<void> {
  const owned = <T extends string>(t: CreateTableBuilder<T, never>) =>
    t.addColumn('id', 'text', (c) => c.primaryKey().notNull()).addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'));

  const profiles = owned(db.schema.createTable('profiles'))
    .addColumn('pupil_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('review_due_on', 'text')
    .addColumn('review_kind', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('profiles_school_id_unique', ['school_id', 'id'])
    .addUniqueConstraint('profiles_pupil_unique', ['school_id', 'pupil_id'])
    .addCheckConstraint('profiles_review_kind_check', sql`"review_kind" is null or ${oneOf('review_kind', ['termly', 'transition'])}`);
  await schoolKeys(profiles, 'profiles', [
    ['pupil_id', 'pupils'],
    ['created_by', 'staff'],
  ]).execute();
  await db.schema.createIndex('profiles_school_due').on('profiles').columns(['school_id', 'review_due_on']).execute();

  let proposals = owned(db.schema.createTable('profile_proposals'))
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('base_version', 'integer', (c) => c.notNull())
    .addColumn('by_kind', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text')
    .addColumn('carer_id', 'text');
  for (const s of SECTIONS) proposals = proposals.addColumn(s, 'text');
  proposals = proposals
    .addColumn('words', 'text')
    .addColumn('words_language', 'text')
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('profile_proposals_school_id_unique', ['school_id', 'id'])
    .addCheckConstraint('profile_proposals_status_check', oneOf('status', ['pending', 'accepted', 'rejected']))
    .addCheckConstraint(
      'profile_proposals_by_check',
      sql`("by_kind" = 'staff' and "staff_id" is not null and "carer_id" is null) or ("by_kind" = 'carer' and "carer_id" is not null and "staff_id" is null)`,
    )
    // Carers never write the staff-only notes.
    .addCheckConstraint('profile_proposals_staff_only_check', sql`"by_kind" = 'staff' or ("admire_staff" is null and "important_staff" is null and "support_staff" is null)`);
  await schoolKeys(proposals, 'profile_proposals', [
    ['profile_id', 'profiles'],
    ['staff_id', 'staff'],
    ['carer_id', 'carers'],
    ['decided_by', 'staff'],
  ]).execute();
  await db.schema.createIndex('profile_proposals_profile').on('profile_proposals').columns(['school_id', 'profile_id', 'status']).execute();

  let versions = owned(db.schema.createTable('profile_versions'))
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull());
  for (const s of SECTIONS) versions = versions.addColumn(s, 'text', (c) => c.notNull());
  versions = versions
    .addColumn('proposal_id', 'text')
    .addColumn('accepted_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('profile_versions_number_unique', ['school_id', 'profile_id', 'version']);
  await schoolKeys(versions, 'profile_versions', [
    ['profile_id', 'profiles'],
    ['proposal_id', 'profile_proposals'],
    ['accepted_by', 'staff'],
  ]).execute();

  // A carer's own words, in their language, for versions version_from up to (not including) version_to.
  const words = owned(db.schema.createTable('profile_words'))
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('carer_id', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('words', 'text', (c) => c.notNull())
    .addColumn('version_from', 'integer', (c) => c.notNull())
    .addColumn('version_to', 'integer')
    .addColumn('translation', 'text', (c) => c.notNull())
    .addColumn('translation_source', 'text', (c) => c.notNull())
    .addColumn('translation_status', 'text', (c) => c.notNull())
    .addColumn('written_by', 'text')
    .addColumn('checked_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('profile_words_source_check', oneOf('translation_source', ['person', 'machine']))
    .addCheckConstraint('profile_words_status_check', oneOf('translation_status', ['requested', 'written', 'checked']));
  await schoolKeys(words, 'profile_words', [
    ['profile_id', 'profiles'],
    ['carer_id', 'carers'],
    ['written_by', 'staff'],
    ['checked_by', 'staff'],
  ]).execute();
  await db.schema.createIndex('profile_words_profile').on('profile_words').columns(['school_id', 'profile_id', 'carer_id']).execute();

  const reviews = owned(db.schema.createTable('profile_reviews'))
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('reviewed_on', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'text', (c) => c.notNull())
    .addColumn('next_due_on', 'text', (c) => c.notNull())
    .addColumn('next_kind', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('profile_reviews_next_kind_check', oneOf('next_kind', ['termly', 'transition']));
  await schoolKeys(reviews, 'profile_reviews', [
    ['profile_id', 'profiles'],
    ['reviewed_by', 'staff'],
  ]).execute();
  await db.schema.createIndex('profile_reviews_profile').on('profile_reviews').columns(['school_id', 'profile_id', 'reviewed_on']).execute();

  const consents = owned(db.schema.createTable('profile_consents'))
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('carer_id', 'text', (c) => c.notNull())
    .addColumn('given_on', 'text', (c) => c.notNull())
    .addColumn('shared_with', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull());
  await schoolKeys(consents, 'profile_consents', [
    ['profile_id', 'profiles'],
    ['carer_id', 'carers'],
    ['recorded_by', 'staff'],
  ]).execute();
  await db.schema.createIndex('profile_consents_profile').on('profile_consents').columns(['school_id', 'profile_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
