import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { startFakeSms, type FakeReceipt, type FakeSms } from '../../../test/support/fake-sms.ts';
import { enqueue } from '../../platform/outbox/outbox.ts';

const closure = { kind: 'urgent', audience_kind: 'school', subject: 'Closed today', body: 'The school is closed today because the heating has failed. Please keep your child at home.' };

async function sendUrgent(t: TestApp): Promise<string> {
  const head = await t.as('staff', t.fx.staff.head);
  const saved = await head.post('/messages/new', closure);
  const page = saved.headers.location as string;
  const sent = await head.post(`${page}/send`);
  expect(sent.statusCode).toBe(303);
  return page.split('/').pop()!;
}

const outboxOf = (t: TestApp, messageId: string) =>
  t.db
    .selectFrom('outbox')
    .innerJoin('message_recipients as mr', 'mr.id', 'outbox.ref')
    .select(['outbox.id', 'outbox.channel', 'outbox.recipient', 'outbox.status', 'outbox.last_error', 'outbox.delivered_at', 'outbox.provider_ref'])
    .where('mr.message_id', '=', messageId)
    .orderBy('outbox.recipient')
    .execute();
// Receipts only ever touch texts; the emails of the same notice may still be going out meanwhile.
const textsOf = async (t: TestApp, messageId: string) => (await outboxOf(t, messageId)).filter((r) => r.channel === 'sms');

describe.each(dialects)('an urgent notice with no text message service on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('says before sending that texts cannot go, names who to phone, and queues no text at all', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const saved = await head.post('/messages/new', closure);
    const preview = await head.get(saved.headers.location as string);
    expect(preview.body).toContain('Texts cannot go: no text message service is set up for Gatepost. This notice will go by email and in Gatepost instead.');
    expect(preview.body).toContain('1 parent or carer has a mobile but no email, so would only have heard by text. Phone them:');
    expect(preview.body).toContain('<li><bdi>Faduma Warsame</bdi></li>');
    expect(preview.body).not.toContain('The text message is');
    expect(preview.body).not.toMatch(/\d+ by text/);

    const id = (saved.headers.location as string).split('/').pop()!;
    const sent = await head.post(`/messages/${id}/send`);
    const page = await head.get(sent.headers.location as string);
    expect(page.body).toContain('Sent by email and in Gatepost. No texts were sent: no text message service is set up.');
    expect(page.body).toContain('None: no text message service is set up');
    const rows = await outboxOf(t, id);
    expect(rows.filter((r) => r.channel === 'sms')).toEqual([]);
    expect(rows.filter((r) => r.channel === 'email').length).toBeGreaterThan(0);
    // Faduma (mobile only) still finds it in Gatepost.
    const faduma = await t.as('carer', t.fx.carers.faduma);
    expect((await faduma.get('/inbox')).body).toContain('Closed today');
    // In her words, not the staff's menu of kinds.
    const read = (await faduma.get(`/inbox/${id}`)).body;
    expect(read).toContain('<span class="govuk-caption-m">Urgent ·');
    expect(read).not.toContain('for example, a closure');
  });

  it('says so when texts queued earlier (before the provider was removed) are waiting and cannot go', async () => {
    const id = await sendUrgent(t);
    const faduma = await t.db.selectFrom('message_recipients').select('id').where('message_id', '=', id).where('carer_id', '=', t.fx.carers.faduma).executeTakeFirstOrThrow();
    await enqueue(t.db, [{ channel: 'sms', schoolId: t.fx.school.id, key: `msg:${id}:${t.fx.carers.faduma}`, ref: faduma.id, payload: { to: '07700900005', text: 'Closed today' } }], new Date());
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.get(`/messages/${id}`)).body).toContain('1 waiting (they cannot go: no text message service is set up)');
  });
});

