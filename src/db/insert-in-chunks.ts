import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { Dialect } from './database.ts';
import { THEN_COMMIT } from './pipelined-reads.ts';

/** Bind parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMS = 30_000;
const MAX_ROWS = 1_000;

type Options = { onConflictDoNothing?: string };

/**
 * Insert many rows in as few statements as both databases allow (call it inside a transaction).
 * `onConflictDoNothing`: a unique column whose clash skips the row (an idempotency key).
 */
export async function insertInChunks<T extends keyof Database & string>(db: Kysely<Database>, table: T, rows: readonly Insertable<Database[T]>[], options: Options = {}): Promise<void> {
  if (rows.length === 0) return;
  const size = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / Object.keys(rows[0]!).length)));
  for (let i = 0; i < rows.length; i += size) await insertOnce(db, table, rows.slice(i, i + size) as Record<string, unknown>[], options);
}

/**
 * Kysely builds and compiles an insert on every call, which for a booking's few rows of twenty
 * columns cost more than SQLite's writing them. Rows of plain values with the same columns give
 * the same SQL: it is compiled once for each table, columns and number of rows, and checked once
 * against Kysely's own parameters, then reused with the new values.
 */
const compiled = new Map<string, string | null>();
/** Only small inserts (a booking's rows) are kept; a big import's statements are one-offs. */
const KEEP_UP_TO_ROWS = 20;

async function insertOnce(db: Kysely<Database>, table: string, rows: Record<string, unknown>[], options: Options): Promise<void> {
  const columns = Object.keys(rows[0]!);
  const plain =
    rows.length <= KEEP_UP_TO_ROWS &&
    rows.every((r) => {
      const keys = Object.keys(r);
      return keys.length === columns.length && keys.every((k, i) => k === columns[i] && isPlain(r[k]));
    });
  const parameters = plain ? rows.flatMap((r) => columns.map((c) => r[c])) : [];
  const shape = plain ? `${db.getExecutor().adapter.constructor.name}|${table}|${options.onConflictDoNothing ?? ''}|${rows.length}|${columns.join(',')}` : '';
  const known = plain ? compiled.get(shape) : null;
  if (known) {
    await db.executeQuery(CompiledQuery.raw(known, parameters));
    return;
  }
  let query = db.insertInto(table as keyof Database).values(rows as never);
  if (options.onConflictDoNothing) query = query.onConflict((oc) => oc.column(options.onConflictDoNothing as never).doNothing()) as typeof query;
  const built = query.compile();
  if (plain && known === undefined) {
    const same = built.parameters.length === parameters.length && built.parameters.every((p, i) => p === parameters[i]);
    compiled.set(shape, same ? built.sql : null);
  }
  await db.executeQuery(built);
}

/** Rows for one table, for insertTogether. */
export type InsertPart = { [T in keyof Database & string]: { table: T; rows: readonly Insertable<Database[T]>[]; options?: Options } }[keyof Database & string];

/**
 * A few small inserts into different tables (a booking's rows, its attendees, audit entries and
 * email) in the caller's transaction. On PostgreSQL they go as ONE statement (data-modifying WITH
 * queries; foreign keys and unique keys are checked as usual), so a transaction holding row locks
 * makes one round trip instead of four: with a busy event loop, each await inside a transaction keeps
 * its locks and its pooled connection while other requests run. SQLite runs them one after another.
 */
export async function insertTogether(
  db: Kysely<Database>,
  dialect: Dialect,
  parts: InsertPart[],
  /** The transaction's last statement: on PostgreSQL its commit is written straight behind it (pipelined-reads.ts). */
  { endsTransaction = false } = {},
): Promise<void> {
  const present = parts.filter((p) => p.rows.length > 0);
  if (dialect !== 'postgres' || present.length < 2 || present.some((p) => p.rows.length > KEEP_UP_TO_ROWS)) {
    for (const p of present) await insertInChunks(db, p.table, p.rows as never, p.options);
    return;
  }
  const statements: string[] = [];
  const parameters: unknown[] = [];
  for (const p of present) {
    let query = db.insertInto(p.table).values(p.rows as never);
    if (p.options?.onConflictDoNothing) query = query.onConflict((oc) => oc.column(p.options!.onConflictDoNothing as never).doNothing()) as typeof query;
    const built = query.compile();
    const offset = parameters.length;
    // Kysely puts every value in a parameter ($1, $2 …): number them on after the earlier statements'.
    statements.push(built.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`));
    parameters.push(...built.parameters);
  }
  const last = statements.pop()!;
  const sql = `with ${statements.map((sql, i) => `i${i} as (${sql})`).join(', ')} ${last}`;
  await db.executeQuery(CompiledQuery.raw(endsTransaction ? sql + THEN_COMMIT : sql, parameters));
}

function isPlain(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'number';
}
