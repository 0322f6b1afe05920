import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { openDatabase, type OpenDatabase } from '../src/db/database.ts';
import { createSession } from '../src/platform/auth/sessions.ts';
import { createMailer, type Mailer } from '../src/platform/channels/email.ts';
import { startSmtpSink, type SmtpSink } from '../src/platform/channels/smtp-sink.ts';
import { dialects, openTestDb, TEST_DATABASE_URL, type TestDb } from './support/db.ts';
import { makeFixture, type Fixture } from './support/fixture.ts';

/**
 * PostgreSQL ends Gatepost's connections (a restart, a failover, `pg_terminate_backend`): the request
 * that was waiting on one gets an error page, the process carries on, and the next requests work on
 * new connections, without restarting Gatepost.
 */
describe.each(dialects.filter((d) => d === 'postgres'))('connections ended by the database, on %s', () => {
  let t: TestDb;
  let opened: OpenDatabase;
  let app: App;
  let sink: SmtpSink;
  let mailer: Mailer;
  let fx: Fixture;
  let admin: pg.Client;
  const name = `gatepost-lost-${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    t = await openTestDb('postgres');
    if (t.target.kind !== 'postgres') throw new Error('PostgreSQL only');
    opened = openDatabase({ ...t.target, applicationName: name });
    fx = await makeFixture(opened.db);
    sink = await startSmtpSink(0);
    const config = readConfig({ NODE_ENV: 'test', SMTP_URL: sink.url, BASE_URL: 'http://gatepost.test' });
    mailer = createMailer(sink.url, config.mailFrom);
    app = await buildApp({ db: opened.db, dialect: 'postgres', config, mailer, logger: false });
    admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await app?.close();
    mailer?.close();
    await sink?.close();
    await opened?.close();
    await t?.close();
  });

  const endGatepostConnections = async () => (await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [name])).rowCount ?? 0;

  it('answers the cut-short request with an error page and the next ones as usual', async () => {
    const { token } = await createSession(opened.db, { kind: 'staff', id: fx.staff.head, schoolId: fx.school.id }, new Date());
    const home = () => app.inject({ method: 'GET', url: '/', headers: { cookie: `gatepost=${token}` } });
    const many = await Promise.all(Array.from({ length: 10 }, home)); // fills the pool
    expect(many.map((r) => r.statusCode)).toEqual(Array(10).fill(200));

    // A request waits on a lock while its connection is ended under it.
    const schema = (t.target as { searchPath: string }).searchPath;
    const locker = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await locker.connect();
    await locker.query('begin');
    await locker.query(`lock table "${schema}".sessions in access exclusive mode`);
    const waiting = home();
    // Wait for the condition, however long a busy machine takes: Gatepost's query is waiting on the lock.
    const waitingOnLock = async () => (await admin.query("select 1 from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock'", [name])).rows.length > 0;
    while (!(await waitingOnLock())) await new Promise((r) => setTimeout(r, 25));
    expect(await endGatepostConnections()).toBeGreaterThanOrEqual(1); // the waiting one (and any idle ones)
    const cut = await waiting;
    await locker.query('rollback');
    await locker.end();
    expect(cut.statusCode).toBe(503);
    expect(cut.body).toContain('Gatepost cannot reach its database just now');

    // A connection ended while idle is noticed only when it is next used (on a busy machine the pool
    // may not have heard yet): that request gets the error page too. Within a few (at most one a
    // connection in the pool), every one works again: counted in requests, not in time.
    const recovers = async () => {
      const statuses: number[] = [];
      while (statuses.length < 15 && !(statuses.length >= 3 && statuses.slice(-3).every((s) => s === 200))) statuses.push((await home()).statusCode);
      expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
      expect(statuses.slice(-3)).toEqual([200, 200, 200]);
    };
    // The next requests work on new connections; Gatepost was not restarted.
    await recovers();
    // The same after every connection is ended while idle, with requests arriving together.
    expect(await endGatepostConnections()).toBeGreaterThan(0);
    const after = await Promise.all(Array.from({ length: 10 }, home));
    expect(after.every((r) => r.statusCode === 200 || r.statusCode === 503)).toBe(true);
    await recovers();
  }, 120_000); // a safety net for a very busy machine: every wait above is for a condition
});
