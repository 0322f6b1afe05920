import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestDb } from '../../../test/support/db.ts';
import { bundleOutboxWorker } from '../../../test/support/outbox-worker-bundle.ts';
import { migrateToLatest, openDatabase, type DatabaseTarget, type Db } from '../../db/database.ts';
import { startSmtpSink } from '../channels/smtp-sink.ts';
import { createMailer } from '../channels/email.ts';
import { emailDelivery } from '../channels/deliver.ts';
import { enqueue } from './outbox.ts';
import { SERVER_WORKER, startOutboxWorker } from './worker.ts';

/**
 * A newsletter of 1,500 emails; the server's outbox worker, in a process of its own, is killed with
 * `kill -9` at a random moment ten times over (each time a new one starts), then a fresh worker
 * finishes. Nothing may be lost, and an email may reach the server twice only if it was on its way
 * (handed to the mail server, not yet marked sent) when the worker was killed.
 */
const EMAILS = 1500;
const ROUNDS = 10;
const FROM = 'Brookfield Primary <office@brookfield.test>';
const root = path.resolve(import.meta.dirname, '../../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, test: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!test()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Not within ${timeoutMs / 1000} s: ${what}`);
    await sleep(5);
  }
}

type WorkerProcess = { child: ChildProcess; loaded: Promise<void>; exited: Promise<void> };

/** The server's worker in a process of its own (test/support/outbox-worker-process.ts, bundled), loaded and waiting for "go" on stdin. */
function startWorker(bundle: string, target: DatabaseTarget, smtpUrl: string, journal: string, live: Set<ChildProcess>): WorkerProcess {
  const child = spawn(process.execPath, [bundle, JSON.stringify(target), smtpUrl, journal], {
    cwd: root,
    env: { ...process.env, LEASE_SECONDS: '3', WAIT_FOR_GO: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  live.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      live.delete(child);
      resolve();
    }),
  );
  const loaded = new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('loaded\n')) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`The worker process ended before it loaded (${code ?? signal})`)));
  });
  loaded.catch(() => undefined); // a worker started but never needed is killed unloaded
  return { child, loaded, exited };
}

async function database(dialect: 'sqlite' | 'postgres', dir: string): Promise<{ db: Db; target: DatabaseTarget; close: () => Promise<void> }> {
  if (dialect === 'postgres') return openTestDb('postgres');
  const target: DatabaseTarget = { kind: 'sqlite', path: path.join(dir, 'gatepost.db') };
  const opened = openDatabase(target);
  await migrateToLatest(opened.db);
  return { db: opened.db, target, close: opened.close };
}

let worker: Awaited<ReturnType<typeof bundleOutboxWorker>>;
beforeAll(async () => {
  worker = await bundleOutboxWorker();
});
afterAll(() => worker?.dispose());

describe.each(dialects)('the outbox worker killed mid-newsletter, on %s', (dialect) => {
  it('loses nothing, keeps one Message-ID per email, and sends twice only emails that were on their way at a kill', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatepost-kill-'));
    const { db, target, close } = await database(dialect, dir);
    const sink = await startSmtpSink(0);
    const journal = path.join(dir, 'journal');
    const live = new Set<ChildProcess>();
    fs.writeFileSync(journal, '');
    try {
      await enqueue(
        db,
        Array.from({ length: EMAILS }, (_, i) => ({
          channel: 'email' as const,
          schoolId: null,
          key: `kill:${i}`,
          payload: { to: `carer${i}@families.test`, subject: `Newsletter ${i}`, text: 'News' },
        })),
        new Date(),
      );
      const rows = await db.selectFrom('outbox').select(['id', 'recipient']).execute();
      const rounds: { afterEmails: number; onTheirWay: Set<string> }[] = [];
      // Starting a worker process takes longer than the emails it sends before the kill: each next one
      // loads while the last one sends, and is let go only once the last one is dead (one worker at a time).
      const start = () => startWorker(worker.file, target, sink.url, journal, live);
      let next = start();
      for (let round = 0; round < ROUNDS; round++) {
        const received = sink.messages.length;
        const tried = fs.readFileSync(journal, 'utf8').split('\n').filter(Boolean).length;
        const current = next;
        await current.loaded;
        current.child.stdin!.write('go\n');
        if (round + 1 < ROUNDS) next = start();
        // Killed at a random point counted in emails, not milliseconds: mid-newsletter on any machine.
        const afterEmails = 1 + Math.floor(Math.random() * 60);
        await until(`the worker sends ${afterEmails} emails`, () => sink.messages.length >= received + afterEmails, 30_000);
        current.child.kill('SIGKILL');
        await current.exited;
        // On their way: tried by this worker (its journal) and not marked sent when it died.
        const ids = fs.readFileSync(journal, 'utf8').split('\n').filter(Boolean).slice(tried);
        const sent = ids.length ? await db.selectFrom('outbox').select('id').where('id', 'in', ids).where('status', '=', 'sent').execute() : [];
        const marked = new Set(sent.map((r) => r.id));
        rounds.push({ afterEmails, onTheirWay: new Set(ids.filter((id) => !marked.has(id))) });
      }
      expect(sink.messages.length).toBeLessThan(EMAILS); // the kills came mid-newsletter

      const mailer = createMailer(sink.url, FROM);
      const finisher = startOutboxWorker({ db, clock: () => new Date(), deliver: { email: emailDelivery(mailer) }, ...SERVER_WORKER, leaseSeconds: 3 }, false);
      // Until all is sent, waiting only for the killed workers' claims to run out (3 s).
      for (const deadline = Date.now() + 20_000; ;) {
        await finisher.drain();
        const left = await db.selectFrom('outbox').select('id').where('status', '!=', 'sent').execute();
        if (left.length === 0 || Date.now() > deadline) break;
        await sleep(50);
      }
      mailer.close();

      // Nothing lost: every row sent and received, each copy carrying its row's Message-ID.
      const left = await db.selectFrom('outbox').select('id').where('status', '!=', 'sent').execute();
      expect(left).toEqual([]);
      const copies = new Map<string, number>();
      const recipientOf = new Map(rows.map((r) => [r.id, r.recipient]));
      for (const m of sink.messages) {
        const id = /^<(.+)\.gatepost@brookfield\.test>$/.exec(m.messageId ?? '')?.[1];
        expect(id && recipientOf.get(id)).toBe(m.to[0]);
        copies.set(id!, (copies.get(id!) ?? 0) + 1);
      }
      expect(rows.filter((r) => !copies.has(r.id))).toEqual([]);
      // Twice only if on its way at a kill; never more emails on their way than deliveries in flight.
      const twice = [...copies].filter(([, n]) => n > 1).map(([id]) => id);
      for (const id of twice) expect(copies.get(id)! - 1).toBeLessThanOrEqual(rounds.filter((r) => r.onTheirWay.has(id)).length);
      for (const r of rounds) expect(r.onTheirWay.size).toBeLessThanOrEqual(SERVER_WORKER.concurrency);
      console.log(
        `kill -9 on ${dialect}: ${EMAILS} emails, ${ROUNDS} kills, 0 lost, ${twice.length} delivered twice; on their way at each kill: ${rounds
          .map((r) => `${r.onTheirWay.size} (after ${r.afterEmails} emails, ${twice.filter((id) => r.onTheirWay.has(id)).length} twice)`)
          .join(', ')}`,
      );
    } finally {
      for (const child of live) child.kill('SIGKILL');
      await sink.close();
      await close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
