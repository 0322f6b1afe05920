import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';

/**
 * A parent who uses British Sign Language does not "read" it, and nothing can be translated into it:
 * Lily's mother Sarah signs. Her settings page asks for the language she uses; the page of a letter's
 * translations does not list BSL among languages "also read by" those who receive it.
 */
describe.each(dialects)('a carer who signs, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    await t.db.updateTable('carers').set({ preferred_language: 'British Sign Language', interpreter_needed: 1 }).where('id', '=', t.fx.carers.sarah).execute();
  });
  afterAll(async () => t?.close());

  it('asks Sarah for the language she uses, saying letters come in English; Marta is still asked what she reads', async () => {
    const sarah = await t.as('carer', t.fx.carers.sarah);
    const page = (await sarah.get('/preferences')).body;
    expect(page).toMatch(/<option value="British Sign Language" selected>/);
    expect(page).toContain('Language you use most easily');
    expect(page).toContain('A sign language has no written form, so messages come to you in English.');
    expect(page).not.toContain('Language you read most easily');
    // With an error the form comes back with her choice, and the same words.
    const bad = await sarah.post('/preferences', { preferred_language: 'British Sign Language' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Language you use most easily');
    const marta = (await (await t.as('carer', t.fx.carers.marta)).get('/preferences')).body;
    expect(marta).not.toContain('A sign language has no written form');
  });

  it('does not list British Sign Language among the languages a letter is "also read by"', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const res = await head.post('/messages/new', { kind: 'letter', audience_kind: 'classes', class_ids: t.fx.classes.y3, subject: 'Harvest festival', body: 'Dear families,\n\nBring a tin.' });
    expect(res.statusCode).toBe(303);
    const id = (res.headers.location as string).split('/').pop()!;
    const page = (await head.get(`/messages/${id}/translations`)).body;
    expect(page).not.toMatch(/Also read by some who receive it:[^<]*British Sign Language/);
    expect(page).toContain('Some who receive it use British Sign Language. A sign language has no written form, so they get English');
    expect(page).toContain('Polish');
  });
});
