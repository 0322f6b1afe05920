import type { Kysely } from 'kysely';

/** Messages to families, their translations, who received each, groups, contacts and the glossary. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('tone', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('audience_json', 'text', (c) => c.notNull())
    .addColumn('asks_acknowledgement', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('scheduled_for', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('messages_school_status').on('messages').columns(['school_id', 'status', 'scheduled_for']).execute();

  await db.schema
    .createTable('message_translations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('written_by', 'text')
    .addColumn('checked_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('message_translations_unique', ['message_id', 'language'])
    .execute();

  await db.schema
    .createTable('message_recipients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
    .addColumn('carer_id', 'text', (c) => c.notNull().references('carers.id'))
    .addColumn('pupil_ids', 'text', (c) => c.notNull())
    .addColumn('pupil_names', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('read_token', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('message_recipients_unique', ['message_id', 'carer_id'])
    .execute();
  await db.schema.createIndex('message_recipients_carer').on('message_recipients').columns(['carer_id', 'created_at']).execute();
  await db.schema.createIndex('message_recipients_token').on('message_recipients').column('read_token').execute();

  await db.schema.alterTable('outbox').addColumn('ref', 'text').execute();
  await db.schema.createIndex('outbox_ref').on('outbox').column('ref').execute();

  await db.schema
    .createTable('carer_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addUniqueConstraint('carer_groups_name_unique', ['school_id', 'name'])
    .execute();
  await db.schema
    .createTable('carer_group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('carer_groups.id'))
    .addColumn('carer_id', 'text', (c) => c.notNull().references('carers.id'))
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addPrimaryKeyConstraint('carer_group_members_pk', ['group_id', 'carer_id'])
    .execute();

  await db.schema
    .createTable('contact_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('carer_id', 'text', (c) => c.notNull().references('carers.id'))
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contact_log_carer').on('contact_log').columns(['carer_id', 'at']).execute();

  await db.schema
    .createTable('glossary')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('plain', 'text', (c) => c.notNull())
    .addUniqueConstraint('glossary_term_unique', ['school_id', 'term'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
