import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type Client, type TestApp } from '../../../test/support/app.ts';

/**
 * Sarah Dean is Deaf: the school records her language as British Sign Language, with an interpreter
 * for meetings. Staff pages say she uses it ("uses British Sign Language", "Language: British Sign
 * Language (needs an interpreter)"), never that she reads it; Marta still "reads Polish".
 */
describe.each(dialects)('a carer whose language is a sign language, on staff pages, on %s', (dialect) => {
  let t: TestApp;
  let head: Client;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    await t.db.updateTable('carers').set({ preferred_language: 'British Sign Language', interpreter_needed: 1 }).where('id', '=', t.fx.carers.sarah).execute();
    head = await t.as('staff', t.fx.staff.head);
  });
  afterAll(async () => t?.close());

  const summaryRow = (page: string, value: string) => {
    const at = page.indexOf(value);
    const start = page.lastIndexOf('govuk-summary-list__key', at);
    return start < 0 || at < 0
      ? ''
      : page
          .slice(start, at + value.length)
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ');
  };

  it('says "Language" on her record, and "Reads" on Marta’s', async () => {
    const sarah = (await head.get(`/carers/${t.fx.carers.sarah}`)).body;
    expect(summaryRow(sarah, 'British Sign Language (needs an interpreter)')).toMatch(/^govuk-summary-list__key"> Language British Sign Language \(needs an interpreter\)$/);
    expect(sarah).not.toMatch(/reads British Sign Language|Reads\s*<\/dt>/);
    const marta = (await head.get(`/carers/${t.fx.carers.marta}`)).body;
    expect(summaryRow(marta, 'Polish')).toContain('Reads Polish');
    expect((await head.get('/carers')).body).not.toMatch(/<th[^>]*>Reads<\/th>/);
  });

  it('says she uses it on her child’s page and when arranging a meeting', async () => {
    const lily = (await head.get(`/pupils/${t.fx.pupils.lily}`)).body;
    expect(lily).toContain('· uses British Sign Language');
    expect(lily).not.toContain('reads British Sign Language');
    expect((await head.get(`/pupils/${t.fx.pupils.kuba}`)).body).toContain('· reads Polish');
    const arranging = (await head.get(`/meetings/new?pupil=${t.fx.pupils.lily}`)).body;
    expect(arranging).toContain('uses British Sign Language');
    expect(arranging).not.toContain('reads British Sign Language');
    const formId = /name="form_id"[^>]*value="([^"]+)"/.exec(arranging)?.[1] ?? /value="([^"]+)"[^>]*name="form_id"/.exec(arranging)?.[1];
    const made = await head.post('/meetings/new', {
      form_id: formId!,
      pupil_id: t.fx.pupils.lily,
      kind: 'appointment',
      topic: 'Reading at home',
      carer_ids: t.fx.carers.sarah,
      lead_id: t.fx.staff.head,
      date: '2027-01-20',
      time: '15:30',
      minutes: '30',
      mode: 'in_person',
      place: 'Room 3',
    });
    expect(made.statusCode).toBe(303);
    const meeting = (await head.get(made.headers.location as string)).body;
    expect(meeting).toContain('<bdi>Sarah Dean</bdi> (uses British Sign Language)');
  });

  it('says "Language" where the office records contact with her', async () => {
    for (const url of [`/carers/${t.fx.carers.sarah}/contacts/new`, `/carers/${t.fx.carers.sarah}/reach`]) {
      const page = (await head.get(url)).body;
      expect(summaryRow(page, 'British Sign Language'), url).toMatch(/^govuk-summary-list__key"> Language British Sign Language$/);
    }
  });
});
