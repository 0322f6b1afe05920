import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { rowCounter } from './support/row-counts.ts';
import { dialects, ownTables } from './support/db.ts';
import { startTestApp, type Client, type TestApp } from './support/app.ts';
import { startFakeTranslate, type FakeTranslate } from './support/fake-translate.ts';
import type { Fixture } from './support/fixture.ts';
import { newId } from '../src/platform/ids.ts';
import { sendMessage } from '../src/features/messages/send.ts';

/**
 * Every route × every role. The table below is written by hand, independently of the policies in
 * the code: if a route is added without a row here, or a route lets in someone its row does not
 * name (or keeps out someone it does), this test fails.
 */
import { EVERYONE, OTHER_SCHOOL, SEE_PUPILS, SIGNED_IN, STAFF, type Row as FeatureRow, type Who } from './access/types.ts';
import { EXEMPT_POSTS } from './access/exempt.ts';
import { EDIT_PEOPLE, GROUP_KEEPERS, HEAD_AND_DSL, HEAD_AND_OFFICE, MESSAGE_READERS, ownSetup, TOTP_SECRET } from './access/own-setup.ts';
import { OWN_FORMS } from './access/own-forms.ts';
import { mine } from './access/types.ts';
import { FIXTURE_PASSWORD } from './support/fixture.ts';
import { currentTotp } from '../src/platform/auth/totp.ts';
import { paramsOf, RECORD_PARAMS } from '../src/platform/access/records.ts';
import { FEATURES } from './access/features.ts';

const COMPOSERS: Who[] = ['head', 'senior_leader', 'office', 'teacher', 'senco', 'family_liaison', 'dsl', 'deputy_dsl'];

