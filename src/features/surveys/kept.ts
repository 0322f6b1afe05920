import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Db = Kysely<Database>;

/**
 * The last few results pages' figures, kept in memory (per database) under a version that changes
 * whenever they would: a kept value is never out of date, only counted again less often.
 */
const KEPT = 96;
const keptByDb = new WeakMap<Db, Map<string, { version: string; value: unknown }>>();

function keptOf(db: Db): Map<string, { version: string; value: unknown }> {
  const kept = keptByDb.get(db) ?? new Map<string, { version: string; value: unknown }>();
  keptByDb.set(db, kept);
  return kept;
}

/** Keep a value (the most recently kept are the last to go). */
export function keepValue(db: Db, key: string, version: string, value: unknown): void {
  const kept = keptOf(db);
  kept.delete(key);
  kept.set(key, { version, value });
  while (kept.size > KEPT) kept.delete(kept.keys().next().value!);
}

/** A kept value and the version it was kept under, if there is one. */
export function keptValue<T>(db: Db, key: string): { version: string; value: T } | undefined {
  return keptOf(db).get(key) as { version: string; value: T } | undefined;
}

export async function keep<T>(db: Db, key: string, version: string, compute: () => Promise<T>): Promise<T> {
  const hit = keptValue<T>(db, key);
  const value = hit && hit.version === version ? hit.value : await compute();
  keepValue(db, key, version, value);
  return value;
}
