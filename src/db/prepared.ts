import { CompiledQuery, type Compilable } from 'kysely';
import type { Db } from './database.ts';
import { keepPlan } from './kept-plans.ts';

/**
 * A Kysely query built and compiled once per database and shape, then run with new values.
 * Kysely builds and compiles a query on every call: for the booking page's queries that costs more
 * than running them, and a booking rush runs them hundreds of times a second. The query is built with
 * a marker for each named value; the compiled parameters are mapped back to names, so the builder
 * stays the one, typed source of the SQL. A value may be a list (for `in`): the query is compiled
 * once for each length of list it meets. Only for queries whose shape depends on nothing else.
 * `keepPlan`: on PostgreSQL, a named statement whose plan PostgreSQL keeps (see kept-plans.ts; only
 * for reads by key, each checked in kept-plans.test.ts).
 */
type Values<K extends string> = Record<K, string | readonly string[]>;
type Parameter<K> = { name: K; index: number | null } | { value: unknown };

export function prepared<K extends string, R, V extends Values<K> = Record<K, string>>(
  keys: readonly K[],
  build: (db: Db, values: V) => Compilable<R>,
  options: { keepPlan?: boolean } = {},
): (db: Db, values: V) => Promise<R[]> {
  const compiled = new Map<string, { sql: string; parameters: Parameter<K>[] }>();
  const marker = (k: string, i: number | null) => `\u0000${k}${i === null ? '' : `#${i}`}\u0000`;
  const markers = new Map<string, { name: K; index: number | null }>();
  return async (db, values) => {
    let shape = db.getExecutor().adapter.constructor.name;
    for (const k of keys) {
      const v = values[k];
      if (typeof v !== 'string') shape += `:${v.length}`;
    }
    let query = compiled.get(shape);
    if (!query) {
      const markedValues = Object.fromEntries(
        keys.map((k) => {
          const v = values[k];
          const mark = (i: number | null) => {
            const m = marker(k, i);
            markers.set(m, { name: k, index: i });
            return m;
          };
          return [k, typeof v === 'string' ? mark(null) : v.map((_, i) => mark(i))];
        }),
      ) as unknown as V;
      const built = build(db, markedValues).compile();
      query = {
        sql: built.sql,
        parameters: built.parameters.map((p) => {
          const named = typeof p === 'string' ? markers.get(p) : undefined;
          if (named) return named;
          if (typeof p === 'string' && p.includes('\u0000')) throw new Error('A prepared query may only use its values as whole parameters');
          return { value: p };
        }),
      };
      if (options.keepPlan && shape.startsWith('Postgres')) keepPlan(query.sql);
      compiled.set(shape, query);
    }
    const parameters = query.parameters.map((p) => {
      if (!('name' in p)) return p.value;
      const v = values[p.name];
      return p.index === null ? v : (v as readonly string[])[p.index];
    });
    return (await db.executeQuery<R>(CompiledQuery.raw(query.sql, parameters))).rows;
  };
}
