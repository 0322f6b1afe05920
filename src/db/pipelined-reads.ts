import pg from 'pg';
import { Kysely, type KyselyProps, type PostgresCursor, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult } from 'kysely';
import type { Db, Dialect } from './database.ts';
import type { Database } from './schema.ts';

/**
 * On PostgreSQL, the reads that are not part of a transaction (most of a page's queries) share a few
 * connections in pipeline mode (node-postgres 8.23): each query is written as soon as it is asked for,
 * without waiting for the answers to those before it, and PostgreSQL answers them in order. A page's
 * side-by-side reads, and the reads of pages served at the same moment, then travel together: fewer
 * round trips, fewer wake-ups of PostgreSQL's processes and of ours, and no wait for a pooled
 * connection. A query's error is its own (each ends with its own Sync).
 *
 * Only a plain `select` is shared (SHARED): it never waits for a row lock, so nothing queued behind
 * it waits for one either. A write outside a transaction could wait for a row a transaction holds, and
 * if that transaction then read through the shared connection behind it, neither would ever go on (a
 * deadlock PostgreSQL cannot see); so each such write takes a pooled connection for itself. A
 * transaction takes a pooled connection of its own at its `begin` and gives it back when it ends, so
 * nothing of one transaction is ever interleaved with other queries; so does a session-level lock
 * (OWN_CONNECTION). Nothing else in Gatepost sets connection state outside a transaction (no `set`),
 * which is what makes sharing safe.
 *
 * A shared connection the server ends (restart, `pg_terminate_backend`) fails the queries in flight on
 * it (their requests get an error page) and is replaced on the next query.
 */
export function pipelinedReads(pool: pg.Pool, o: { connections: number; onConnect: (client: pg.Client) => void }): PostgresPool {
  const shared = Array.from({ length: o.connections }, () => new SharedConnection(pool, o.onConnect));
  // The shared connection with fewest reads waiting: a slow read (a report) holds up only the reads
  // already queued behind it, and the next ones go to the other connection.
  const reader = () => shared.reduce((a, b) => (b.waiting < a.waiting ? b : a));
  return {
    connect: async () => new Connection(pool, reader),
    end: async () => {
      await Promise.all(shared.map((s) => s.end()));
      await pool.end();
    },
  };
}

/**
 * What needs a connection of its own: a transaction from its `begin`, and a session-level advisory lock
 * (Kysely's migrator takes one around its transaction and releases it on the same connection).
 */
