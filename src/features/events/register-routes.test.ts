import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type Client, type TestApp } from '../../../test/support/app.ts';

const BEFORE = new Date('2026-11-26T10:00:00.000Z');
let now = BEFORE;

/**
 * The coffee morning's register at the door, with 200 families in a real school: Ms Byrne types part
 * of a name or shows only those not ticked yet, on a plain GET form (no JavaScript), ticks, saves, and
 * stays where she was; families the form did not show keep their ticks.
 */
describe.each(dialects)('finding a family on an event register, on %s', (dialect) => {
  let t: TestApp;
  let office: Client;
  let url = '';
  beforeAll(async () => {
    now = BEFORE;
    t = await startTestApp(dialect, { clock: () => now });
    office = await t.as('staff', t.fx.staff.office);
    const made = await office.post('/events', {
      kind: 'coffee_morning',
      title: 'Coffee morning',
      description: 'Meet other families',
      place: 'The school hall',
      audience_kind: 'school',
      session_1_date: '2026-12-03',
      session_1_start: '9am',
      session_1_end: '10:30am',
    });
    const eventId = /events\/([^/?]+)/.exec(made.headers.location ?? '')![1]!;
    await office.post(`/events/${eventId}/publish`, {});
    const session = await t.db.selectFrom('event_sessions').select('id').where('event_id', '=', eventId).executeTakeFirstOrThrow();
    const marta = await t.as('carer', t.fx.carers.marta);
    expect((await marta.post(`/my-events/${eventId}/answer`, { choice: session.id, attending: '2' })).statusCode).toBe(303);
    url = `/events/${eventId}/sessions/${session.id}/register`;
    now = new Date('2026-12-03T09:05:00.000Z');
  });
  afterAll(async () => t?.close());

  const names = (html: string) => [...html.matchAll(/govuk-checkboxes__label[^>]*>\s*<bdi>([^<]+)<\/bdi>/g)].map((m) => m[1]);
  const attended = async () =>
    new Map((await t.db.selectFrom('event_attendance').select(['carer_id', 'attended']).where('school_id', '=', t.fx.school.id).execute()).map((r) => [r.carer_id, r.attended]));

  it('finds families by part of a name, in any case, on a GET form that keeps what was typed', async () => {
    const all = (await office.get(url)).body;
    expect(names(all)).toContain('Grace Mensah');
    expect(all).toMatch(/<form method="get" action="[^"]+\/register" role="search"/);
    const page = (await office.get(`${url}?q=NOWAK`)).body;
    expect(names(page)).toEqual(['Marta Nowak', 'Tomasz Nowak']); // Marta said yes, so she is first
    expect(page).toMatch(/name="q" type="search" spellcheck="false" value="NOWAK"/);
    expect(page).toMatch(/Showing 2 of \d+ families/);
    expect(page).toContain('>Show everyone</a>');
  });

  it('shows only those who said yes, or those not ticked yet; and says when nobody fits', async () => {
    const yes = (await office.get(`${url}?who=yes`)).body;
    expect(names(yes)).toEqual(['Marta Nowak']);
    expect(yes).toMatch(/name="who" type="radio" value="yes" checked/);
    const nobody = (await office.get(`${url}?q=Zed&who=unmarked`)).body;
    expect(names(nobody)).toEqual([]);
    expect(nobody).toContain('No family called “Zed” is still to be ticked.');
    // What was typed is shown back as text, never as markup.
    const typed = (await office.get(`${url}?q=${encodeURIComponent('<b>Zed</b>')}`)).body;
    expect(typed).toContain('No family called “&lt;b&gt;Zed&lt;/b&gt;” was asked to this event.');
    expect(typed).not.toContain('<b>Zed</b>');
    // A word it does not know shows everyone.
    expect(names((await office.get(`${url}?who=whatever`)).body)).toEqual(names((await office.get(url)).body));
  });

  it('saving a filtered register changes only the families it showed, and comes back to the same filter', async () => {
    // Grace is ticked from the full list first.
    expect((await office.post(url, { came: [t.fx.carers.grace] })).statusCode).toBe(303);
    // Then, searching "nowak", Marta is ticked: Grace, not on that form, stays ticked.
    const saved = await office.post(url, { q: 'nowak', shown: [t.fx.carers.marta, t.fx.carers.tomasz], came: [t.fx.carers.marta] });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${url}?done=register&q=nowak`);
    const marks = await attended();
    expect(marks.get(t.fx.carers.grace)).toBe(1);
    expect(marks.get(t.fx.carers.marta)).toBe(1);
    const back = (await office.get(saved.headers.location!)).body;
    expect(back).toContain('Register saved.');
    expect(back).toMatch(/name="q" type="search" spellcheck="false" value="nowak"/);
    // The form it drew carries the families it shows and the filter, for the next save.
    expect(back).toContain(`<input type="hidden" name="shown" value="${t.fx.carers.tomasz}">`);
    expect(back).not.toContain(`<input type="hidden" name="shown" value="${t.fx.carers.grace}">`);
    // "Not ticked yet" now leaves out Marta and Grace.
    const unmarked = names((await office.get(`${url}?who=unmarked`)).body);
    expect(unmarked).toContain('Tomasz Nowak');
    expect(unmarked).not.toContain('Marta Nowak');
    expect(unmarked).not.toContain('Grace Mensah');
  });
});
