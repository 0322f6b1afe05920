import type pg from 'pg';

/**
 * Named statements on PostgreSQL for the few hottest reads, so PostgreSQL parses and plans each once
 * per connection instead of on every request. node-postgres sends unnamed statements: PostgreSQL
 * parses, analyses and plans every one afresh, and for the carer home page's reads (a few joins each)
 * planning cost four to ten times what running them did: about 1.8 ms of PostgreSQL's CPU a page
 * against 0.3 ms with these statements named (the page's five reads in a loop on one connection).
 *
 * With a name, PostgreSQL plans the first five runs for their values and then keeps a generic plan
 * when it costs no more (plan_cache_mode = auto); a plan is made again when the table's statistics
 * change (autovacuum's analyze). That suits reads that find rows by key (a session, a carer's
 * children): their best plan does not depend on the values. It does not suit every read: named
 * statements for everything collapsed the booking rush (generic plans chosen while the evening's
 * tables were filling), so a query opts in (`prepared(..., { keepPlan: true })`). Only reads by key
 * opt in; kept-plans.test.ts checks that a kept read answers right after PostgreSQL keeps a plan and
 * on a new connection (the plans themselves are not checked there). Since 7 December a table that
 * changes a lot is measured again within seconds while the server runs (statistics.ts), which also
 * makes PostgreSQL plan its kept statements on it again.
 */
const names = new Map<string, string>();

/** Name this statement text on PostgreSQL connections from now on. */
export function keepPlan(sql: string): void {
  if (!names.has(sql)) names.set(sql, `gatepost_${names.size + 1}`);
}

/** The statement texts kept so far (for the plan checks). */
export function keptStatements(): string[] {
  return [...names.keys()];
}

type Query = (...args: unknown[]) => unknown;

/** Every connection of this pool sends the kept statements by name (node-postgres parses each once per connection). */
export function nameKeptStatements(pool: pg.Pool): void {
  pool.on('connect', nameKeptStatementsOn);
}

/** This connection sends the kept statements by name. */
export function nameKeptStatementsOn(client: pg.Client | pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  (client as unknown as { query: Query }).query = (text: unknown, values?: unknown, ...rest: unknown[]) => {
    const name = typeof text === 'string' && Array.isArray(values) && rest.length === 0 ? names.get(text) : undefined;
    return name ? query({ name, text, values }) : query(text, values, ...rest);
  };
}
