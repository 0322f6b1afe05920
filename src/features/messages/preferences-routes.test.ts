import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';

describe.each(dialects)('carer preferences on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const carer = (id: string) =>
    t.db.selectFrom('carers').select(['channel_email', 'channel_sms', 'channel_app', 'paper_copies', 'preferred_language', 'interpreter_needed']).where('id', '=', id).executeTakeFirstOrThrow();

  it('shows what the school holds and what can be chosen, without offering texts', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const page = await marta.get('/preferences');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('marta@families.test');
    expect(page.body).toContain('07700900001');
    expect(page.body).toContain('tell the office');
    expect(page.body).toContain('Urgent notices such as a closure reach you whatever you choose.');
    expect(page.body).toContain('Text messages are only used for urgent notices');
    expect(page.body).not.toMatch(/name="channel_sms"/);
    expect(page.body).toMatch(/<option value="Polish" selected>/);
    expect(page.body).not.toMatch(/<input[^>]*name="(email|mobile)"/); // shown, not changed here
  });

  it('saves the choices with an audit entry, and later letters follow them', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const saved = await marta.post('/preferences', { channel_app: 'yes', paper_copies: 'yes', preferred_language: 'Polish', interpreter_needed: 'yes' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/preferences?saved=yes');
    expect(await carer(t.fx.carers.marta)).toEqual({ channel_email: 0, channel_sms: 1, channel_app: 1, paper_copies: 1, preferred_language: 'Polish', interpreter_needed: 1 });
    expect((await marta.get('/preferences?saved=yes')).body).toContain('Your choices are saved.');
    const entry = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'carer.preferences_changed').where('entity_id', '=', t.fx.carers.marta).executeTakeFirstOrThrow();
    expect(entry.actor_kind).toBe('carer');
    expect(entry.actor_id).toBe(t.fx.carers.marta);
    expect(JSON.parse(entry.before_json!)).toEqual({ channel_email: 1, paper_copies: 0, interpreter_needed: 0 });
    expect(JSON.parse(entry.after_json!)).toEqual({ channel_email: 0, paper_copies: 1, interpreter_needed: 1 });

    // Saving the same choices again changes nothing and writes no second entry.
    await marta.post('/preferences', { channel_app: 'yes', paper_copies: 'yes', preferred_language: 'Polish', interpreter_needed: 'yes' });
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'carer.preferences_changed').where('entity_id', '=', t.fx.carers.marta).execute()).toHaveLength(1);

    const head = await t.as('staff', t.fx.staff.head);
    const res = await head.post('/messages/new', { kind: 'letter', audience_kind: 'classes', class_ids: t.fx.classes.y3, subject: 'Trip', body: 'Trip on Friday.' });
    const id = (res.headers.location as string).split('/').pop()!;
    await head.post(`/messages/${id}/send`);
    const row = await t.db.selectFrom('message_recipients').select('channels').where('message_id', '=', id).where('carer_id', '=', t.fx.carers.marta).executeTakeFirstOrThrow();
    expect(row.channels).toBe('app,paper');
    expect((await head.get(`/messages/${id}/paper`)).body).toContain('Marta Nowak');
  });

  it('shows errors beside the fields and keeps what was chosen', async () => {
    const faduma = await t.as('carer', t.fx.carers.faduma);
    const before = await carer(t.fx.carers.faduma);
    const noEmail = await faduma.post('/preferences', { channel_email: 'yes', paper_copies: 'yes', preferred_language: 'Tigrinya' });
    expect(noEmail.statusCode).toBe(400);
    expect(noEmail.body).toContain('The school has no email address for you. Tell the office your email address, or untick email');
    expect(noEmail.body).toContain('href="#channel_email"');
    expect(noEmail.body).toContain('Select whether you would like an interpreter at meetings');
    expect(noEmail.body).toMatch(/<option value="Tigrinya" selected>/);
    expect(noEmail.body).toMatch(/id="channel_email" name="channel_email" type="checkbox" value="yes" checked/);
    expect(noEmail.body).toMatch(/id="paper_copies" name="paper_copies" type="checkbox" value="yes" checked/);

    const nothing = await faduma.post('/preferences', { preferred_language: 'Somali', interpreter_needed: 'no' });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.body).toContain('Choose at least one way to get messages from school');

    const badLanguage = await faduma.post('/preferences', { channel_app: 'yes', preferred_language: 'Klingon', interpreter_needed: 'maybe' });
    expect(badLanguage.statusCode).toBe(400);
    expect(badLanguage.body).toContain('Select the language you read most easily');
    expect(badLanguage.body).toContain('Select whether you would like an interpreter at meetings');
    expect(await carer(t.fx.carers.faduma)).toEqual(before);
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'carer.preferences_changed').where('entity_id', '=', t.fx.carers.faduma).execute()).toHaveLength(0);
  });

  it('keeps a language the office recorded that is not in the list', async () => {
    await t.db.updateTable('carers').set({ preferred_language: 'Tamil' }).where('id', '=', t.fx.carers.grace).execute();
    const grace = await t.as('carer', t.fx.carers.grace);
    expect((await grace.get('/preferences')).body).toMatch(/<option value="Tamil" selected>/);
    expect((await grace.post('/preferences', { channel_email: 'yes', preferred_language: 'Tamil', interpreter_needed: 'yes' })).statusCode).toBe(303);
    expect(await carer(t.fx.carers.grace)).toMatchObject({ preferred_language: 'Tamil', interpreter_needed: 1 });
  });

  it('is for carers only: staff get 404 and people not signed in are asked to sign in', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.get('/preferences')).statusCode).toBe(404);
    expect((await head.post('/preferences', { channel_app: 'yes', preferred_language: 'English', interpreter_needed: 'no' })).statusCode).toBe(404);
    const anonymous = await t.anonymous().get('/preferences');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toContain('/sign-in');
  });
});