describe.each(dialects)('urgent texts through Twilio, with delivery receipts, on %s', (dialect) => {
  let t: TestApp;
  let fake: FakeSms;
  let messageId: string;
  const post = (r: FakeReceipt) => {
    const url = new URL(r.url);
    return t.app.inject({ method: 'POST', url: url.pathname + url.search, headers: r.headers, payload: r.payload });
  };
  const sidFor = (number: string) => fake.received.find((r) => r.to === number)!.sid;

  beforeAll(async () => {
    fake = await startFakeSms();
    t = await startTestApp(dialect, { env: fake.env });
    messageId = await sendUrgent(t);
    await t.worker.drain();
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('texts every carer with a mobile in E.164, asking Twilio to report back on each outbox row', async () => {
    const rows = (await outboxOf(t, messageId)).filter((r) => r.channel === 'sms');
    expect(fake.received.map((r) => r.to).sort()).toEqual(['+447700900001', '+447700900002', '+447700900005']);
    for (const r of rows) {
      const text = fake.received.find((x) => x.to === `+44${r.recipient.slice(1)}`)!;
      expect(text.statusCallback).toBe(`http://gatepost.test/sms/receipts?outbox=${r.id}`);
      expect(text.from).toBe('School');
      expect(r.status).toBe('sent');
    }
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.get(`/messages/${messageId}`)).body).toContain('0 delivered to phones, 3 sent with no delivery report yet, 0 waiting, 0 failed');
  });

  it("updates the outbox from Twilio's receipts: delivered, and a dead number shown as 'Number rejected' on the reach", async () => {
    expect((await post(fake.receipt(sidFor('+447700900001'), 'sent'))).statusCode).toBe(204);
    expect((await post(fake.receipt(sidFor('+447700900001'), 'delivered'))).statusCode).toBe(204);
    expect((await post(fake.receipt(sidFor('+447700900002'), 'undelivered', '30005'))).statusCode).toBe(204);
    const rows = await outboxOf(t, messageId);
    const marta = rows.find((r) => r.recipient === '07700900001')!;
    const tomasz = rows.find((r) => r.recipient === '07700900002')!;
    expect(marta).toMatchObject({ status: 'sent', provider_ref: sidFor('+447700900001') });
    expect(marta.delivered_at).not.toBeNull();
    expect(tomasz).toMatchObject({ status: 'failed', delivered_at: null, last_error: 'Number rejected: the number is not in use (Twilio: undelivered, error 30005)' });
    const head = await t.as('staff', t.fx.staff.head);
    const page = await head.get(`/messages/${messageId}`);
    expect(page.body).toContain('1 delivered to phones, 1 sent with no delivery report yet, 0 waiting, 1 failed');
    expect(page.body).toContain('Text: Number rejected: the number is not in use (Twilio: undelivered, error 30005)');
  });

  it('takes the same receipt twice, or a late one out of order, without changing anything', async () => {
    const before = await textsOf(t, messageId);
    expect((await post(fake.receipt(sidFor('+447700900001'), 'delivered'))).statusCode).toBe(204);
    expect((await post(fake.receipt(sidFor('+447700900001'), 'undelivered', '30003'))).statusCode).toBe(204);
    expect((await post(fake.receipt(sidFor('+447700900002'), 'undelivered', '30005'))).statusCode).toBe(204);
    expect((await post(fake.receipt(sidFor('+447700900002'), 'delivered'))).statusCode).toBe(204);
    expect(await textsOf(t, messageId)).toEqual(before);
  });

  it('believes only receipts signed with our Twilio Auth Token', async () => {
    const before = await textsOf(t, messageId);
    const genuine = fake.receipt(sidFor('+447700900005'), 'undelivered', '30005');
    const altered = { ...genuine, payload: genuine.payload.replace('undelivered', 'delivered') };
    const unsigned = { ...genuine, headers: { 'content-type': genuine.headers['content-type']! } };
    const forged = { ...genuine, headers: { ...genuine.headers, 'x-twilio-signature': 'RSOYDt4T1cUTdK1PDd93/VVr8B8=' } };
    for (const r of [altered, unsigned, forged]) expect((await post(r)).statusCode).toBe(403);
    // Signed for another address (the same receipt replayed against another outbox row).
    const other = before.find((r) => r.channel === 'sms' && r.recipient === '07700900001')!;
    const replayed = await t.app.inject({ method: 'POST', url: `/sms/receipts?outbox=${other.id}`, headers: genuine.headers, payload: genuine.payload });
    expect(replayed.statusCode).toBe(403);
    expect(await textsOf(t, messageId)).toEqual(before);
  });
});
