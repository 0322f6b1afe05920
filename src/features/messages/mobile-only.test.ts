import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { startFakeSms, type FakeSms } from '../../../test/support/fake-sms.ts';
import type { Relationship } from '../../db/schema.ts';
import { defaultMayReceiveInformation } from '../../platform/access/hear.ts';
import { newId } from '../../platform/ids.ts';
import { carerLink, carerRow, pupilRow } from '../../../test/support/fixture.ts';

const NOW = '2026-11-23T09:00:00.000Z';
const AMA_MOBILE = '07700900777';

/**
 * Sam Boateng (Year 3) lives with his grandfather Kofi, who raises him (no parental responsibility,
 * no email, no mobile), and has a mother, Ama, who has a mobile but no email.
 */
async function addBoatengs(t: TestApp): Promise<{ ama: string; kofi: string; sam: string }> {
  const schoolId = t.fx.school.id;
  const sam = newId();
  await t.db
    .insertInto('pupils')
    .values(pupilRow(NOW, { id: sam, school_id: schoolId, upn: 'B823000099001', given_name: 'Sam', family_name: 'Boateng', date_of_birth: '2018-10-01', year_group: '3', class_id: t.fx.classes.y3 }))
    .execute();
  const carer = async (given: string, mobile: string | null) => {
    const id = newId();
    await t.db
      .insertInto('carers')
      .values(
        carerRow(NOW, {
          id,
          school_id: schoolId,
          given_name: given,
          family_name: 'Boateng',
          mobile,
          address_line1: '4 Mill Lane',
          town: 'Brookfield',
          postcode: 'BF1 3CD',
          channel_sms: mobile ? 1 : 0,
        }),
      )
      .execute();
    return id;
  };
  const ama = await carer('Ama', AMA_MOBILE);
  const kofi = await carer('Kofi', null);
  const link = async (carerId: string, relationship: Relationship, pr: boolean, lives: boolean, priority: number) => {
    // The default DfE guidance gives: parental responsibility or care of the child.
    const info = defaultMayReceiveInformation({ parentalResponsibility: pr, livesWith: lives });
    await t.db
      .insertInto('carer_pupils')
      .values(
        carerLink({
          school_id: schoolId,
          carer_id: carerId,
          pupil_id: sam,
          relationship,
          parental_responsibility: pr ? 1 : 0,
          lives_with_pupil: lives ? 1 : 0,
          contact_priority: priority,
          may_receive_information: info ? 1 : 0,
          wants_copies: 1,
        }),
      )
      .execute();
  };
  await link(kofi, 'grandparent', false, true, 1);
  await link(ama, 'mother', true, false, 2);
  return { ama, kofi, sam };
}

const letter = (t: TestApp) => ({
  kind: 'letter',
  audience_kind: 'classes',
  class_ids: t.fx.classes.y3,
  subject: 'Trip to the museum',
  body: 'Year 3 go to the museum on Friday. Please send a packed lunch.',
});

async function draft(t: TestApp): Promise<string> {
  const head = await t.as('staff', t.fx.staff.head);
  const saved = await head.post('/messages/new', letter(t));
  expect(saved.statusCode).toBe(303);
  return (saved.headers.location as string).split('/').pop()!;
}

const recipientRow = (t: TestApp, messageId: string, carerId: string) =>
  t.db.selectFrom('message_recipients').select(['id', 'channels', 'read_token']).where('message_id', '=', messageId).where('carer_id', '=', carerId).executeTakeFirstOrThrow();
const textsFor = (t: TestApp, messageId: string) =>
  t.db
    .selectFrom('outbox')
    .innerJoin('message_recipients as mr', 'mr.id', 'outbox.ref')
    .select(['outbox.recipient', 'outbox.payload_json'])
    .where('mr.message_id', '=', messageId)
    .where('outbox.channel', '=', 'sms')
    .execute();

