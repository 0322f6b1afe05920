import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';

/**
 * Who a message or survey is for names pupils, classes and groups people typed, in any script: each
 * name is isolated on its own, so a right-to-left name cannot carry the commas around it.
 */
describe.each(dialects)('names in who a message or survey is for, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    await t.db.updateTable('pupils').set({ given_name: 'فاطمة', family_name: 'خان' }).where('id', '=', t.fx.pupils.kuba).execute();
    await t.db.updateTable('classes').set({ name: 'صف <b>3</b>' }).where('id', '=', t.fx.classes.y3).execute();
  });
  afterAll(async () => t?.close());

  const idFrom = (location: string | undefined, what: string) => new RegExp(`${what}/([^/?]+)`).exec(location ?? '')![1]!;

  it('a message to chosen pupils’ families isolates each pupil’s name; a class’s name is isolated and escaped', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const toPupils = await head.post('/messages/new', { kind: 'individual', audience_kind: 'pupils', pupil_ids: [t.fx.pupils.kuba, t.fx.pupils.lily], subject: 'Swimming', body: 'Bring a towel.' });
    expect(toPupils.statusCode).toBe(303);
    const page = (await head.get(`/messages/${idFrom(toPupils.headers.location, 'messages')}`)).body;
    expect(page).toContain('<bdi>فاطمة خان</bdi>, <bdi>Lily Dean</bdi>');

    const toClass = await head.post('/messages/new', { kind: 'letter', audience_kind: 'classes', class_ids: [t.fx.classes.y3], subject: 'Trip', body: 'Trip on Friday.' });
    expect(toClass.statusCode).toBe(303);
    const classPage = (await head.get(`/messages/${idFrom(toClass.headers.location, 'messages')}`)).body;
    expect(classPage).toContain('<bdi>صف &lt;b&gt;3&lt;/b&gt;</bdi>');
    expect(classPage).not.toContain('&amp;lt;');
  });

  it('a survey of chosen pupils’ families isolates each pupil’s name after its label', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const made = await head.post('/surveys', {
      title: 'Swimming club',
      template: 'partnership_parents',
      anonymous: 'yes',
      audience_kind: 'pupils',
      pupil_ids: [t.fx.pupils.kuba, t.fx.pupils.lily],
    });
    expect(made.statusCode).toBe(303);
    const page = (await head.get(`/surveys/${idFrom(made.headers.location, 'surveys')}`)).body;
    expect(page).toContain('Families: <bdi>فاطمة خان</bdi>, <bdi>Lily Dean</bdi>');
  });
});