const OWN_CONNECTION = /^\s*(begin|start transaction)\b|pg_advisory_lock\(/i;

/**
 * Ends a transaction's last statement (insertTogether's `endsTransaction`): the commit is written
 * straight behind it, one round trip fewer while the transaction holds its locks. Nothing but
 * Kysely's own commit or rollback may follow it.
 */
export const THEN_COMMIT = ' /* then commit */';

/** A transaction's start (no session-level lock in it), and its end. */
const BEGIN = /^\s*(begin|start transaction)\b/i;
const END = /^\s*(commit|rollback)\b/i;
const NOTHING: PostgresQueryResult<unknown> = { command: 'SELECT', rowCount: 0, rows: [] };

/** A read that takes no lock: a `select` without `for update` or `for share`. */
const SHARED = /^\s*select\b(?![\s\S]*\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b)/i;
const sharedByText = new Map<string, boolean>();
function mayShare(sql: string): boolean {
  let shared = sharedByText.get(sql);
  if (shared === undefined) {
    if (sharedByText.size >= 2000) sharedByText.clear();
    sharedByText.set(sql, (shared = SHARED.test(sql)));
  }
  return shared;
}

type Query = { (sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<unknown>> };

class SharedConnection {
  #client: Promise<pg.Client> | null = null;
  /** Reads sent on this connection and not yet answered. */
  waiting = 0;
  constructor(
    private readonly pool: pg.Pool,
    private readonly onConnect: (client: pg.Client) => void,
  ) {}

  client(): Promise<pg.Client> {
    if (!this.#client) {
      const client = new pg.Client({ ...(this.pool.options as pg.ClientConfig), pipeline: true });
      const drop = () => {
        if (this.#client === opened) this.#client = null;
      };
      client.on('error', drop);
      client.on('end', drop);
      this.onConnect(client);
      const opened = client.connect().then(
        () => client,
        (error: unknown) => {
          drop();
          throw error;
        },
      );
      this.#client = opened;
    }
    return this.#client;
  }

  async end(): Promise<void> {
    const client = this.#client;
    this.#client = null;
    if (client) await (await client.catch(() => null))?.end();
  }
}

/** What Kysely holds as "a connection": shared reads, a pooled connection for each write, and one of its own from a transaction's `begin`. */
class Connection implements PostgresPoolClient {
  #own: pg.PoolClient | null = null;
  /** A transaction's `begin`, not yet sent: it goes with the transaction's first statement. */
  #begin: string | null = null;
  /** The commit sent straight behind the transaction's last statement (THEN_COMMIT). */
  #committed: Promise<PostgresQueryResult<unknown>> | null = null;
  constructor(
    private readonly pool: pg.Pool,
    private readonly reader: () => SharedConnection,
  ) {}

  query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query(sql: unknown, parameters?: readonly unknown[]): unknown {
    if (typeof sql !== 'string') throw new Error('Gatepost does not stream query results (no cursors)');
    return this.run(sql, parameters ?? []);
  }

  private async run(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<unknown>> {
    if (!this.#own && OWN_CONNECTION.test(sql)) {
      this.#own = await this.pool.connect();
      // A transaction's `begin` travels with its first statement (the pooled connections are
      // pipelined too): one round trip fewer for every transaction, a booking's included.
      if (BEGIN.test(sql)) {
        this.#begin = sql;
        return NOTHING;
      }
    }
    const own = this.#own;
    if (own) {
      if (this.#committed) return this.afterCommit(sql);
      const query: Query = (text, values) => (own.query as Query)(text, values);
      const begin = this.#begin;
      this.#begin = null;
      // A transaction that ended before its first statement was never begun.
      if (begin !== null && END.test(sql)) return NOTHING;
      const began = begin === null ? null : query(begin, []);
      const answer = query(sql, parameters);
      if (sql.endsWith(THEN_COMMIT)) {
        // Written straight behind it: if the statement fails, PostgreSQL answers the commit by rolling back.
        this.#committed = query('commit', []);
        this.#committed.catch(() => undefined); // told when Kysely asks for its commit
      }
      if (!began) return answer;
      answer.catch(() => undefined); // if the begin failed, its error is the one to tell
      await began;
      return answer;
    }
    if (mayShare(sql)) {
      const shared = this.reader();
      shared.waiting++;
      try {
        return await ((await shared.client()).query as Query)(sql, parameters);
      } finally {
        shared.waiting--;
      }
    }
    const client = await this.pool.connect();
    try {
      return await (client.query as Query)(sql, parameters);
    } finally {
      client.release();
    }
  }

  /** After a statement that ended the transaction: Kysely's commit (or, if the statement failed, its rollback) is already done. */
  private async afterCommit(sql: string): Promise<PostgresQueryResult<unknown>> {
    const committed = this.#committed!;
    this.#committed = null;
    if (!END.test(sql)) throw new Error('The transaction was committed with its last statement: nothing may follow it');
    if (/^\s*commit\b/i.test(sql)) return committed;
    await committed.catch(() => undefined);
    return NOTHING;
  }

  release(): void {
    this.#own?.release();
    this.#own = null;
    this.#begin = null;
    this.#committed = null;
  }
}

/**
 * Reads of one transaction sent together. Kysely sends a transaction's statements one at a time,
 * each after the answer to the one before; on PostgreSQL, `work`'s reads (run side by side, e.g.
 * with Promise.all) are written at once on the transaction's pipelined connection instead, and
 * answered in order: one round trip for all of them while the transaction holds its locks. SQLite
 * runs them one after another, as always. `work` may only read, and only through the `db` it is given.
 */
export async function readTogether<T>(trx: Db, dialect: Dialect, work: (db: Db) => Promise<T>): Promise<T> {
  if (dialect !== 'postgres') return work(trx);
  const executor = trx.getExecutor();
  return executor.provideConnection((connection) => {
    // The transaction's own connection, without the queue Kysely keeps in front of it.
    const props = { config: {}, driver: {}, dialect: {}, executor: executor.withConnectionProvider({ provideConnection: (use) => use(connection) }) };
    return work(new Kysely<Database>(props as unknown as KyselyProps));
  });
}
