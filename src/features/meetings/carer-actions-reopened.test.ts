import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { heldMeetingWithActions } from './carer-actions-test-data.ts';
import { textNodes, untranslated } from '../../../test/support/visible-text.ts';

const NOW = new Date('2026-12-03T10:00:00.000Z'); // Thursday

/** The part of the carer's meeting page about one of their own actions. */
const cardOf = (html: string, actionId: string) => html.slice(html.indexOf(`id="action-${actionId}"`), html.indexOf('</form>', html.indexOf(`id="action-${actionId}"`)));

/**
 * When a member of staff changes a family's tick back to not done, the family's meeting page says
 * who did it and when, in their language, until they tick it again.
 */
describe.each(dialects)('a tick changed back by staff, as the family sees it, on %s', (dialect) => {
  let t: TestApp;
  let now = NOW;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => now });
  });
  afterAll(async () => t?.close());

  it('tells Marta who changed it back and on which day, until she ticks it again', async () => {
    const m = await heldMeetingWithActions(t);
    const marta = await t.as('carer', t.fx.carers.marta);
    now = new Date('2026-12-02T18:00:00.000Z');
    try {
      await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/done`, { note: 'All done.' });
      // Before anyone changed it back, nothing is said.
      expect((await marta.get(`/my-meetings/${m.meetingId}`)).body).not.toContain('changed this back');
    } finally {
      now = NOW;
    }
    const patel = await t.as('staff', t.fx.staff.head);
    expect((await patel.post(`/meetings/${m.meetingId}/record/actions/${m.marta}/reopen`)).statusCode).toBe(303);

    const page = (await marta.get(`/my-meetings/${m.meetingId}`)).body;
    const card = cardOf(page, m.marta);
    // The head, named as the school names its staff to families (title and family name), on the day she did it.
    expect(card).toContain('<bdi>Mrs Patel</bdi> changed this back to not done on 3 December 2026');
    expect(page).toContain(`action="/my-meetings/${m.meetingId}/actions/${m.marta}/done"`);
    // Tomasz's own action, never changed back, says nothing of it; nor does his page show Marta's.
    const tomasz = (await (await t.as('carer', t.fx.carers.tomasz)).get(`/my-meetings/${m.meetingId}`)).body;
    expect(tomasz).not.toContain('changed this back');

    // She ticks it again: the words go; her own "not done yet" afterwards does not bring them back.
    await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/done`, { note: 'Now really done.' });
    expect((await marta.get(`/my-meetings/${m.meetingId}`)).body).not.toContain('changed this back');
    await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/not-done`);
    const undone = (await marta.get(`/my-meetings/${m.meetingId}`)).body;
    expect(undone).toContain(`action="/my-meetings/${m.meetingId}/actions/${m.marta}/done"`);
    expect(undone).not.toContain('changed this back');

    // Changed back a second time, by Mr Okafor a day later: the latest is the one she sees.
    now = new Date('2026-12-04T09:00:00.000Z');
    try {
      await marta.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/done`, { note: 'Done again.' });
      await (await t.as('staff', t.fx.staff.teacher)).post(`/meetings/${m.meetingId}/record/actions/${m.marta}/reopen`);
      expect(cardOf((await marta.get(`/my-meetings/${m.meetingId}`)).body, m.marta)).toContain('<bdi>Mr Okafor</bdi> changed this back to not done on 4 December 2026');
    } finally {
      now = NOW;
    }
  });

  it('says it in Marta’s own language, with nothing left in English', async () => {
    const m = await heldMeetingWithActions(t);
    const english = await t.as('carer', t.fx.carers.marta);
    await english.post(`/my-meetings/${m.meetingId}/actions/${m.marta}/done`, { note: 'Czytamy razem' });
    await (await t.as('staff', t.fx.staff.teacher)).post(`/meetings/${m.meetingId}/record/actions/${m.marta}/reopen`);
    const polish = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const [pl, en] = await Promise.all([polish.get(`/my-meetings/${m.meetingId}`), english.get(`/my-meetings/${m.meetingId}`)]);
    expect(en.body).toContain('<bdi>Mr Okafor</bdi> changed this back to not done on 3 December 2026');
    expect(pl.body).toContain('Zmieniono to z powrotem na „jeszcze niezrobione”: <bdi>Mr Okafor</bdi>, 3 grudnia 2026');
    expect(untranslated(textNodes(pl.body), new Set(textNodes(en.body).map((n) => n.text))).filter((text) => text !== 'Reading at home')).toEqual([]);
  });
});
