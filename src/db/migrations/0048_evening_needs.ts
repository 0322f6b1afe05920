import { sql, type Kysely } from 'kysely';

/**
 * Help a carer asks for at a parents' evening (features/evenings/needs.ts): an interpreter in a
 * language, and anything else that would help them take part (step-free access, a hearing loop, a
 * quiet room). One row per carer per evening, whichever of their appointments it is for; changed in
 * place (each change is in the audit log), never deleted: "no interpreter and no note" is nulls.
 *
 * Tenancy as 0008 made it: foreign keys are (school_id, x_id) → parent (school_id, id), and the
 * unique key holds school_id.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('evening_needs')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('evening_id', 'text', (c) => c.notNull())
    .addColumn('carer_id', 'text', (c) => c.notNull())
    .addColumn('interpreter_language', 'text')
    .addColumn('access_note', 'text')
    .addColumn('changed_by_kind', 'text', (c) => c.notNull())
    .addColumn('changed_by_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('evening_needs_one_per_carer', ['school_id', 'evening_id', 'carer_id'])
    .addForeignKeyConstraint('evening_needs_evening_id_school_fk', ['school_id', 'evening_id'], 'evenings', ['school_id', 'id'])
    .addForeignKeyConstraint('evening_needs_carer_id_school_fk', ['school_id', 'carer_id'], 'carers', ['school_id', 'id'])
    .addCheckConstraint('evening_needs_changed_by_kind_check', sql.raw(`"changed_by_kind" in ('carer', 'staff')`))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
