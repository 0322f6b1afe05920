import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';
import type { MessageKind } from '../../db/schema.ts';
import { insertInChunks } from '../../db/insert-in-chunks.ts';
import { planWithoutStatistics } from '../../db/query-plan.ts';
import { listMessages, messagesPageStatement } from './queries.ts';
import { dueMessagesStatement, sendContextFor, sendDueMessages, sendMessage, type SendContext } from './send.ts';
import type { Audience } from './audience.ts';

describe.each(dialects)('sending a message on %s', (dialect) => {
  let t: TestApp;
  const ctx = (): SendContext => ({ baseUrl: 'http://gatepost.test', schoolName: 'Brookfield Primary School', today: '2026-11-23', now: new Date(), textsCanGo: true });
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  async function draft(kind: MessageKind, audience: Audience, extra: { subject?: string; body?: string } = {}) {
    const id = newId();
    const now = new Date().toISOString();
    await t.db
      .insertInto('messages')
      .values({
        id,
        school_id: t.fx.school.id,
        kind,
        tone: 'information',
        subject: extra.subject ?? 'Harvest festival',
        body: extra.body ?? 'Please bring a tin for the food bank.',
        audience_json: JSON.stringify(audience),
        asks_acknowledgement: 0,
        status: 'draft',
        scheduled_for: null,
        sent_at: null,
        created_by: t.fx.staff.head,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return id;
  }

  it('sends a whole-school newsletter once per carer, naming their children, with a copy to the parent apart and nothing to the restricted father', async () => {
    t.sink.messages.length = 0;
    const id = await draft('newsletter', { kind: 'school' });
    const result = await sendMessage(t.db, { kind: 'staff', id: t.fx.staff.head, schoolId: t.fx.school.id }, t.fx.school.id, id, ctx());
    const rows = await t.db
      .selectFrom('message_recipients')
      .innerJoin('carers', 'carers.id', 'message_recipients.carer_id')
      .select(['carers.given_name', 'pupil_names', 'channels'])
      .where('message_id', '=', id)
      .execute();
    const by = new Map(rows.map((r) => [r.given_name, r]));
    expect(by.get('Marta')?.pupil_names).toBe('Aleksandra, Jakub');
    expect(by.get('Tomasz')?.pupil_names).toBe('Aleksandra, Jakub');
    expect(by.has('Mark')).toBe(false);
    expect(by.get('Faduma')?.channels).toBe('app,paper');
    expect(result.recipients).toBe(rows.length);

    const marta = await t.sink.waitFor('marta@families.test');
    expect(marta.subject).toBe('Aleksandra and Jakub: Harvest festival');
    expect(marta.text).toContain('Please bring a tin');
    expect(marta.text).toMatch(/http:\/\/gatepost\.test\/m\/\S+\/stop-emails/);
    await t.sink.waitFor('tomasz@families.test');
    // Every send is an outbox row written with the message: none for Mark means no email, now or later.
    expect(await t.db.selectFrom('outbox').select('id').where('recipient', '=', 'mark@families.test').execute()).toEqual([]);
  });

  it('sends a message only once, however often Send is pressed', async () => {
    const id = await draft('letter', { kind: 'classes', classIds: [t.fx.classes.y3] });
    const actor = { kind: 'staff' as const, id: t.fx.staff.head, schoolId: t.fx.school.id };
    const results = await Promise.allSettled([sendMessage(t.db, actor, t.fx.school.id, id, ctx()), sendMessage(t.db, actor, t.fx.school.id, id, ctx())]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const outbox = await t.db.selectFrom('outbox').select('idempotency_key').where('idempotency_key', 'like', `email:msg:${id}:%`).execute();
    expect(new Set(outbox.map((o) => o.idempotency_key)).size).toBe(outbox.length);
  });

  it('refuses a message whose audience resolves to nobody, and leaves it a draft', async () => {
    const id = await draft('newsletter', { kind: 'years', years: ['6'] });
    await expect(sendMessage(t.db, { kind: 'staff', id: t.fx.staff.head, schoolId: t.fx.school.id }, t.fx.school.id, id, ctx())).rejects.toThrow('would reach nobody');
    const m = await t.db.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(m.status).toBe('draft');
  });

  it('texts an urgent closure to every carer with a mobile, whatever their preferences', async () => {
    const id = await draft('urgent', { kind: 'school' }, { subject: 'School closed today', body: 'Snow: the school is closed today, Tuesday.' });
    await sendMessage(t.db, { kind: 'staff', id: t.fx.staff.head, schoolId: t.fx.school.id }, t.fx.school.id, id, ctx());
    const sms = await t.db.selectFrom('outbox').select(['recipient', 'payload_json']).where('channel', '=', 'sms').where('idempotency_key', 'like', `sms:msg:${id}:%`).execute();
    expect(sms.map((s) => s.recipient).sort()).toEqual(['07700900001', '07700900002', '07700900005']);
    expect(JSON.parse(sms[0]!.payload_json).text).toBe('Brookfield Primary School: Snow: the school is closed today, Tuesday.');
  });

  it('sends a scheduled message when its time comes, and not before', async () => {
    const id = await draft('newsletter', { kind: 'classes', classIds: [t.fx.classes.y4] }, { subject: 'Friday news' });
    await t.db.updateTable('messages').set({ status: 'scheduled', scheduled_for: '2026-11-27T16:00:00.000Z' }).where('id', '=', id).execute();
    const ctxFor = (schoolId: string) => sendContextFor(t.db, schoolId, 'http://gatepost.test', new Date('2026-11-27T16:00:30Z'));
    expect(await sendDueMessages(t.db, ctxFor, new Date('2026-11-27T15:59:00Z'))).toBe(0);
    expect(await sendDueMessages(t.db, ctxFor, new Date('2026-11-27T16:00:30Z'))).toBe(1);
    expect(await sendDueMessages(t.db, ctxFor, new Date('2026-11-27T16:01:00Z'))).toBe(0);
    const m = await t.db.selectFrom('messages').select(['status']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(m.status).toBe('sent');
    expect(await t.db.selectFrom('message_recipients').select('carer_id').where('message_id', '=', id).execute()).toHaveLength(1); // Grace; Leo's social worker lives apart and has not asked for copies
  });

  it('among years of sent messages, finds the scheduled ones due without reading the others (every half minute)', async () => {
    const at = '2025-09-01T08:00:00.000Z';
    const years = Array.from({ length: 10_000 }, (_, i) => ({
      id: newId(),
      school_id: t.fx.school.id,
      kind: 'praise' as const,
      tone: 'information' as const,
      subject: `Well done ${i}`,
      body: '-',
      audience_json: '{}',
      asks_acknowledgement: 0 as const,
      status: 'sent' as const,
      scheduled_for: i % 10 ? null : at,
      sent_at: at,
      created_by: t.fx.staff.head,
      created_at: at,
      updated_at: at,
    }));
    await insertInChunks(t.db, 'messages', years);
    const id = await draft('newsletter', { kind: 'classes', classIds: [t.fx.classes.y4] }, { subject: 'Spring news' });
    await t.db.updateTable('messages').set({ status: 'scheduled', scheduled_for: '2027-01-08T16:00:00.000Z' }).where('id', '=', id).execute();

    // A school that began empty: no statistics about its messages (SQLite gathers none unless asked).
    const plan = (await planWithoutStatistics(t.db, dueMessagesStatement(t.db, new Date('2027-01-08T16:00:30Z')).compile())).join('\n');
    expect(plan).toMatch(/messages_scheduled_due/);
    expect(plan).not.toMatch(/SCAN messages|Seq Scan on messages/);

    expect((await dueMessagesStatement(t.db, new Date('2027-01-08T15:59:00Z')).execute()).map((m) => m.id)).toEqual([]);
    expect((await dueMessagesStatement(t.db, new Date('2027-01-08T16:00:30Z')).execute()).map((m) => m.id)).toEqual([id]);
  });

  it('shows the messages page’s newest hundred from an index, not by sorting every message the school has sent', async () => {
    // (After the test above: ten thousand messages from last year, then this term's.)
    for (const onlyBy of [null, t.fx.staff.head]) {
      const plan = (await planWithoutStatistics(t.db, messagesPageStatement(t.db, t.fx.school.id, onlyBy).compile())).join('\n');
      // SQLite without statistics sorted them all; PostgreSQL chooses by its statistics (autovacuum keeps them).
      expect(plan).toMatch(/SEARCH messages USING INDEX messages_school_updated|Index Scan|Bitmap Index Scan/);
      expect(plan).not.toMatch(/TEMP B-TREE|SCAN messages|Seq Scan on messages/);
    }
    const page = await listMessages(t.db, t.fx.school.id, null);
    expect(page).toHaveLength(100);
    expect(page[0]!.subject).toBe('Spring news'); // the newest change
    expect(page.map((m) => m.updated_at)).toEqual(
      page
        .map((m) => m.updated_at)
        .sort()
        .reverse(),
    );
    expect(await listMessages(t.db, t.fx.other.id, null)).toEqual([]);
  });
});