type Ids = { batchId: string; linkId: string; draftId: string; sentId: string; readToken: string; groupId: string; termId: string };
type Row = Omit<FeatureRow, 'url' | 'form'> & {
  url: (f: Fixture & Ids, ids: Record<string, string>, who: Who) => string;
  form?: (f: Fixture & Ids, ids: Record<string, string>, who: Who) => Record<string, string | string[]>;
};
const OWN_ROWS: Record<string, Row> = {
  'GET /health': { allowed: EVERYONE, url: () => '/health' },
  // Twilio's delivery receipts: no session needed; an unsigned request is refused with 403 by the handler.
  'POST /sms/receipts': { allowed: EVERYONE, url: () => '/sms/receipts?outbox=x' },
  'GET /accessibility': { allowed: EVERYONE, url: () => '/accessibility' },
  'GET /language': { allowed: ['carer'], url: () => '/language?to=en&next=/' },
  'GET /school.css': { allowed: EVERYONE, url: () => '/school.css' },
  'GET /': { allowed: EVERYONE, url: () => '/' },
  'GET /sign-in': { allowed: EVERYONE, url: () => '/sign-in' },
  // Ms Shah, the governor, signs in (an audit entry), whoever is signed in already.
  'POST /sign-in': { allowed: EVERYONE, url: () => '/sign-in', form: () => ({ email: 'shah@brookfield.test', password: FIXTURE_PASSWORD }) },
  'GET /sign-in/two-step': { allowed: EVERYONE, url: () => '/sign-in/two-step' },
  'POST /sign-in/two-step': { allowed: EVERYONE, url: () => '/sign-in/two-step' },
  'GET /sign-in/link': { allowed: EVERYONE, url: () => '/sign-in/link' },
  // A link for a carer (a row and an email in the outbox).
  'POST /sign-in/link': { allowed: EVERYONE, url: () => '/sign-in/link', form: (_f, _ids, who) => ({ email: OWN_FORMS.linkEmail(who) }) },
  'GET /sign-in/link/:token': { allowed: EVERYONE, url: () => '/sign-in/link/abc.def' },
  // Each uses a link (for Sarah) and a printed code (for a carer) of their own.
  'POST /sign-in/link/:token': { allowed: EVERYONE, url: (_f, ids, who) => `/sign-in/link/${mine(ids, 'signInLink', who)}`, form: () => ({}) },
  'GET /sign-in/code': { allowed: EVERYONE, url: () => '/sign-in/code' },
  'POST /sign-in/code': { allowed: EVERYONE, url: () => '/sign-in/code', form: (_f, ids, who) => ({ code: mine(ids, 'signInCode', who) }) },
  'GET /sign-out': { allowed: SIGNED_IN, url: () => '/sign-out' },
  // Signing out ends the person's session (sessions are not counted, so its rows are compared).
  'POST /sign-out': { allowed: SIGNED_IN, url: () => '/sign-out', form: () => ({}), touches: ['sessions'] },
  'GET /account': { allowed: SIGNED_IN, url: () => '/account' },
  'POST /account/password': {
    allowed: SIGNED_IN,
    url: () => '/account/password',
    form: () => ({ current: FIXTURE_PASSWORD, password: 'a longer passphrase for the matrix', confirm: 'a longer passphrase for the matrix' }),
  },
  'GET /account/two-step': { allowed: STAFF, url: () => '/account/two-step' },
  'POST /account/two-step': { allowed: STAFF, url: () => '/account/two-step', form: () => ({ code: currentTotp(TOTP_SECRET) }) },
  'GET /pupils': { allowed: SEE_PUPILS, url: () => '/pupils' },
  'GET /pupils/:pupilId': { allowed: SEE_PUPILS, url: (f) => `/pupils/${f.pupils.kuba}` },
  'GET /pupils/:pupilId/edit': { allowed: EDIT_PEOPLE, url: (f) => `/pupils/${f.pupils.kuba}/edit` },
  'POST /pupils/:pupilId/edit': { allowed: EDIT_PEOPLE, url: (f, _ids, who) => `/pupils/${OWN_FORMS.pupil(f, who).id}/edit`, form: (f, _ids, who) => OWN_FORMS.pupil(f, who).form },
  'GET /pupils/:pupilId/links/:linkId/edit': { allowed: EDIT_PEOPLE, url: (f) => `/pupils/${f.pupils.kuba}/links/${f.linkId}/edit` },
  'POST /pupils/:pupilId/links/:linkId/edit': {
    allowed: EDIT_PEOPLE,
    url: (f) => `/pupils/${f.pupils.kuba}/links/${f.linkId}/edit`,
    form: () => ({ relationship: 'mother', parental_responsibility: 'yes', lives_with_pupil: 'yes', contact_priority: '1', may_receive_information: 'yes' }),
  },
  'GET /pupils/:pupilId/restrictions/new': { allowed: HEAD_AND_DSL, url: (f) => `/pupils/${f.pupils.kuba}/restrictions/new` },
  // An arrangement from 2099 about Tomasz: recorded, but stopping nothing the other rows try.
  'POST /pupils/:pupilId/restrictions/new': {
    allowed: HEAD_AND_DSL,
    url: (f) => `/pupils/${f.pupils.kuba}/restrictions/new`,
    form: (f, _ids, who) => ({ carer_id: f.carers.tomasz, kind: 'agreed_arrangement', stops: 'collection', details: `Collects on Fridays only (${who})`, starts_on: '1/9/2099' }),
  },
  // Each lifts an arrangement of their own about Mark (the court order stays).
  'POST /pupils/:pupilId/restrictions/:restrictionId/lift': {
    allowed: HEAD_AND_DSL,
    url: (f, ids, who) => `/pupils/${f.pupils.lily}/restrictions/${mine(ids, 'liftRestriction', who)}/lift`,
    form: () => ({}),
  },
  'GET /carers': { allowed: SEE_PUPILS, url: () => '/carers' },
  'GET /carers/:carerId': { allowed: SEE_PUPILS, url: (f) => `/carers/${f.carers.marta}` },
  'GET /carers/:carerId/edit': { allowed: EDIT_PEOPLE, url: (f) => `/carers/${f.carers.marta}/edit` },
  'POST /carers/:carerId/edit': { allowed: EDIT_PEOPLE, url: (f, _ids, who) => `/carers/${OWN_FORMS.carer(f, who).id}/edit`, form: (f, _ids, who) => OWN_FORMS.carer(f, who).form },
  'POST /carers/:carerId/sign-in-code': { allowed: HEAD_AND_OFFICE, url: (f) => `/carers/${f.carers.faduma}/sign-in-code`, form: () => ({}) },
  'GET /children/:pupilId': { allowed: ['carer'], url: (f) => `/children/${f.pupils.kuba}` },
  'GET /audit': { allowed: ['head'], url: () => '/audit' },
  'GET /settings/messages': { allowed: ['head'], url: () => '/settings/messages' },
  'POST /settings/messages': { allowed: ['head'], url: () => '/settings/messages', form: () => ({ mobile_only_letters: 'text' }) },
  'GET /messages': { allowed: COMPOSERS, url: () => '/messages' },
  'GET /messages/new': { allowed: COMPOSERS, url: () => '/messages/new' },
  'POST /messages/new': { allowed: COMPOSERS, url: () => '/messages/new', form: (f, _ids, who) => OWN_FORMS.aboutKuba(f, `Reading at home (${who})`, { form_id: newId() }) },
  'GET /messages/:messageId': { allowed: MESSAGE_READERS, url: (f) => `/messages/${f.draftId}` },
  'GET /messages/:messageId/edit': { allowed: MESSAGE_READERS, url: (f) => `/messages/${f.draftId}/edit` },
  'POST /messages/:messageId/edit': { allowed: MESSAGE_READERS, url: (f) => `/messages/${f.draftId}/edit`, form: (f, _ids, who) => OWN_FORMS.aboutKuba(f, `Harvest (${who})`) },
  'POST /messages/:messageId/send': { allowed: MESSAGE_READERS, url: (_f, ids, who) => `/messages/${mine(ids, 'sendDraft', who)}/send`, form: () => ({}) },
  'GET /inbox': { allowed: ['carer'], url: () => '/inbox' },
  'GET /inbox/:messageId': { allowed: ['carer'], url: (f) => `/inbox/${f.sentId}` },
  'POST /inbox/:messageId/acknowledge': { allowed: ['carer'], url: (f) => `/inbox/${f.sentId}/acknowledge`, form: () => ({}), touches: ['message_recipients'] },
  'GET /m/:token': { allowed: EVERYONE, url: (f) => `/m/${f.readToken}` },
  'POST /m/:token/acknowledge': { allowed: EVERYONE, url: (_f, ids, who) => `/m/${mine(ids, 'readToken', who)}/acknowledge`, form: () => ({}), touches: ['message_recipients'] },
  'GET /m/:token/stop-emails': { allowed: EVERYONE, url: (f) => `/m/${f.readToken}/stop-emails` },
  'POST /m/:token/stop-emails': { allowed: EVERYONE, url: (_f, ids, who) => `/m/${mine(ids, 'readToken', who)}/stop-emails`, form: () => ({}) },
  // rows: translations, paper pack, carer preferences
  'GET /messages/:messageId/translations': { allowed: MESSAGE_READERS, url: (f) => `/messages/${f.draftId}/translations` },
  'POST /messages/:messageId/translations/:language/request': {
    allowed: MESSAGE_READERS,
    url: (_f, ids, who) => `/messages/${mine(ids, 'translateDraft', who)}/translations/Polish/request`,
    form: () => ({}),
  },
  'GET /messages/:messageId/translations/:language': { allowed: MESSAGE_READERS, url: (f) => `/messages/${f.draftId}/translations/Polish` },
  'POST /messages/:messageId/translations/:language': {
    allowed: MESSAGE_READERS,
    url: (f) => `/messages/${f.draftId}/translations/Polish`,
    form: (_f, _ids, who) => ({ subject: 'Dożynki', body: `Puszki, proszę (${who}).` }),
  },
  // Each checks a translation Ms Hall wrote; each asks the (fake) service to translate a draft of their own.
  'POST /messages/:messageId/translations/:language/check': {
    allowed: MESSAGE_READERS,
    url: (_f, ids, who) => `/messages/${mine(ids, 'checkDraft', who)}/translations/Polish/check`,
    form: () => ({}),
  },
  'POST /messages/:messageId/translations/:language/machine': {
    allowed: MESSAGE_READERS,
    url: (_f, ids, who) => `/messages/${mine(ids, 'translateDraft', who)}/translations/Polish/machine`,
    form: () => ({}),
  },
  'GET /messages/:messageId/paper': { allowed: MESSAGE_READERS, url: (f) => `/messages/${f.sentId}/paper` },
  'GET /preferences': { allowed: ['carer'], url: () => '/preferences' },
  // An interpreter at meetings, in the language each already reads.
  'POST /preferences': {
    allowed: ['carer'],
    url: () => '/preferences',
    form: (_f, _ids, who) => ({ channel_app: 'yes', preferred_language: who === 'carer' ? 'Polish' : 'English', interpreter_needed: 'yes' }),
  },
  // rows: not reached, contacts
  'GET /reach/not-reached': { allowed: ['head', 'senior_leader', 'office', 'family_liaison', 'dsl', 'deputy_dsl', 'senco'], url: () => '/reach/not-reached' },
  'GET /carers/:carerId/reach': { allowed: ['head', 'senior_leader', 'office', 'family_liaison', 'dsl', 'deputy_dsl', 'senco'], url: (f) => `/carers/${f.carers.marta}/reach` },
  'GET /carers/:carerId/contacts/new': { allowed: ['head', 'senior_leader', 'office', 'family_liaison', 'dsl', 'deputy_dsl', 'senco'], url: (f) => `/carers/${f.carers.marta}/contacts/new` },
  'POST /carers/:carerId/contacts/new': {
    allowed: ['head', 'senior_leader', 'office', 'family_liaison', 'dsl', 'deputy_dsl', 'senco'],
    url: (f) => `/carers/${f.carers.faduma}/contacts/new`,
    form: (_f, _ids, who) => ({ kind: 'phone', note: `Rang about the trip (${who})`, form_id: newId() }),
  },
  // rows: praise
  'GET /praise': { allowed: COMPOSERS, url: () => '/praise' },
  // The other school's head praises a pupil of theirs.
  'POST /praise': {
    allowed: COMPOSERS,
    url: () => '/praise',
    form: (f, _ids, who) => ({
      ...(who === 'other_head' ? { class_id: f.classes.other, pupil_ids: f.pupils.otherPupil } : { class_id: f.classes.y3, pupil_ids: f.pupils.kuba }),
      note: `Fantastic reading today (${who})`,
    }),
  },
  'GET /groups': { allowed: GROUP_KEEPERS, url: () => '/groups' },
  'POST /groups': { allowed: GROUP_KEEPERS, url: () => '/groups', form: (_f, _ids, who) => ({ name: `Reading partners ${who}` }) },
  'GET /groups/:groupId': { allowed: GROUP_KEEPERS, url: (f) => `/groups/${f.groupId}` },
  // Each adds Marta to, and removes Grace from, a group of their own.
  'POST /groups/:groupId/members': { allowed: GROUP_KEEPERS, url: (_f, ids, who) => `/groups/${mine(ids, 'group', who)}/members`, form: (f) => ({ carer_id: f.carers.marta }) },
  'POST /groups/:groupId/members/:carerId/remove': { allowed: GROUP_KEEPERS, url: (f, ids, who) => `/groups/${mine(ids, 'group', who)}/members/${f.carers.grace}/remove`, form: () => ({}) },
  'GET /import': { allowed: HEAD_AND_OFFICE, url: () => '/import' },
  'GET /import/columns': { allowed: HEAD_AND_OFFICE, url: () => '/import/columns' },
  // A pupils file with one new pupil: uploading it makes a dry run (a batch row), nothing imported yet.
  'POST /import': {
    allowed: HEAD_AND_OFFICE,
    url: () => '/import',
    form: () => ({ kind: 'pupils' }),
    file: { field: 'file', name: 'pupils.csv', content: 'UPN,Forename,Surname,DOB,Year\nH801200007002,Rhys,Evans,01/02/2019,3\n' },
  },
  'GET /import/:batchId': { allowed: HEAD_AND_OFFICE, url: (f) => `/import/${f.batchId}` },
  'POST /import/:batchId/apply': { allowed: HEAD_AND_OFFICE, url: (_f, ids, who) => `/import/${mine(ids, 'batch', who)}/apply`, form: () => ({}) },
  'GET /glossary': { allowed: SEE_PUPILS, url: () => '/glossary' },
  'POST /glossary': { allowed: EDIT_PEOPLE, url: () => '/glossary', form: (_f, _ids, who) => ({ term: `Word ${who}`, plain: 'plain words' }) },
  'POST /glossary/:termId': { allowed: EDIT_PEOPLE, url: (f) => `/glossary/${f.termId}`, form: (_f, _ids, who) => ({ plain: `tests at the end of Year 6 (${who})` }) },
  'POST /glossary/:termId/remove': { allowed: EDIT_PEOPLE, url: (_f, ids, who) => `/glossary/${mine(ids, 'term', who)}/remove`, form: () => ({}) },
  'GET /clear-language': { allowed: SEE_PUPILS, url: () => '/clear-language' },
  'POST /clear-language': { allowed: SEE_PUPILS, url: () => '/clear-language' },
  // rows: Settings → Languages (the head only)
  'GET /settings/languages': { allowed: ['head'], url: () => '/settings/languages' },
  'GET /settings/languages/:code': { allowed: ['head'], url: () => '/settings/languages/pl?q=evening' },
  'POST /settings/languages/:code/check': { allowed: ['head'], url: () => '/settings/languages/pl/check', form: (_f, _ids, who) => ({ checked_by: `Ana Silva (${who})`, checked_on: '3/11/2025' }) },
  'POST /settings/languages/:code/words': {
    allowed: ['head'],
    url: () => '/settings/languages/pl/words',
    form: (_f, _ids, who) => ({ key: 'common.nav.evenings', text: `Konsultacje (${who})`, action: 'save' }),
  },
};
const MATRIX: Record<string, Row> = Object.assign({}, OWN_ROWS, ...FEATURES.map((feature) => feature.rows));

