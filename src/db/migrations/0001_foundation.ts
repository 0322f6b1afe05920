import type { Kysely } from 'kysely';

/** Schools, people, relationships, restrictions, sign-in, audit and imports. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('schools')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('urn', 'text', (c) => c.notNull().unique())
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('teachers_see_all_pupils', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('school_terms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('school_closures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('staff')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('job_title', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('totp_secret', 'text')
    .addColumn('totp_enabled_at', 'text')
    .addColumn('archived_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('staff_roles')
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('staff_roles_pk', ['staff_id', 'role'])
    .execute();

  await db.schema
    .createTable('classes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('year_group', 'text', (c) => c.notNull())
    .addColumn('archived_at', 'text')
    .addUniqueConstraint('classes_school_name_unique', ['school_id', 'name'])
    .execute();

  await db.schema
    .createTable('class_teachers')
    .addColumn('class_id', 'text', (c) => c.notNull().references('classes.id'))
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addPrimaryKeyConstraint('class_teachers_pk', ['class_id', 'staff_id'])
    .execute();
  await db.schema.createIndex('class_teachers_staff').on('class_teachers').column('staff_id').execute();

  await db.schema
    .createTable('pupils')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('upn', 'text', (c) => c.notNull())
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('preferred_name', 'text')
    .addColumn('date_of_birth', 'text', (c) => c.notNull())
    .addColumn('year_group', 'text', (c) => c.notNull())
    .addColumn('class_id', 'text', (c) => c.references('classes.id'))
    .addColumn('send_status', 'text', (c) => c.notNull())
    .addColumn('eal', 'integer', (c) => c.notNull())
    .addColumn('home_language', 'text')
    .addColumn('archived_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('pupils_school_upn_unique', ['school_id', 'upn'])
    .execute();
  await db.schema.createIndex('pupils_class').on('pupils').column('class_id').execute();
  await db.schema.createIndex('pupils_school_family_name').on('pupils').columns(['school_id', 'family_name']).execute();

  await db.schema
    .createTable('carers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('title', 'text')
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('mobile', 'text')
    .addColumn('address_line1', 'text')
    .addColumn('address_line2', 'text')
    .addColumn('town', 'text')
    .addColumn('postcode', 'text')
    .addColumn('preferred_language', 'text', (c) => c.notNull())
    .addColumn('interpreter_needed', 'integer', (c) => c.notNull())
    .addColumn('channel_email', 'integer', (c) => c.notNull())
    .addColumn('channel_sms', 'integer', (c) => c.notNull())
    .addColumn('channel_app', 'integer', (c) => c.notNull())
    .addColumn('paper_copies', 'integer', (c) => c.notNull())
    .addColumn('access_needs', 'text')
    .addColumn('password_hash', 'text')
    .addColumn('archived_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('carers_email').on('carers').column('email').execute();
  await db.schema.createIndex('carers_school_family_name').on('carers').columns(['school_id', 'family_name']).execute();

  await db.schema
    .createTable('carer_pupils')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('carer_id', 'text', (c) => c.notNull().references('carers.id'))
    .addColumn('pupil_id', 'text', (c) => c.notNull().references('pupils.id'))
    .addColumn('relationship', 'text', (c) => c.notNull())
    .addColumn('parental_responsibility', 'integer', (c) => c.notNull())
    .addColumn('lives_with_pupil', 'integer', (c) => c.notNull())
    .addColumn('contact_priority', 'integer', (c) => c.notNull())
    .addColumn('may_receive_information', 'integer', (c) => c.notNull())
    .addColumn('wants_copies', 'integer', (c) => c.notNull())
    .addUniqueConstraint('carer_pupils_unique', ['carer_id', 'pupil_id'])
    .execute();
  await db.schema.createIndex('carer_pupils_pupil').on('carer_pupils').column('pupil_id').execute();

  await db.schema
    .createTable('restrictions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('pupil_id', 'text', (c) => c.notNull().references('pupils.id'))
    .addColumn('carer_id', 'text', (c) => c.notNull().references('carers.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('stops_information', 'integer', (c) => c.notNull())
    .addColumn('stops_collection', 'integer', (c) => c.notNull())
    .addColumn('stops_contact', 'integer', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text')
    .addColumn('lifted_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('restrictions_carer_pupil').on('restrictions').columns(['carer_id', 'pupil_id']).execute();
  await db.schema.createIndex('restrictions_pupil').on('restrictions').column('pupil_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('second_factor_pending', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('sign_in_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('carer_id', 'text', (c) => c.notNull().references('carers.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('verifier_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sign_in_tokens_verifier').on('sign_in_tokens').column('verifier_hash').execute();

  await db.schema
    .createTable('rate_limit_hits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limit_hits_lookup').on('rate_limit_hits').columns(['bucket', 'key', 'at']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .addColumn('ip', 'text')
    .execute();
  await db.schema.createIndex('audit_log_school_at').on('audit_log').columns(['school_id', 'at']).execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity', 'entity_id']).execute();

  await db.schema
    .createTable('import_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('csv_text', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
