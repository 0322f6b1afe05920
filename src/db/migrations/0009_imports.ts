import type { Kysely } from 'kysely';

/**
 * Imports that keep what the school's records say:
 * - restrictions.details_pending: a restriction the records system's export named (a court order,
 *   "no contact", parental responsibility restricted) is in force from the import, and waits for the
 *   head or DSL to complete what the order says (1 until they do);
 * - import_batches.class_choices_json: on a pupils dry run, the classes the file names that the
 *   school does not have, each matched to an existing class or left to be created
 *   ({ "file class name, lower case": class id }).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('restrictions')
    .addColumn('details_pending', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('import_batches').addColumn('class_choices_json', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_batches').dropColumn('class_choices_json').execute();
  await db.schema.alterTable('restrictions').dropColumn('details_pending').execute();
}
