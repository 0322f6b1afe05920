import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dialects, openTestDb, type TestDb } from '../../../test/support/db.ts';
import { claimDue, enqueue, markFailed } from './outbox.ts';
import { recordReceipt } from './receipts.ts';

const text = (n: number) => ({ channel: 'sms' as const, schoolId: null, key: `m1:c${n}`, payload: { to: `0770090000${n}`, text: 'School closed today' } });

/** Delivery receipts meet rows the worker is still sending, or means to send again. */
describe.each(dialects)('text delivery receipts on %s', (dialect) => {
  let t: TestDb;
  const now = new Date('2026-11-23T09:00:00Z');
  const later = new Date('2026-11-23T09:00:05Z');
  beforeAll(async () => {
    t = await openTestDb(dialect);
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    await t.db.deleteFrom('outbox').execute();
  });
  const row = async () => t.db.selectFrom('outbox').select(['id', 'status', 'sent_at', 'delivered_at', 'last_error', 'provider_ref', 'claimed_until']).executeTakeFirstOrThrow();

  it('a text delivered before the worker marked it sent is sent, and the worker cannot undo that', async () => {
    await enqueue(t.db, [text(1)], now);
    const [claimed] = await claimDue(t.db, 'sms', 10, now);
    expect(await recordReceipt(t.db, { outboxId: claimed!.id, providerRef: 'SM1', outcome: 'delivered', reason: null }, later)).toBe(true);
    await markFailed(t.db, claimed!, 'a late timeout', false, later);
    expect(await row()).toEqual({ id: claimed!.id, status: 'sent', sent_at: later.toISOString(), delivered_at: later.toISOString(), last_error: null, provider_ref: 'SM1', claimed_until: null });
  });

  it('a text that timed out on our side but did reach the phone is never sent again', async () => {
    await enqueue(t.db, [text(2)], now);
    const [claimed] = await claimDue(t.db, 'sms', 10, now);
    await markFailed(t.db, claimed!, 'Twilio did not answer within 10000 ms', false, now);
    expect((await row()).status).toBe('pending');
    await recordReceipt(t.db, { outboxId: claimed!.id, providerRef: 'SM2', outcome: 'delivered', reason: null }, later);
    expect(await claimDue(t.db, 'sms', 10, new Date('2026-11-23T10:00:00Z'))).toEqual([]);
    expect((await row()).status).toBe('sent');
  });

  it('the first final outcome stands; "on its way" only keeps the provider id; email rows are not touched', async () => {
    await enqueue(t.db, [text(3), { channel: 'email', schoolId: null, key: 'm1:e', payload: { to: 'a@families.test', subject: 'x', text: 'x' } }], now);
    const rows = await t.db.selectFrom('outbox').select(['id', 'channel']).execute();
    const sms = rows.find((r) => r.channel === 'sms')!.id;
    const email = rows.find((r) => r.channel === 'email')!.id;
    expect(await recordReceipt(t.db, { outboxId: sms, providerRef: 'SM3', outcome: 'on_its_way', reason: null }, now)).toBe(true);
    expect(await recordReceipt(t.db, { outboxId: sms, providerRef: 'SM3', outcome: 'failed', reason: 'Number rejected: the number is not in use' }, now)).toBe(true);
    expect(await recordReceipt(t.db, { outboxId: sms, providerRef: 'SM3', outcome: 'failed', reason: 'Number rejected: the number is not in use' }, later)).toBe(false);
    expect(await recordReceipt(t.db, { outboxId: sms, providerRef: 'SM3', outcome: 'delivered', reason: null }, later)).toBe(false);
    expect(await recordReceipt(t.db, { outboxId: email, providerRef: 'SM9', outcome: 'delivered', reason: null }, later)).toBe(false);
    const after = await t.db.selectFrom('outbox').select(['id', 'status', 'last_error', 'delivered_at']).where('id', '=', sms).executeTakeFirstOrThrow();
    expect(after).toEqual({ id: sms, status: 'failed', last_error: 'Number rejected: the number is not in use', delivered_at: null });
  });
});
