import { CompiledQuery, type Compilable } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * A Kysely query built and compiled once per process and database, then run with new values.
 * Kysely builds and compiles a query on every call: for the booking page's family query (joins and
 * two sub-queries) that is several times the cost of running it, and the booking rush runs it
 * hundreds of times a second. The query is built with a marker for each named value; the compiled
 * parameters are mapped back to names, so the builder stays the one, typed source of the SQL.
 * Only for queries whose shape never depends on the values (no optional clauses, no `in` lists).
 */
export function prepared<K extends string, R>(keys: readonly K[], build: (db: Db, values: Record<K, string>) => Compilable<R>): (db: Db, values: Record<K, string>) => Promise<R[]> {
  const compiled = new Map<string, { sql: string; parameters: ({ name: K } | { value: unknown })[] }>();
  const marker = (k: string) => `\u0000${k}\u0000`;
  return async (db, values) => {
    const dialect = db.getExecutor().adapter.constructor.name;
    let query = compiled.get(dialect);
    if (!query) {
      const built = build(db, Object.fromEntries(keys.map((k) => [k, marker(k)])) as Record<K, string>).compile();
      query = {
        sql: built.sql,
        parameters: built.parameters.map((p) => {
          const name = keys.find((k) => p === marker(k));
          if (name) return { name };
          if (typeof p === 'string' && p.includes('\u0000')) throw new Error('A prepared query may only use its values as whole parameters');
          return { value: p };
        }),
      };
      compiled.set(dialect, query);
    }
    const parameters = query.parameters.map((p) => ('name' in p ? values[p.name] : p.value));
    return (await db.executeQuery<R>(CompiledQuery.raw(query.sql, parameters))).rows;
  };
}