describe.each(dialects)('access matrix on %s', (dialect) => {
  let t: TestApp;
  let translate: FakeTranslate;
  let f: Fixture & Ids;
  const featureIds: Record<string, string> = {};
  beforeAll(async () => {
    // A translation service, so that asking for a machine translation can be tried as a write.
    translate = await startFakeTranslate();
    t = await startTestApp(dialect, { env: { TRANSLATE_URL: translate.url } });
    const batchId = newId();
    await t.db
      .insertInto('import_batches')
      .values({
        id: batchId,
        school_id: t.fx.school.id,
        kind: 'pupils',
        file_name: 'pupils.csv',
        csv_text: 'UPN,Forename,Surname,DOB,Year\n',
        created_by: t.fx.staff.office,
        created_at: new Date().toISOString(),
        applied_at: null,
      })
      .execute();
    const link = await t.db.selectFrom('carer_pupils').select('id').where('pupil_id', '=', t.fx.pupils.kuba).where('carer_id', '=', t.fx.carers.marta).executeTakeFirstOrThrow();
    const message = (status: 'draft') => ({
      id: newId(),
      school_id: t.fx.school.id,
      kind: 'newsletter' as const,
      tone: 'information' as const,
      subject: 'Harvest',
      body: 'Tins, please.',
      audience_json: JSON.stringify({ kind: 'school' }),
      asks_acknowledgement: 1 as const,
      status,
      scheduled_for: null,
      sent_at: null,
      created_by: t.fx.staff.head,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    });
    const draft = message('draft');
    const sent = message('draft');
    await t.db.insertInto('messages').values([draft, sent]).execute();
    await sendMessage(t.db, { kind: 'system' }, t.fx.school.id, sent.id, { baseUrl: 'http://gatepost.test', schoolName: 'Brookfield', today: '2026-11-23', now: new Date() });
    const received = await t.db.selectFrom('message_recipients').select('read_token').where('message_id', '=', sent.id).where('carer_id', '=', t.fx.carers.marta).executeTakeFirstOrThrow();
    const groupId = newId();
    await t.db.insertInto('carer_groups').values({ id: groupId, school_id: t.fx.school.id, name: 'PTA' }).execute();
    const termId = newId();
    await t.db.insertInto('glossary').values({ id: termId, school_id: t.fx.school.id, term: 'SATs', plain: 'national tests in Year 6' }).execute();
    Object.assign(featureIds, await ownSetup(t));
    for (const feature of FEATURES) Object.assign(featureIds, await feature.setup?.(t));
    f = { ...t.fx, batchId, linkId: link.id, draftId: draft.id, sentId: sent.id, readToken: received.read_token, groupId, termId };
  });
  afterAll(async () => {
    await t?.close();
    await translate?.close();
  });

  it('covers every route the app serves, and no route it does not', () => {
    const served = t.app.gatepostRoutes.filter((r) => !r.url.startsWith('/assets/')).map((r) => `${r.method} ${r.url}`);
    expect([...new Set(served)].sort()).toEqual(Object.keys(MATRIX).sort());
  });

  it('tries every POST route with a valid form, or says why not (test/access/exempt.ts)', () => {
    const posts = Object.keys(MATRIX).filter((route) => route.startsWith('POST '));
    expect(posts.filter((route) => !MATRIX[route]!.form && !(route in EXEMPT_POSTS))).toEqual([]);
    expect(Object.keys(EXEMPT_POSTS).filter((route) => !posts.includes(route) || MATRIX[route]!.form)).toEqual([]);
  });

  /**
   * Each person's session, kept for their GETs. A POST gets a new one, and afterwards the kept one is
   * made again: signing out ends a session, a new password ends the person's others.
   */
  const sessions = new Map<Who, Client>();
  async function clientFor(who: Who, method: string): Promise<Client> {
    if (who === 'anonymous') return t.anonymous();
    const kept = method === 'GET' ? sessions.get(who) : undefined;
    if (kept) return kept;
    const client =
      who === 'carer'
        ? await t.as('carer', t.fx.carers.marta)
        : who === 'other_carer'
          ? await t.as('carer', t.fx.carers.otherCarer, t.fx.other.id)
          : who === 'other_head'
            ? await t.as('staff', t.fx.staff.otherHead, t.fx.other.id)
            : await t.as('staff', t.fx.staff[who]);
    if (method === 'GET') sessions.set(who, client);
    return client;
  }

  /** Every row of these tables, as text: an update that adds no row (an acknowledgement) still changes it. */
  async function contents(tables: string[] | undefined): Promise<string> {
    const all = await Promise.all((tables ?? []).map(async (table) => (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(t.db)).rows.map((r) => JSON.stringify(r)).sort()));
    return JSON.stringify(all);
  }

  /** Row counts of every table and the audit log, in one query: a refused request changes none of them. */
  let snapshot: () => Promise<Record<string, number>>;
  beforeAll(async () => {
    snapshot = await rowCounter(
      t.db,
      dialect,
      (await ownTables(t.db)).filter((name) => name !== 'sessions'),
    );
  });

  /** The error summary of a page, for the failure message. */
  function problemsOn(body: string): string {
    const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(body)?.[1] ?? /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(body)?.[1] ?? body.slice(0, 200);
    return summary
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  }

  /** The other school's head and carer may use what a head or a carer may, except a route naming a Brookfield record. */
  function allowedFor(route: string, row: Row, who: Who): boolean {
    const mirror = (OTHER_SCHOOL as Record<string, Who>)[who];
    if (!mirror) return row.allowed.includes(who);
    return row.allowed.includes(mirror) && !paramsOf(route).some((p) => p in RECORD_PARAMS);
  }

  for (const [route, row] of Object.entries(MATRIX)) {
    it(`${route}: lets in ${row.allowed.length === EVERYONE.length ? 'everyone' : row.allowed.join(', ')}, and nobody else (nor the other school)`, async () => {
      const [method] = route.split(' ');
      const problems: string[] = [];
      // The other school first: a route that removes a record (a glossary word) must refuse them while it exists.
      for (const who of [...(Object.keys(OTHER_SCHOOL) as Who[]), ...EVERYONE]) {
        const client = await clientFor(who, method!);
        const url = row.url(f, featureIds, who);
        const before = await snapshot();
        const form = row.form?.(f, featureIds, who);
        const touchedBefore = await contents(row.touches);
        const res = method === 'GET' ? await client.get(url) : row.file && form ? await client.upload(url, form as Record<string, string>, row.file) : await client.post(url, form ?? {});
        if (method !== 'GET') sessions.delete(who);
        const toSignIn = res.statusCode === 303 && String(res.headers.location).startsWith('/sign-in');
        const allowedHere = allowedFor(route, row, who);
        if (res.statusCode >= 500) problems.push(`${who}: ${res.statusCode}`);
        else if (allowedHere && (res.statusCode === 404 || (toSignIn && route !== 'GET /' && !route.includes('/sign-in')))) problems.push(`${who} was refused (${res.statusCode})`);
        else if (!allowedHere && who === 'anonymous' && !toSignIn) problems.push(`anonymous was not sent to sign in (${res.statusCode})`);
        else if (!allowedHere && who !== 'anonymous' && res.statusCode !== 404) problems.push(`${who} got ${res.statusCode}, expected 404`);
        const after = await snapshot();
        const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
        if ((await contents(row.touches)) !== touchedBefore) changed.push(...row.touches!);
        if (!allowedHere && changed.length) problems.push(`${who} was refused but changed ${changed.join(', ')}`);
        if (allowedHere && form && !changed.length) problems.push(`${who} was let in, but the form wrote nothing (${res.statusCode})`);
        // A valid form is saved: an error page (a 400 re-showing the form with "There is a problem") is a failure.
        if (allowedHere && form && (res.statusCode >= 400 || res.body.includes('There is a problem')))
          problems.push(`${who} was let in, but the form was refused (${res.statusCode}): ${problemsOn(res.body)}`);
      }
      expect(problems).toEqual([]);
    });
  }
});
