import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type Client, type TestApp } from '../../../test/support/app.ts';
import { startFakeSms, type FakeSms } from '../../../test/support/fake-sms.ts';
import { carersWhoReadNothing } from './read-nothing-queries.ts';
import { notReachedList } from './not-reached-queries.ts';
import { messageReceived } from './not-reached-test-data.ts';

/**
 * "Read X of N" is out of the carers who could be seen to read it: Faduma (no email) gets newsletters on
 * paper and urgent notices as a text, and neither can ever be "read" in Gatepost. She is a line of her
 * own, not one of the families who missed it; and before sending, each carer is counted once.
 */
describe.each(dialects)('reads counted out of those who got it online, on %s', (dialect) => {
  let t: TestApp;
  let fake: FakeSms;
  let head: Client;
  beforeAll(async () => {
    fake = await startFakeSms();
    t = await startTestApp(dialect, { env: fake.env });
    head = await t.as('staff', t.fx.staff.head);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  const row = (html: string, key: string) => text(new RegExp(`${key}\\s*</dt>\\s*<dd[^>]*>([\\s\\S]*?)</dd>`).exec(html)?.[1] ?? '').trim();

  it('a newsletter: read by 1 of the 4 who got it online, and Faduma’s paper copy on its own line', async () => {
    const saved = await head.post('/messages/new', { kind: 'newsletter', audience_kind: 'school', subject: 'Harvest festival', body: 'Bring a tin on Friday.' });
    const url = saved.headers.location as string;
    const preview = (await head.get(url)).body;
    // Each carer once, adding up to the 5: not "4 by email, 5 in Gatepost, 1 on paper".
    expect(text(/<p class="govuk-body" id="ways">[\s\S]*?<\/p>/.exec(preview)![0])).toContain('5 parents and carers , each counted once: 4 by email, 1 on paper only.');
    expect(preview).not.toMatch(/\d+ in Gatepost,/);

    await head.post(`${url}/send`);
    const messageId = url.split('/').pop()!;
    const marta = await t.as('carer', t.fx.carers.marta);
    expect((await marta.get(`/inbox/${messageId}`)).statusCode).toBe(200);

    const page = (await head.get(url)).body;
    expect(row(page, 'Read')).toBe('1 of 4 who got it online');
    expect(row(page, 'How they got it')).toBe('4 online (in Gatepost, by email or a text with a link) 1 on paper only, in the print pack');
    expect(row(page, 'Paper copies to print')).toBe('1');
    expect(page).toContain('id="cannot-see-read"');
    // Who read it by group of families: out of the 4 who got it online, as "Read" is.
    const byGroup = [...(/<table[^>]*id="read-by-group"[\s\S]*?<\/table>/.exec(page)?.[0] ?? '').matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => text(m[1]!).trim());
    expect(byGroup[1]).toBe('All families who got it online 4 1 25%');
    expect(byGroup).toContain('Speaks Polish 1 1 100%');

    const list = (await head.get('/messages')).body;
    const line = text(list.split('Harvest festival')[1]!.split('</tr>')[0]!);
    expect(line).toContain('1 of 4 and 1 on paper only');
  });

  it('an urgent notice: Faduma gets the text only and is not counted as not reading it', async () => {
    const saved = await head.post('/messages/new', { kind: 'urgent', audience_kind: 'school', subject: 'Snow', body: 'School is closed today because of snow.' });
    const url = saved.headers.location as string;
    const preview = (await head.get(url)).body;
    // Marta and Tomasz have a mobile and an email; Sarah, Grace and Helen an email; Faduma a mobile only.
    expect(text(/<p class="govuk-body" id="ways">[\s\S]*?<\/p>/.exec(preview)![0])).toContain('6 parents and carers , each counted once: 3 by email, 2 by email and text, 1 by text only.');
    await head.post(`${url}/send`);
    const page = (await head.get(url)).body;
    expect(row(page, 'Read')).toBe('0 of 5 who got it online');
    expect(row(page, 'How they got it')).toContain('1 by text only');
    expect(row(page, 'How they got it')).not.toContain('paper');
  });

  it('a family sent only paper copies and texts has not "read nothing": there was nothing they could read', async () => {
    const since = new Date(Date.now() - 86_400_000).toISOString();
    const until = new Date(Date.now() + 60_000).toISOString();
    const nothing = await carersWhoReadNothing(t.db, t.fx.school.id, [t.fx.carers.faduma, t.fx.carers.sarah, t.fx.carers.marta], since, until);
    // Sarah got both by email and opened neither; Marta read the newsletter; Faduma could read neither online.
    expect([...nothing]).toEqual([t.fx.carers.sarah]);
  });

  it('keeps a paper-only family on the not-reached list as "paper only" after a snow-day text, not "nothing read"', async () => {
    const school = t.fx.school.id;
    await t.db.deleteFrom('message_recipients').where('carer_id', '=', t.fx.carers.faduma).execute();
    await messageReceived(t.db, t.fx, school, t.fx.carers.faduma, { days: 9, kind: 'newsletter', channels: 'app,paper' });
    await messageReceived(t.db, t.fx, school, t.fx.carers.faduma, { days: 8, kind: 'urgent', channels: 'app,sms' });
    const at = { now: new Date(), today: new Date().toISOString().slice(0, 10), timeZone: 'Europe/London' };
    const faduma = (await notReachedList(t.db, school, at, 4)).families.find((f) => f.carerId === t.fx.carers.faduma);
    expect(faduma?.reasons).toEqual([{ kind: 'paper_only' }]);
  });
});
