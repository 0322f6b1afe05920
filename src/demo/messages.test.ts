import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestDb, type TestDb } from '../../test/support/db.ts';
import type { Db } from '../db/database.ts';
import { notReachedList } from '../features/messages/not-reached-queries.ts';
import { loadDemoSchool } from './demo-school.ts';
import { CARER_EMAILS } from './people.ts';
import { READS_UNTIL } from './term-letters.ts';

const NOW = new Date('2026-11-23T08:30:00.000Z');
const OCTOBER = '2026-10-01T00:00:00.000Z';

async function carerId(db: Db, email: string): Promise<string> {
  return (await db.selectFrom('carers').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

async function pupilId(db: Db, preferred: string): Promise<string> {
  return (
    await db
      .selectFrom('pupils')
      .select('id')
      .where((eb) => eb.or([eb('preferred_name', '=', preferred), eb('given_name', '=', preferred)]))
      .executeTakeFirstOrThrow()
  ).id;
}

/** Families as the links make them: carers joined through the children they share. */
async function families(db: Db): Promise<string[][]> {
  const links = await db.selectFrom('carer_pupils').select(['carer_id', 'pupil_id']).execute();
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    if (!parent.has(x)) parent.set(x, x);
    const p = parent.get(x)!;
    if (p === x) return x;
    const root = find(p);
    parent.set(x, root);
    return root;
  };
  for (const l of links) parent.set(find(l.carer_id), find(l.pupil_id));
  const byRoot = new Map<string, string[]>();
  for (const carer of new Set(links.map((l) => l.carer_id))) byRoot.set(find(carer), [...(byRoot.get(find(carer)) ?? []), carer]);
  return [...byRoot.values()];
}

describe.each(dialects)("the demo school's autumn term of messages on %s", (dialect) => {
  let t: TestDb;
  let db: Db;

  beforeAll(async () => {
    t = await openTestDb(dialect);
    db = t.db;
    await loadDemoSchool(db, { now: NOW });
  });
  afterAll(async () => t?.close());

  it('has every kind of message, sent in the autumn term by the staff who wrote them', async () => {
    const sent = await db
      .selectFrom('messages')
      .innerJoin('staff', 'staff.id', 'messages.created_by')
      .select(['messages.id', 'messages.kind', 'messages.sent_at', 'messages.asks_acknowledgement', 'messages.audience_json', 'staff.family_name'])
      .where('messages.status', '=', 'sent')
      .execute();
    const ofKind = (k: string) => sent.filter((m) => m.kind === k);
    expect(ofKind('newsletter').length).toBeGreaterThanOrEqual(10);
    expect(ofKind('newsletter').every((m) => m.family_name === 'Patel' && JSON.parse(m.audience_json).kind === 'school')).toBe(true);
    expect(new Set(ofKind('class_newsletter').map((m) => m.family_name)).size).toBeGreaterThanOrEqual(4);
    expect(ofKind('class_newsletter').some((m) => m.family_name === 'Okafor')).toBe(true);
    expect(ofKind('letter').some((m) => m.asks_acknowledgement === 1)).toBe(true);
    expect(ofKind('praise').length).toBeGreaterThanOrEqual(10);
    expect(ofKind('praise').filter((m) => m.family_name === 'Okafor').length).toBeGreaterThanOrEqual(5);
    expect(new Set(ofKind('praise').map((m) => m.family_name)).size).toBeGreaterThanOrEqual(4);
    expect(ofKind('urgent')).toHaveLength(1);
    expect(ofKind('individual')).toHaveLength(1);
    // All this term, but the summer newsletter of the school year before last, past its date (retention.ts).
    const before = sent.filter((m) => m.sent_at! < '2026-09-01');
    expect(before.map((m) => [m.kind, m.sent_at])).toEqual([['newsletter', '2025-07-10T08:00:00.000Z']]);
    for (const m of sent.filter((m) => !before.includes(m))) expect(m.sent_at! >= '2026-09-01' && m.sent_at! < '2026-11-23', `${m.kind} sent ${m.sent_at}`).toBe(true);

    const audit = await db.selectFrom('audit_log').select(['actor_kind', 'entity_id']).where('action', '=', 'message.sent').execute();
    expect(audit).toHaveLength(sent.length);
    expect(audit.every((a) => a.actor_kind === 'staff')).toBe(true);
  });

  it('texted the heating-failure closure before 7am to every carer with a mobile, and closed the school that day', async () => {
    const urgent = await db.selectFrom('messages').selectAll().where('kind', '=', 'urgent').executeTakeFirstOrThrow();
    const local = DateTime.fromISO(urgent.sent_at!, { zone: 'Europe/London' });
    expect(local.hour).toBeLessThan(7);
    const texts = await db
      .selectFrom('outbox')
      .innerJoin('message_recipients', 'message_recipients.id', 'outbox.ref')
      .select('outbox.recipient')
      .where('message_recipients.message_id', '=', urgent.id)
      .where('outbox.channel', '=', 'sms')
      .execute();
    const withMobile = await db
      .selectFrom('message_recipients')
      .innerJoin('carers', 'carers.id', 'message_recipients.carer_id')
      .select('carers.id')
      .where('message_id', '=', urgent.id)
      .where('carers.mobile', 'is not', null)
      .execute();
    expect(texts.length).toBe(withMobile.length);
    expect(texts.length).toBeGreaterThan(250);
    const closure = await db.selectFrom('school_closures').select('reason').where('starts_on', '=', local.toISODate()!).executeTakeFirstOrThrow();
    expect(closure.reason).toMatch(/heating/i);
  });

  it('has the 13 November newsletter in Polish and Urdu, typed in by Ms Byrne and checked by Mrs Patel; and a machine Romanian one not yet checked', async () => {
    const translations = await db
      .selectFrom('message_translations')
      .innerJoin('messages', 'messages.id', 'message_translations.message_id')
      .select([
        'messages.subject as english',
        'message_translations.language',
        'message_translations.source',
        'message_translations.status',
        'message_translations.written_by',
        'message_translations.checked_by',
        'message_translations.body',
      ])
      .execute();
    const staff = new Map((await db.selectFrom('staff').select(['id', 'family_name']).execute()).map((s) => [s.id, s.family_name]));
    // Marta's volunteer translation of a draft newsletter is Polish too (events.ts): pick the 13 November one.
    const polish = translations.find((t) => t.language === 'Polish' && t.english === 'Friday newsletter: 13 November')!;
    expect(polish).toMatchObject({ source: 'person', status: 'checked' });
    expect([staff.get(polish.written_by!), staff.get(polish.checked_by!)]).toEqual(['Byrne', 'Patel']);
    expect(polish.body).toContain('Drodzy Rodzice');
    expect(translations.find((t) => t.language === 'Urdu')).toMatchObject({ source: 'person', status: 'checked', english: polish.english });
    const romanian = translations.find((t) => t.language === 'Romanian')!;
    expect(romanian).toMatchObject({ source: 'machine', status: 'written', checked_by: null });
    expect(romanian.english).not.toBe(polish.english);

    const marta = await carerId(db, CARER_EMAILS.marta);
    const row = await db
      .selectFrom('message_recipients')
      .innerJoin('messages', 'messages.id', 'message_recipients.message_id')
      .select(['message_recipients.language', 'message_recipients.id'])
      .where('messages.subject', '=', polish.english)
      .where('carer_id', '=', marta)
      .executeTakeFirstOrThrow();
    expect(row.language).toBe('Polish');
    const email = await db.selectFrom('outbox').select('payload_json').where('ref', '=', row.id).where('channel', '=', 'email').executeTakeFirstOrThrow();
    expect(JSON.parse(email.payload_json).text).toContain('Drodzy Rodzice');
  });

  it("sends Kuba's praise to both his parents, and tells Mark Dean nothing about Lily", async () => {
    const kuba = await pupilId(db, 'Kuba');
    const lily = await pupilId(db, 'Lily');
    const marta = await carerId(db, CARER_EMAILS.marta);
    const tomasz = await carerId(db, CARER_EMAILS.tomasz);
    const mark = await carerId(db, CARER_EMAILS.mark);
    const sarah = await carerId(db, CARER_EMAILS.sarah);
    const praiseFor = async (pupil: string) =>
      db
        .selectFrom('message_recipients')
        .innerJoin('messages', 'messages.id', 'message_recipients.message_id')
        .select(['message_recipients.carer_id', 'message_recipients.pupil_ids'])
        .where('messages.kind', '=', 'praise')
        .where('message_recipients.pupil_ids', 'like', `%${pupil}%`)
        .execute();
    const kubas = await praiseFor(kuba);
    expect(kubas.filter((r) => r.carer_id === marta).length).toBeGreaterThanOrEqual(2);
    expect(kubas.filter((r) => r.carer_id === tomasz).length).toBe(kubas.filter((r) => r.carer_id === marta).length);
    expect((await praiseFor(lily)).map((r) => r.carer_id)).toContain(sarah);

    const aboutLily = await db.selectFrom('message_recipients').select('id').where('pupil_ids', 'like', `%${lily}%`).execute();
    expect(aboutLily.length).toBeGreaterThan(10);
    expect(await db.selectFrom('message_recipients').select('id').where('carer_id', '=', mark).where('pupil_ids', 'like', `%${lily}%`).execute()).toEqual([]);
    expect(await db.selectFrom('message_recipients').select('id').where('carer_id', '=', mark).execute()).toEqual([]);
    // Nothing since his court order (15 January 2026); the September 2025 survey reached him before it.
    expect(await db.selectFrom('outbox').select('id').where('recipient', '=', CARER_EMAILS.mark).where('created_at', '>=', '2026-01-15').execute()).toEqual([]);
  });

  it('sent to the PTA group, and has a reading partners group', async () => {
    const groups = await db
      .selectFrom('carer_groups')
      .leftJoin('carer_group_members', 'carer_group_members.group_id', 'carer_groups.id')
      .select(['carer_groups.id', 'carer_groups.name', (eb) => eb.fn.count('carer_group_members.carer_id').as('n')])
      .groupBy(['carer_groups.id', 'carer_groups.name'])
      .execute();
    expect(groups.map((g) => g.name).sort()).toEqual(['PTA', 'Reading partners']);
    for (const g of groups) expect(Number(g.n)).toBeGreaterThanOrEqual(5);
    const pta = groups.find((g) => g.name === 'PTA')!;
    const toPta = await db
      .selectFrom('messages')
      .select('id')
      .where('audience_json', '=', JSON.stringify({ kind: 'group', groupId: pta.id }))
      .where('status', '=', 'sent')
      .execute();
    expect(toPta).toHaveLength(1);
    const received = await db.selectFrom('message_recipients').select('pupil_ids').where('message_id', '=', toPta[0]!.id).execute();
    expect(received.length).toBe(Number(pta.n));
    expect(received.every((r) => r.pupil_ids === '')).toBe(true);
  });

  it('has next Friday’s newsletter scheduled for 4pm and a draft, neither with anything queued', async () => {
    const waiting = await db.selectFrom('messages').selectAll().where('status', '!=', 'sent').execute();
    const scheduled = waiting.find((m) => m.status === 'scheduled')!;
    expect(scheduled.kind).toBe('newsletter');
    const at = DateTime.fromISO(scheduled.scheduled_for!, { zone: 'Europe/London' });
    expect([at.weekdayLong, at.toFormat('HH:mm'), at.toISODate()]).toEqual(['Friday', '16:00', '2026-11-27']);
    // The letter still being written, and the newsletter whose Polish Marta wrote as a volunteer.
    expect(waiting.filter((m) => m.status === 'draft')).toHaveLength(2);
    for (const m of waiting) {
      expect(m.sent_at).toBeNull();
      expect(await db.selectFrom('message_recipients').select('id').where('message_id', '=', m.id).execute()).toEqual([]);
    }
  });

  it('has a draft newsletter with a Polish translation Marta wrote as a volunteer, waiting for a member of staff to check it', async () => {
    const marta = await db.selectFrom('carers').select('id').where('given_name', '=', 'Marta').where('family_name', '=', 'Nowak').executeTakeFirstOrThrow();
    const translation = await db
      .selectFrom('message_translations')
      .innerJoin('messages', 'messages.id', 'message_translations.message_id')
      .select(['message_translations.status', 'message_translations.written_by', 'message_translations.checked_by', 'message_translations.subject', 'messages.status as messageStatus', 'messages.id'])
      .where('message_translations.written_by_carer', '=', marta.id)
      .executeTakeFirstOrThrow();
    expect(translation).toMatchObject({ status: 'written', written_by: null, checked_by: null, messageStatus: 'draft', subject: 'Biuletyn: zimowe kurtki i biblioteka' });
    const request = await db.selectFrom('translation_requests').select(['status', 'carer_id', 'language']).where('message_id', '=', translation.id).executeTakeFirstOrThrow();
    expect(request).toEqual({ status: 'written', carer_id: marta.id, language: 'Polish' });
    const languages = await db
      .selectFrom('volunteer_languages')
      .innerJoin('volunteers', 'volunteers.id', 'volunteer_languages.volunteer_id')
      .select(['volunteer_languages.language', 'volunteers.status'])
      .where('volunteers.carer_id', '=', marta.id)
      .execute();
    expect(languages).toEqual([{ language: 'Polish', status: 'approved' }]);
  });

  it('sends nothing when the server starts: every row delivered at the time, except one email that bounced', async () => {
    expect(await db.selectFrom('outbox').select('id').where('status', 'in', ['pending', 'sending']).execute()).toEqual([]);
    const failed = await db.selectFrom('outbox').selectAll().where('status', '=', 'failed').execute();
    expect(failed).toHaveLength(1);
    expect(failed[0]!.channel).toBe('email');
    expect(failed[0]!.last_error).toBe(`550 5.1.1 <${failed[0]!.recipient}>: mailbox unavailable`);
    const sent = await db.selectFrom('outbox').select(['sent_at', 'created_at']).where('status', '=', 'sent').execute();
    expect(sent.length).toBeGreaterThan(3000);
    expect(sent.every((s) => s.sent_at === s.created_at)).toBe(true);
  });

  it('has most families reading most messages a few hours after they arrive, and Marta reading everything', async () => {
    const rows = await db
      .selectFrom('message_recipients')
      .innerJoin('messages', 'messages.id', 'message_recipients.message_id')
      .select(['message_recipients.carer_id', 'message_recipients.channels', 'message_recipients.read_at', 'message_recipients.acknowledged_at', 'messages.sent_at', 'messages.asks_acknowledgement'])
      .execute();
    const online = rows.filter((r) => /app|email/.test(r.channels));
    const read = online.filter((r) => r.read_at);
    expect(read.length / online.length).toBeGreaterThan(0.7);
    for (const r of read) {
      expect(r.read_at! > r.sent_at! && r.read_at! <= READS_UNTIL).toBe(true);
      if (r.acknowledged_at) expect(r.acknowledged_at >= r.read_at!).toBe(true);
    }
    const hours = read.map((r) => (Date.parse(r.read_at!) - Date.parse(r.sent_at!)) / 3_600_000).sort((a, b) => a - b);
    expect(hours[Math.floor(hours.length / 2)]).toBeLessThan(12);
    expect(rows.filter((r) => !/app|email/.test(r.channels)).every((r) => r.read_at === null)).toBe(true);

    const marta = await carerId(db, CARER_EMAILS.marta);
    const hers = rows.filter((r) => r.carer_id === marta);
    expect(hers.length).toBeGreaterThan(20);
    expect(hers.every((r) => r.read_at !== null)).toBe(true);
    const trip = hers.filter((r) => r.asks_acknowledgement === 1);
    expect(trip).toHaveLength(1);
    expect(trip[0]!.acknowledged_at).not.toBeNull();
    const acknowledged = rows.filter((r) => r.asks_acknowledgement === 1);
    expect(acknowledged.filter((r) => r.acknowledged_at).length / acknowledged.length).toBeGreaterThan(0.5);
  });

  it('has Faduma’s letters on paper and her closure notice by text', async () => {
    const faduma = await db.selectFrom('carers').select('id').where('given_name', '=', 'Faduma').executeTakeFirstOrThrow();
    const hers = await db
      .selectFrom('message_recipients')
      .innerJoin('messages', 'messages.id', 'message_recipients.message_id')
      .select(['messages.kind', 'message_recipients.channels', 'message_recipients.read_at'])
      .where('carer_id', '=', faduma.id)
      .execute();
    expect(hers.length).toBeGreaterThan(10);
    for (const r of hers) expect(r.channels.split(',')).not.toContain('email');
    expect(hers.filter((r) => r.kind !== 'urgent').every((r) => r.channels.split(',').includes('paper'))).toBe(true);
    expect(hers.find((r) => r.kind === 'urgent')!.channels.split(',')).toContain('sms');
  });

  it('has at least five families, none from JOURNEYS, who have read nothing since 1 October', async () => {
    const since = await db
      .selectFrom('message_recipients')
      .innerJoin('messages', 'messages.id', 'message_recipients.message_id')
      .select(['message_recipients.carer_id', 'message_recipients.channels', 'message_recipients.read_at'])
      .where('messages.sent_at', '>=', OCTOBER)
      .execute();
    const online = new Set(since.filter((r) => /app|email/.test(r.channels)).map((r) => r.carer_id));
    const readers = new Set(since.filter((r) => r.read_at).map((r) => r.carer_id));
    const silent = (await families(db)).filter((f) => f.some((c) => online.has(c)) && !f.some((c) => readers.has(c)));
    expect(silent.length).toBeGreaterThanOrEqual(5);
    expect(silent.length).toBeLessThanOrEqual(8);
    const journey = await db
      .selectFrom('carers')
      .select('id')
      .where((eb) => eb.or([eb('email', 'in', Object.values(CARER_EMAILS)), eb('given_name', '=', 'Faduma')]))
      .execute();
    for (const c of journey) expect(silent.flat()).not.toContain(c.id);
    // They did read something before October: the school knows they can.
    const before = await db.selectFrom('message_recipients').select('carer_id').where('carer_id', 'in', silent.flat()).where('read_at', 'is not', null).execute();
    expect(new Set(before.map((r) => r.carer_id)).size).toBeGreaterThan(0);
  });

  it('has Ms Lewis’s calls to families she works with, Faduma among them', async () => {
    const calls = await db
      .selectFrom('contact_log')
      .innerJoin('staff', 'staff.id', 'contact_log.staff_id')
      .innerJoin('carers', 'carers.id', 'contact_log.carer_id')
      .select(['staff.family_name as staff', 'carers.given_name', 'contact_log.kind', 'contact_log.at', 'contact_log.note'])
      .execute();
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.every((c) => c.staff === 'Lewis' && c.note.length > 20 && c.at < '2026-11-23')).toBe(true);
    expect(calls.some((c) => c.given_name === 'Faduma' && c.kind === 'phone')).toBe(true);
  });

  it('has one gate conversation Ms Lewis passed to the DSL: alerted at the time, read by her and the deputy, no email left to send', async () => {
    const passed = await db.selectFrom('contact_log').select(['id', 'carer_id', 'kind']).where('safeguarding', '=', 1).execute();
    expect(passed).toHaveLength(1);
    expect(passed[0]!.kind).toBe('gate');
    const alerts = await db.selectFrom('staff_alerts').select(['seen_at', 'link']).where('kind', '=', 'safeguarding').where('link', '=', `/carers/${passed[0]!.carer_id}/reach`).execute();
    expect(alerts).toHaveLength(2);
    expect(alerts.every((a) => a.seen_at !== null)).toBe(true);
    const readings = await db.selectFrom('audit_log').select('actor_id').where('action', '=', 'contact.viewed').where('entity_id', '=', passed[0]!.id).execute();
    expect(readings).toHaveLength(2);
    expect(await db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute()).toEqual([]);
  });

  it('has a silent family Ms Lewis rang twice with no answer: still on the not-reached list, which shows her attempts', async () => {
    const tries = await db.selectFrom('contact_log').select(['carer_id', 'school_id']).where('kind', '=', 'no_answer').execute();
    expect(tries).toHaveLength(2);
    const list = await notReachedList(db, tries[0]!.school_id, { now: NOW, today: '2026-11-23', timeZone: 'Europe/London' }, 4);
    const family = list.families.find((f) => f.carerId === tries[0]!.carer_id);
    expect(family).toMatchObject({ reached: { how: 'read' }, attempts: { count: 2, lastBy: 'Ms Lewis' } });
    expect(family!.reasons.map((r) => r.kind)).toContain('nothing_read');
  });
});
