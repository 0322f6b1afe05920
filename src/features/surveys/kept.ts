import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Db = Kysely<Database>;

/**
 * The last few results pages' figures, kept in memory (per database) under a version that changes
 * whenever they would: a kept value is never out of date, only counted again less often.
 */
const KEPT = 48;
const keptByDb = new WeakMap<Db, Map<string, { version: string; value: unknown }>>();

export async function keep<T>(db: Db, key: string, version: string, compute: () => Promise<T>): Promise<T> {
  const kept = keptByDb.get(db) ?? new Map<string, { version: string; value: unknown }>();
  keptByDb.set(db, kept);
  const hit = kept.get(key);
  kept.delete(key);
  const value = hit && hit.version === version ? (hit.value as T) : await compute();
  kept.set(key, { version, value });
  while (kept.size > KEPT) kept.delete(kept.keys().next().value!);
  return value;
}
