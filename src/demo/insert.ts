import type { InsertObject, Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/**
 * Rows per INSERT. The widest demo table (carers) has 23 columns: 200 rows use 4,600 bind
 * parameters, far under PostgreSQL's 65,535 and SQLite's 32,766.
 */
export const BATCH_SIZE = 200;

/** Insert many rows a batch at a time (call it inside a transaction). */
export async function insertInBatches<T extends keyof Database & string>(db: Kysely<Database>, table: T, rows: readonly InsertObject<Database, T>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH_SIZE) {
    await db.insertInto(table).values(rows.slice(i, i + BATCH_SIZE)).execute();
  }
}
