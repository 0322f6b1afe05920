import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type Client, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';
import { familyReach } from './family-reach-queries.ts';
import { notReachedList } from './not-reached-queries.ts';
import { BOUNCE, daysAgo as ago, messageReceived, seedNotReached } from './not-reached-test-data.ts';

/**
 * Journey 2, the Friday part: Ms Lewis sees the families who read nothing this month, and why,
 * rings two of them and records the calls; they drop off the list.
 */
describe.each(dialects)('families not reached on %s', (dialect) => {
  let t: TestApp;
  let lewis: Client;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    lewis = await t.as('staff', t.fx.staff.family_liaison);
    await seedNotReached(t.db, t.fx);
  });
  afterAll(async () => t?.close());

  const cards = (html: string) => [...html.matchAll(/<h2 class="govuk-summary-card__title"><bdi>([^<]+)<\/bdi><\/h2>/g)].map((m) => m[1]);

  it('lists who read nothing, whose email bounced and who is on paper only, longest unreached first', async () => {
    const res = await lewis.get('/reach/not-reached');
    expect(res.statusCode).toBe(200);
    expect(cards(res.body)).toEqual(['Marta Nowak', 'Faduma Warsame', 'Tomasz Nowak']);
    expect(res.body).toMatch(/<strong>3<\/strong> parents and carers not reached in the last 4 weeks/);
    expect(res.body).toContain('Nothing read in the last 4 weeks (2 messages sent)');
    expect(res.body).toContain(`Email to tomasz@families.test failed on ${dateOf(ago(6))}: ${BOUNCE.replace(/</g, '&lt;').replace(/>/g, '&gt;')}`);
    expect(res.body).toContain('Paper only: no email, and has never read a message in Gatepost');
    expect(res.body).toContain('href="tel:07700900001"');
    expect(res.body).toContain('Somali');
    expect(res.body).toContain('<bdi>Aleksandra Nowak</bdi> (Reception Robins), <bdi>Jakub Nowak</bdi> (3 Okafor)');
    expect(res.body).toContain(`/carers/${t.fx.carers.marta}/contacts/new?weeks=4`);
    expect(res.body).toContain('1 good news, 0 concerns');
    expect(res.body).not.toContain('Olga');
    expect(res.body).not.toContain('<table');
  });

  it('shows the family liaison officer on her home page how many are waiting for her, one click from the list', async () => {
    const home = (await lewis.get('/')).body;
    expect(home).toContain('<a class="govuk-link" href="/reach/not-reached">3 parents and carers have not been reached in the last 4 weeks</a>');
    expect((await (await t.as('staff', t.fx.staff.teacher)).get('/')).body).not.toContain('Families to reach');
  });

  it('does not count a message sent today against anyone: families have three school days to read it', async () => {
    // Helen's only message in the window arrives today: she is not yet someone the school failed to reach.
    await messageReceived(t.db, t.fx, t.fx.school.id, t.fx.carers.socialWorker, { days: 0 });
    expect(cards((await lewis.get('/reach/not-reached')).body)).toEqual(['Marta Nowak', 'Faduma Warsame', 'Tomasz Nowak']);
  });

  it('looks further back when asked, and ignores a number of weeks it cannot use', async () => {
    const eight = await lewis.get('/reach/not-reached?weeks=8');
    expect(cards(eight.body)).toEqual(['Marta Nowak', 'Helen Ward', 'Faduma Warsame', 'Tomasz Nowak']);
    expect(eight.body).toContain('Nothing read in the last 8 weeks (4 messages sent)');
    for (const bad of ['0', '27', 'x', '-3']) {
      const res = await lewis.get(`/reach/not-reached?weeks=${bad}`);
      expect(res.statusCode).toBe(200);
      expect(cards(res.body)).toHaveLength(3);
    }
  });

  it('shows a family’s reach: last reached, the balance of good news and concerns, messages, failures and calls', async () => {
    const marta = await lewis.get(`/carers/${t.fx.carers.marta}/reach`);
    expect(marta.statusCode).toBe(200);
    expect(marta.body).toContain('2 good news, 1 concern');
    expect(marta.body).toContain('Never');
    expect(marta.body).toContain('Fantastic reading today');
    expect(marta.body).toContain('not read');
    const tomasz = await lewis.get(`/carers/${t.fx.carers.tomasz}/reach`);
    expect(tomasz.body).toContain('mailbox unavailable');
    expect(tomasz.body).toMatch(/2 weeks ago\): read a message/);
    const reach = await familyReach(t.db, t.fx.school.id, t.fx.carers.marta, new Date());
    expect(reach.balance).toEqual({ goodNews: 2, concerns: 1, information: 1 });
  });

  it('agrees, family by family, with the single-family figures', async () => {
    const list = await notReachedList(t.db, t.fx.school.id, { now: new Date(), today: new Date().toISOString().slice(0, 10), timeZone: 'Europe/London' }, 8);
    const listed = new Map(list.families.map((f) => [f.carerId, f]));
    for (const carerId of Object.values(t.fx.carers).filter((id) => id !== t.fx.carers.otherCarer)) {
      const one = await familyReach(t.db, t.fx.school.id, carerId, new Date(), { weeks: 8 });
      expect(listed.get(carerId)?.reasons ?? [], carerId).toEqual(one.reasons);
      if (listed.has(carerId)) expect(listed.get(carerId)!.reached).toEqual(one.reached);
    }
  });

  it('keeps what was typed and names each field when the contact form is wrong', async () => {
    const url = `/carers/${t.fx.carers.marta}/contacts/new`;
    const form = await lewis.get(url);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Conversation at the gate');
    // Each child's name isolated from its class, as on the list; and what counts as a contact, said before it is saved.
    expect(form.body).toContain('<bdi>Aleksandra Nowak</bdi> (Reception Robins), <bdi>Jakub Nowak</bdi> (3 Okafor)');
    expect(form.body).toContain('If you spoke with them, record how: they then count as reached and leave the list.');
    const formId = /name="form_id" value="([^"]+)"/.exec(form.body)![1]!;

    const empty = await lewis.post(url, { form_id: formId, note: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Choose how you were in touch');
    expect(empty.body).toContain('Enter a note: what was said, or what happens next');
    expect(empty.body).toContain('href="#kind"');

    const long = 'Spoke about reading at home. '.repeat(40);
    const tooLong = await lewis.post(url, { form_id: formId, kind: 'gate', note: long });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('The note must be 1000 characters or fewer');
    expect(tooLong.body).toContain(long.trim());
    expect(tooLong.body).toMatch(/value="gate" checked/);

    const oddKind = await lewis.post(url, { form_id: formId, kind: 'email', note: 'Sent an email' });
    expect(oddKind.statusCode).toBe(400);
    expect(oddKind.body).toContain('Choose how you were in touch');
    expect(oddKind.body).toContain('Sent an email');

    expect(await t.db.selectFrom('contact_log').select('id').where('carer_id', '=', t.fx.carers.marta).execute()).toHaveLength(0);
  });

  it('records a call no one answered: the family stays on the list, which shows the attempts, when and by whom', async () => {
    const url = `/carers/${t.fx.carers.marta}/contacts/new`;
    const form = await lewis.get(`${url}?weeks=4`);
    expect(form.body).toContain('Tried to call or visit: no answer');
    expect(form.body).toContain('It does not count as reaching them: they stay on the list for you to try again');
    for (const note of ['Rang at 3pm, no answer. Left a voicemail.', 'Rang again after school: no answer.']) {
      const formId = /name="form_id" value="([^"]+)"/.exec((await lewis.get(url)).body)![1]!;
      const saved = await lewis.post(url, { form_id: formId, weeks: '4', kind: 'no_answer', note });
      expect(saved.statusCode).toBe(303);
      expect(saved.headers.location).toBe(`/reach/not-reached?weeks=4&tried=${t.fx.carers.marta}`);
    }
    const list = await lewis.get(`/reach/not-reached?weeks=4&tried=${t.fx.carers.marta}`);
    expect(list.body).toContain('Attempt to reach <bdi>Marta Nowak</bdi> recorded. They stay on the list');
    expect(list.body).not.toContain('count as reached from today');
    expect(cards(list.body)).toEqual(['Marta Nowak', 'Faduma Warsame', 'Tomasz Nowak']);
    expect(list.body).toContain(
      `<dt class="govuk-summary-list__key">Tried</dt><dd class="govuk-summary-list__value">2 times with no answer: last on ${dateOf(new Date())} (today), by <bdi>Ms Lewis</bdi>`,
    );
    const csv = await lewis.get('/reach/not-reached.csv?weeks=4');
    expect(csv.body).toContain('Tried with no answer');
    expect(csv.body).toContain('2 times with no answer');

    const reach = await lewis.get(`/carers/${t.fx.carers.marta}/reach`);
    expect(reach.body).toContain('Never');
    expect(reach.body).toContain('2 times with no answer');
    expect(reach.body).toContain('Rang again after school: no answer.');
    const one = await familyReach(t.db, t.fx.school.id, t.fx.carers.marta, new Date());
    expect(one.reached).toBeNull();
    expect(one.attempts).toMatchObject({ count: 2, lastBy: 'Ms Lewis' });
    const listed = await notReachedList(t.db, t.fx.school.id, { now: new Date(), today: new Date().toISOString().slice(0, 10), timeZone: 'Europe/London' }, 4);
    expect(listed.families.find((f) => f.carerId === t.fx.carers.marta)).toMatchObject({ reached: null, attempts: { count: 2, lastBy: 'Ms Lewis' } });
  });

  it('records two phone calls: the families drop off the list, each call once, each with an audit entry', async () => {
    for (const carerId of [t.fx.carers.marta, t.fx.carers.faduma]) {
      const form = await lewis.get(`/carers/${carerId}/contacts/new?weeks=4`);
      const formId = /name="form_id" value="([^"]+)"/.exec(form.body)![1]!;
      const fields = { form_id: formId, weeks: '4', kind: 'phone', note: 'Rang about the newsletter. Will look in Gatepost tonight.' };
      const saved = await lewis.post(`/carers/${carerId}/contacts/new`, fields);
      expect(saved.statusCode).toBe(303);
      expect(saved.headers.location).toBe(`/reach/not-reached?weeks=4&recorded=${carerId}`);
      expect((await lewis.post(`/carers/${carerId}/contacts/new`, fields)).statusCode).toBe(303); // pressed twice
    }
    const after = await lewis.get(`/reach/not-reached?weeks=4&recorded=${t.fx.carers.faduma}`);
    expect(after.body).toContain('Contact with <bdi>Faduma Warsame</bdi> recorded');
    expect(cards(after.body)).toEqual(['Tomasz Nowak']);
    expect(after.body).toMatch(/<strong>1<\/strong> parent or carer not reached/);

    const calls = await t.db.selectFrom('contact_log').select(['carer_id', 'staff_id', 'kind']).where('school_id', '=', t.fx.school.id).where('kind', '!=', 'no_answer').execute();
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c.staff_id === t.fx.staff.family_liaison && c.kind === 'phone')).toBe(true);
    const audits = (await t.db.selectFrom('audit_log').select(['entity_id', 'actor_id', 'after_json']).where('action', '=', 'contact.recorded').execute()).filter(
      (a) => JSON.parse(a.after_json!).kind !== 'no_answer',
    );
    expect(audits.map((a) => a.entity_id).sort()).toEqual([t.fx.carers.marta, t.fx.carers.faduma].sort());
    expect(audits.every((a) => a.actor_id === t.fx.staff.family_liaison && JSON.parse(a.after_json!).kind === 'phone')).toBe(true);

    const reach = await lewis.get(`/carers/${t.fx.carers.marta}/reach`);
    expect(reach.body).toContain('Phone call');
    expect(reach.body).toContain('Rang about the newsletter.');
    expect(reach.body).toContain('Ms Lewis');
    expect(reach.body).toMatch(/today\)?: phone call/);
    expect(reach.body).not.toContain('2 times with no answer'); // the attempts before the call are history now
  });

  it('is not there for a teacher, a governor, a carer or another school', async () => {
    const { carers, staff } = t.fx;
    const urls = ['/reach/not-reached', `/carers/${carers.marta}/contacts/new`, `/carers/${carers.marta}/reach`];
    const outsiders = [await t.as('staff', staff.teacher), await t.as('staff', staff.governor), await t.as('carer', carers.marta)];
    for (const who of outsiders) {
      for (const url of urls) expect((await who.get(url)).statusCode, url).toBe(404);
      expect((await who.post(`/carers/${carers.marta}/contacts/new`, { kind: 'phone', note: 'x', form_id: newId() })).statusCode).toBe(404);
    }
    const otherHead = await t.as('staff', staff.otherHead, t.fx.other.id);
    expect((await otherHead.get(`/carers/${carers.marta}/reach`)).statusCode).toBe(404);
    expect((await otherHead.post(`/carers/${carers.marta}/contacts/new`, { kind: 'phone', note: 'x', form_id: newId() })).statusCode).toBe(404);
    expect(cards((await otherHead.get('/reach/not-reached')).body)).toEqual(['Olga Other']);
    expect((await t.anonymous().get('/reach/not-reached')).headers.location).toMatch(/^\/sign-in/);
  });
});

function dateOf(d: Date): string {
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
}
