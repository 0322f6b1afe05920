import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { dialects, openTestDb, schoolRow, TEST_DATABASE_URL, type TestDb } from '../../test/support/db.ts';
import { migrateToLatest, openDatabase, type OpenDatabase } from './database.ts';
import { readTogether, THEN_COMMIT } from './pipelined-reads.ts';

/** Reads outside transactions share two pipelined connections on PostgreSQL (pipelined-reads.ts). */
describe.each(dialects.filter((d) => d === 'postgres'))('pipelined reads on %s', () => {
  let t: TestDb;
  let opened: OpenDatabase;
  let admin: pg.Client;
  const name = `gatepost-pipe-${Math.random().toString(36).slice(2, 8)}`;
  const pid = async (db = opened.db) => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid;

  beforeAll(async () => {
    t = await openTestDb('postgres');
    if (t.target.kind !== 'postgres') throw new Error('PostgreSQL only');
    opened = openDatabase({ ...t.target, applicationName: name });
    admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await opened?.close();
    await t?.close();
  });

  it('answers each of 300 reads asked at once with its own rows, on two connections', async () => {
    const asked = Array.from({ length: 300 }, (_, i) => i);
    const answers = await Promise.all(asked.map((i) => sql<{ n: number; pid: number }>`select ${i}::int as n, pg_backend_pid() as pid`.execute(opened.db)));
    expect(answers.map((a) => a.rows[0]!.n)).toEqual(asked);
    expect(new Set(answers.map((a) => a.rows[0]!.pid)).size).toBe(2);
  });

  it('sends reads past a slow one: while a report runs, reads one after another are answered on the other connection', async () => {
    let slowAnswered = false;
    const slow = sql`select pg_sleep(1) as slept`.execute(opened.db).then(() => (slowAnswered = true));
    const answeredBeforeTheSlowOne: boolean[] = [];
    for (let i = 0; i < 10; i++) {
      expect((await sql<{ n: number }>`select ${i}::int as n`.execute(opened.db)).rows).toEqual([{ n: i }]);
      answeredBeforeTheSlowOne.push(!slowAnswered);
    }
    expect(answeredBeforeTheSlowOne).toEqual(Array(10).fill(true));
    await slow;
  });

  it('fails only the read that went wrong, not those sent with it', async () => {
    const [before, wrong, after] = await Promise.allSettled([sql`select 1 as one`.execute(opened.db), sql`select 1 / 0 as never`.execute(opened.db), sql`select 2 as two`.execute(opened.db)]);
    expect(before).toMatchObject({ status: 'fulfilled', value: { rows: [{ one: 1 }] } });
    expect(wrong).toMatchObject({ status: 'rejected', reason: { message: 'division by zero' } });
    expect(after).toMatchObject({ status: 'fulfilled', value: { rows: [{ two: 2 }] } });
  });

  it('runs a transaction on a connection of its own: reads beside it do not see its rows until it commits', async () => {
    const readers = new Set(await Promise.all(Array.from({ length: 20 }, () => pid())));
    const seen: number[] = [];
    const count = async () => Number((await sql<{ n: string }>`select count(*) as n from schools where urn = 'pipe-1'`.execute(opened.db)).rows[0]!.n);
    await opened.db.transaction().execute(async (trx) => {
      expect(readers.has(await pid(trx))).toBe(false);
      await trx.insertInto('schools').values(schoolRow('pipe-1', 'Pipeline Primary')).execute();
      seen.push(await count());
    });
    seen.push(await count());
    expect(seen).toEqual([0, 1]);
  });

  /**
   * What `use` sends to PostgreSQL and when each answer comes, on a database opened for it (after the
   * spy, so that its connections send through it): "send TEXT" and "answered TEXT", in order.
   */
  async function sendsAndAnswers<T>(shorten: (text: string) => string, use: (db: OpenDatabase['db']) => Promise<T>): Promise<{ events: string[]; result: T }> {
    const events: string[] = [];
    const query = pg.Client.prototype.query;
    const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const text = shorten(String(args[0]).trim());
      events.push(`send ${text}`);
      const answer = (query as (...a: unknown[]) => unknown).apply(this, args);
      if (answer instanceof Promise)
        answer.then(
          () => events.push(`answered ${text}`),
          () => undefined,
        );
      return answer as never;
    });
    const fresh = openDatabase({ ...t.target, applicationName: name } as Parameters<typeof openDatabase>[0]);
    try {
      return { events, result: await use(fresh.db) };
    } finally {
      spy.mockRestore();
      await fresh.close();
    }
  }

  it("sends a transaction's begin with its first statement, not a round trip before it", async () => {
    const { events } = await sendsAndAnswers(
      (text) => text.split(/\s+/)[0]!.toLowerCase(),
      (db) =>
        db.transaction().execute(async (trx) => {
          await sql`select 1 as one`.execute(trx);
          await sql`update schools set name = name where urn = 'none'`.execute(trx);
        }),
    );
    expect(events).toEqual(['send begin', 'send select', 'answered begin', 'answered select', 'send update', 'answered update', 'send commit', 'answered commit']);
    // A transaction of one statement that ends it: begin, the statement and commit go in one write.
    const one = await sendsAndAnswers(
      (text) => text.split(/\s+/)[0]!.toLowerCase(),
      (db) => db.transaction().execute((trx) => trx.executeQuery(CompiledQuery.raw(`update schools set name = name where urn = 'none'${THEN_COMMIT}`))),
    );
    expect(one.events).toEqual(['send begin', 'send update', 'send commit', 'answered begin', 'answered update', 'answered commit']);
  });

  it('sends the reads a transaction asks for together in one go, each answered with its own rows, after what came before; the commit goes with the last statement', async () => {
    const { events, result: answers } = await sendsAndAnswers(
      (text) => text,
      (db) =>
        db.transaction().execute(async (trx) => {
          await sql`select 'locked' as first`.execute(trx);
          const together = await readTogether(trx, 'postgres', (db) => Promise.all([sql<{ n: number }>`select 1 as n`.execute(db), sql<{ n: number }>`select 2 as n`.execute(db)]));
          await trx.executeQuery(CompiledQuery.raw(`select 'last' as last${THEN_COMMIT}`));
          return together;
        }),
    );
    expect(answers.map((a) => a.rows)).toEqual([[{ n: 1 }], [{ n: 2 }]]);
    const at = (e: string) => events.indexOf(e);
    expect(at("answered select 'locked' as first")).toBeLessThan(at('send select 1 as n'));
    expect(at('send select 2 as n')).toBeLessThan(at('answered select 1 as n'));
    // The commit goes straight behind the last statement, and only once.
    expect(at('send commit')).toBeLessThan(at(`answered select 'last' as last${THEN_COMMIT}`));
    expect(events.filter((e) => e === 'send commit')).toHaveLength(1);
  });

  it('ends a transaction cleanly when its first statement fails, and when it has no statement at all', async () => {
    await expect(
      opened.db.transaction().execute(async (trx) => {
        await sql`select 1 / 0 as never`.execute(trx);
      }),
    ).rejects.toThrow('division by zero');
    await opened.db.transaction().execute(async () => undefined);
    // Every pooled connection is back and outside any transaction: ten transactions at once each write and commit.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        opened.db.transaction().execute((trx) =>
          trx
            .insertInto('schools')
            .values(schoolRow(`pipe-t${i}`, `Begin Lane ${i}`))
            .execute(),
        ),
      ),
    );
    const written = await sql<{ n: number }>`select count(*)::int as n from schools where urn like 'pipe-t%'`.execute(opened.db);
    expect(written.rows[0]!.n).toBe(10);
    const open = await admin.query(`select count(*)::int as n from pg_stat_activity where application_name = $1 and state like 'idle in transaction%'`, [name]);
    expect(open.rows[0].n).toBe(0);
  });

  it('never leaves a transaction waiting behind a write that waits for it (writes are not shared)', async () => {
    await opened.db.insertInto('schools').values(schoolRow('pipe-2', 'Lock Lane Primary')).execute();
    const outcome = await opened.db.transaction().execute(async (trx) => {
      await sql`select id from schools where id = 'pipe-2' for update`.execute(trx);
      // A write outside the transaction waits for the row; the transaction then reads outside itself.
      const write = opened.db.updateTable('schools').set({ name: 'Lock Lane Academy' }).where('id', '=', 'pipe-2').execute();
      await new Promise((r) => setTimeout(r, 200));
      const reads = Promise.all(Array.from({ length: 6 }, () => sql`select 1 as one`.execute(opened.db)));
      const answered = await Promise.race([reads.then(() => 'answered'), new Promise((r) => setTimeout(() => r('stuck behind the write'), 3000))]);
      return { answered, write };
    });
    expect(outcome.answered).toBe('answered');
    await outcome.write;
    const renamed = await opened.db.selectFrom('schools').select('name').where('id', '=', 'pipe-2').executeTakeFirstOrThrow();
    expect(renamed.name).toBe('Lock Lane Academy');
  });

  it('keeps a migration lock on one connection: two migrations at once both finish and leave no lock behind', async () => {
    const other = openDatabase({ ...t.target, applicationName: name } as Parameters<typeof openDatabase>[0]);
    try {
      await Promise.all([
        migrateToLatest(opened.db, t.target.kind === 'postgres' ? t.target.searchPath : undefined),
        migrateToLatest(other.db, t.target.kind === 'postgres' ? t.target.searchPath : undefined),
      ]);
    } finally {
      await other.close();
    }
    const locks = await admin.query(`select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid where l.locktype = 'advisory' and a.application_name = $1`, [name]);
    expect(locks.rows[0].n).toBe(0);
  });

  it('opens new shared connections after PostgreSQL ended them', async () => {
    await Promise.all(Array.from({ length: 10 }, () => pid()));
    const ended = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [name]);
    expect(ended.rowCount).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    // The first read after the cut may still meet the ended connection; within a few it works again.
    let answer: unknown = null;
    for (let i = 0; i < 5 && answer === null; i++)
      answer = await sql<{ ok: number }>`select 1 as ok`.execute(opened.db).then(
        (r) => r.rows[0],
        () => null,
      );
    expect(answer).toEqual({ ok: 1 });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => sql<{ n: number }>`select ${i}::int as n`.execute(opened.db)));
    expect(answers.map((a) => a.rows[0]!.n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
