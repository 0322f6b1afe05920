import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { emailDelivery } from '../channels/deliver.ts';
import { enqueue } from './outbox.ts';
import { startOutboxWorker } from './worker.ts';

/**
 * The mail server goes down at 09:00 with a sign-in link waiting: /health shows the backlog and its
 * age, and after five minutes the head and the office see "Emails are not going out" on every page;
 * others do not. When the server is back and the email has gone, the banner goes.
 */
describe.each(dialects)('emails not going out, on %s', (dialect) => {
  let t: TestApp;
  let now = new Date('2026-11-23T09:00:00Z');
  const banner = 'Emails are not going out';
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => now });
  });
  afterAll(async () => {
    await t?.close();
  });

  const health = async () => JSON.parse((await t.anonymous().get('/health')).body);
  const page = async (who: string, schoolId = t.fx.school.id) => (await (await t.as('staff', who, schoolId)).get('/')).body;
  const later = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  it('reports the backlog on /health and warns the head and the office after five minutes', async () => {
    await t.sink.stop();
    const before = await health();
    expect(before).toMatchObject({ ok: true, outbox: { email: { backlog: 0, oldest_waiting_seconds: null }, sms: { backlog: 0 } } });

    await enqueue(t.db, [{ channel: 'email', schoolId: t.fx.school.id, key: 'signin:1', payload: { to: 'marta@families.test', subject: 'Your sign-in link', text: 'Link' } }], now);
    t.worker.poke();
    later(4 * 60_000);
    expect(await page(t.fx.staff.head)).not.toContain(banner);

    later(2 * 60_000);
    const waiting = await health();
    expect(waiting.outbox.email).toMatchObject({ backlog: 1, oldest_waiting_seconds: 360 });
    expect(JSON.stringify(waiting)).not.toContain('marta'); // figures only
    const head = await page(t.fx.staff.head);
    expect(head).toContain(banner);
    expect(head).toContain('written 6 minutes ago');
    expect(await page(t.fx.staff.office)).toContain(banner);
    expect(await page(t.fx.staff.teacher)).not.toContain(banner);
    expect(await page(t.fx.staff.otherHead, t.fx.other.id)).not.toContain(banner); // another school's emails are going

    await t.sink.start();
    const worker = startOutboxWorker({ db: t.db, clock: () => now, deliver: { email: emailDelivery(t.mailer) } }, false);
    await worker.drain();
    await t.sink.waitFor('marta@families.test');
    later(10_000);
    expect(await page(t.fx.staff.head)).not.toContain(banner);
    const after = await health();
    expect(after.outbox.email).toMatchObject({ backlog: 0, oldest_waiting_seconds: null, last_sent_at: new Date(now.getTime() - 10_000).toISOString() });
  });
});