describe.each(dialects)('newsletters and letters to carers with no email, with no text service, on %s', (dialect) => {
  let t: TestApp;
  let boatengs: { ama: string; kofi: string; sam: string };
  beforeAll(async () => {
    t = await startTestApp(dialect);
    boatengs = await addBoatengs(t);
  });
  afterAll(async () => t?.close());

  it('a grandparent raising the child with no email or mobile gets paper, and so (by default) does a mother with a mobile but no email: the preview lists them under paper', async () => {
    const id = await draft(t);
    const head = await t.as('staff', t.fx.staff.head);
    const preview = (await head.get(`/messages/${id}`)).body;
    expect(preview).toContain('1 parent or carer has a mobile but no email.');
    expect(preview).toContain('They get it on paper, in the paper pack, as the school chose.');
    expect(preview).toContain('href="/settings/messages"');
    const onPaper = preview.slice(preview.indexOf('<ul class="govuk-list govuk-list--bullet" id="on-paper">'));
    expect(onPaper.slice(0, onPaper.indexOf('</ul>'))).toContain('<li><bdi>Ama Boateng</bdi></li>');
    expect(onPaper.slice(0, onPaper.indexOf('</ul>'))).toContain('<li><bdi>Kofi Boateng</bdi></li>');
    expect(preview).not.toContain('Kofi Boateng (Sam)'); // not left out

    await head.post(`/messages/${id}/send`);
    expect((await recipientRow(t, id, boatengs.kofi)).channels.split(',')).toContain('paper');
    expect((await recipientRow(t, id, boatengs.ama)).channels.split(',')).toContain('paper');
    expect(await textsFor(t, id)).toEqual([]);
    const pack = (await head.get(`/messages/${id}/paper`)).body;
    expect(pack).toContain('Kofi Boateng');
    expect(pack).toContain('Ama Boateng');
  });

  it('when the head chooses texts but no text service is set up, the preview says so and they get paper instead; the choice is audited', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const settings = await head.get('/settings/messages');
    expect(settings.body).toContain('No text message service is set up for Gatepost.');
    expect((await head.post('/settings/messages', { mobile_only_letters: 'nonsense' })).statusCode).toBe(400);
    expect((await head.post('/settings/messages', { mobile_only_letters: 'text' })).headers.location).toBe('/settings/messages?saved=yes');
    const audited = await t.db.selectFrom('audit_log').select(['before_json', 'after_json']).where('action', '=', 'school.settings_changed').executeTakeFirstOrThrow();
    expect(JSON.parse(audited.after_json!)).toEqual({ mobile_only_letters: 'text' });
    expect(JSON.parse(audited.before_json!)).toEqual({ mobile_only_letters: 'paper' });

    const id = await draft(t);
    const preview = (await head.get(`/messages/${id}`)).body;
    expect(preview).toContain('The school chose a text with a link to read it in Gatepost, but no text message service is set up: they get it on paper instead.');
    expect(preview).toContain('Texts cannot go: no text message service is set up for Gatepost. 1 parent or carer with a mobile but no email gets this on paper instead.');
    expect(preview).not.toMatch(/\d+ by text/);
    await head.post(`/messages/${id}/send`);
    expect((await recipientRow(t, id, boatengs.ama)).channels.split(',')).toEqual(['app', 'paper']);
    expect(await textsFor(t, id)).toEqual([]);
  });

  it('only the head changes the setting', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const res = await office.post('/settings/messages', { mobile_only_letters: 'paper' });
    expect([403, 404]).toContain(res.statusCode);
    expect((await t.db.selectFrom('schools').select('mobile_only_letters').where('id', '=', t.fx.school.id).executeTakeFirstOrThrow()).mobile_only_letters).toBe('text');
  });
});

describe.each(dialects)('newsletters and letters by text with a link, through Twilio, on %s', (dialect) => {
  let t: TestApp;
  let fake: FakeSms;
  let boatengs: { ama: string; kofi: string; sam: string };
  beforeAll(async () => {
    fake = await startFakeSms();
    t = await startTestApp(dialect, { env: fake.env });
    boatengs = await addBoatengs(t);
    await t.db.updateTable('schools').set({ mobile_only_letters: 'text' }).where('id', '=', t.fx.school.id).execute();
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('the preview says how many get a text; the text goes through the outbox with a short link that opens the letter', async () => {
    const id = await draft(t);
    const head = await t.as('staff', t.fx.staff.head);
    const preview = (await head.get(`/messages/${id}`)).body;
    expect(preview).toContain('1 parent or carer has a mobile but no email.');
    expect(preview).toContain('They get a text message with a short link to read it in Gatepost, as the school chose.');
    expect(preview).toMatch(/1 by text/);

    await head.post(`/messages/${id}/send`);
    const ama = await recipientRow(t, id, boatengs.ama);
    expect(ama.channels.split(',')).toEqual(['app', 'sms']);
    const texts = await textsFor(t, id);
    expect(texts.map((x) => x.recipient)).toEqual([AMA_MOBILE]); // urgent-only numbers (Marta, Tomasz) get no text for a letter
    const link = `http://gatepost.test/m/${ama.read_token}`;
    expect(JSON.parse(texts[0]!.payload_json).text).toBe(`Brookfield Primary School: Sam: Trip to the museum. Read it here: ${link}`);
    // Kofi, with neither, is on paper still.
    expect((await recipientRow(t, id, boatengs.kofi)).channels.split(',')).toContain('paper');

    await t.worker.drain();
    expect(fake.received.map((r) => r.to)).toEqual(['+447700900777']);
    const opened = await t.app.inject({ method: 'GET', url: `/m/${ama.read_token}` });
    expect(opened.statusCode).toBe(200);
    expect(opened.body).toContain('Year 3 go to the museum on Friday.');
  });
});
