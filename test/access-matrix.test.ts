import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dialects, ownTables } from './support/db.ts';
import { startTestApp, type Client, type TestApp } from './support/app.ts';
import type { Fixture } from './support/fixture.ts';
import { newId } from '../src/platform/ids.ts';
import { sendMessage } from '../src/features/messages/send.ts';

/**
 * Every route × every role. The table below is written by hand, independently of the policies in
 * the code: if a route is added without a row here, or a route lets in someone its row does not
 * name (or keeps out someone it does), this test fails.
 */
import { EVERYONE, OTHER_SCHOOL, SEE_PUPILS, SIGNED_IN, STAFF, type FeatureRows, type Who } from './access/types.ts';
import { paramsOf, RECORD_PARAMS } from '../src/platform/access/records.ts';
import { eveningRows } from './access/evening-rows.ts';
import { meetingRows } from './access/meeting-rows.ts';
import { eveningBookingRows } from './access/evening-booking-rows.ts';
import { meetingRecordRows } from './access/meeting-record-rows.ts';
import { recordsRows } from './access/records-rows.ts';
import { concernRows } from './access/concern-rows.ts';

// Features with many routes keep their rows in test/access/*-rows.ts.
const FEATURES: FeatureRows[] = [eveningRows, eveningBookingRows, meetingRows, meetingRecordRows, recordsRows, concernRows];
const EDIT_PEOPLE: Who[] = ['head', 'senior_leader', 'office'];
const HEAD_AND_DSL: Who[] = ['head', 'dsl'];
const HEAD_AND_OFFICE: Who[] = ['head', 'office'];
const COMPOSERS: Who[] = ['head', 'senior_leader', 'office', 'teacher', 'senco', 'family_liaison', 'dsl', 'deputy_dsl'];
const MESSAGE_READERS: Who[] = ['head', 'senior_leader', 'office', 'senco', 'family_liaison', 'dsl', 'deputy_dsl'];

type Ids = { batchId: string; linkId: string; draftId: string; sentId: string; readToken: string; groupId: string; termId: string };
type Row = { allowed: Who[]; url: (f: Fixture & Ids, ids: Record<string, string>) => string; form?: (f: Fixture & Ids, ids: Record<string, string>, who: Who) => Record<string, string> };
const OWN_ROWS: Record<string, Row> = {
  'GET /health': { allowed: EVERYONE, url: () => '/health' },
  // Twilio's delivery receipts: no session needed; an unsigned request is refused with 403 by the handler.
  'POST /sms/receipts': { allowed: EVERYONE, url: () => '/sms/receipts?outbox=x' },
  'GET /accessibility': { allowed: EVERYONE, url: () => '/accessibility' },
  'GET /school.css': { allowed: EVERYONE, url: () => '/school.css' },
  'GET /': { allowed: EVERYONE, url: () => '/' },
  'GET /sign-in': { allowed: EVERYONE, url: () => '/sign-in' },
  'POST /sign-in': { allowed: EVERYONE, url: () => '/sign-in' },
  'GET /sign-in/two-step': { allowed: EVERYONE, url: () => '/sign-in/two-step' },
  'POST /sign-in/two-step': { allowed: EVERYONE, url: () => '/sign-in/two-step' },
  'GET /sign-in/link': { allowed: EVERYONE, url: () => '/sign-in/link' },
  'POST /sign-in/link': { allowed: EVERYONE, url: () => '/sign-in/link' },
  'GET /sign-in/link/:token': { allowed: EVERYONE, url: () => '/sign-in/link/abc.def' },
  'POST /sign-in/link/:token': { allowed: EVERYONE, url: () => '/sign-in/link/abc.def' },
  'GET /sign-in/code': { allowed: EVERYONE, url: () => '/sign-in/code' },
  'POST /sign-in/code': { allowed: EVERYONE, url: () => '/sign-in/code' },
  'GET /sign-out': { allowed: SIGNED_IN, url: () => '/sign-out' },
  'POST /sign-out': { allowed: SIGNED_IN, url: () => '/sign-out' },
  'GET /account': { allowed: SIGNED_IN, url: () => '/account' },
  'POST /account/password': { allowed: SIGNED_IN, url: () => '/account/password' },
  'GET /account/two-step': { allowed: STAFF, url: () => '/account/two-step' },
  'POST /account/two-step': { allowed: STAFF, url: () => '/account/two-step' },
  'GET /pupils': { allowed: SEE_PUPILS, url: () => '/pupils' },
  'GET /pupils/:pupilId': { allowed: SEE_PUPILS, url: (f) => `/pupils/${f.pupils.kuba}` },
  'GET /pupils/:pupilId/edit': { allowed: EDIT_PEOPLE, url: (f) => `/pupils/${f.pupils.kuba}/edit` },
  'POST /pupils/:pupilId/edit': { allowed: EDIT_PEOPLE, url: (f) => `/pupils/${f.pupils.kuba}/edit` },
  'GET /pupils/:pupilId/links/:linkId/edit': { allowed: EDIT_PEOPLE, url: (f) => `/pupils/${f.pupils.kuba}/links/${f.linkId}/edit` },
  'POST /pupils/:pupilId/links/:linkId/edit': { allowed: EDIT_PEOPLE, url: (f) => `/pupils/${f.pupils.kuba}/links/${f.linkId}/edit` },
  'GET /pupils/:pupilId/restrictions/new': { allowed: HEAD_AND_DSL, url: (f) => `/pupils/${f.pupils.kuba}/restrictions/new` },
  'POST /pupils/:pupilId/restrictions/new': { allowed: HEAD_AND_DSL, url: (f) => `/pupils/${f.pupils.kuba}/restrictions/new` },
  'POST /pupils/:pupilId/restrictions/:restrictionId/lift': { allowed: HEAD_AND_DSL, url: (f) => `/pupils/${f.pupils.lily}/restrictions/${f.restriction}/lift` },
  'GET /carers': { allowed: SEE_PUPILS, url: () => '/carers' },
  'GET /carers/:carerId': { allowed: SEE_PUPILS, url: (f) => `/carers/${f.carers.marta}` },
  'GET /carers/:carerId/edit': { allowed: EDIT_PEOPLE, url: (f) => `/carers/${f.carers.marta}/edit` },
  'POST /carers/:carerId/edit': { allowed: EDIT_PEOPLE, url: (f) => `/carers/${f.carers.marta}/edit` },
  'POST /carers/:carerId/sign-in-code': { allowed: HEAD_AND_OFFICE, url: (f) => `/carers/${f.carers.faduma}/sign-in-code` },
  'GET /children/:pupilId': { allowed: ['carer'], url: (f) => `/children/${f.pupils.kuba}` },
  'GET /audit': { allowed: ['head'], url: () => '/audit' },
  'GET /settings/messages': { allowed: ['head'], url: () => '/settings/messages' },
  'POST /settings/messages': { allowed: ['head'], url: () => '/settings/messages' },
  'GET /messages': { allowed: COMPOSERS, url: () => '/messages' },
  'GET /messages/new': { allowed: COMPOSERS, url: () => '/messages/new' },
  'POST /messages/new': { allowed: COMPOSERS, url: () => '/messages/new' },
  'GET /messages/:messageId': { allowed: MESSAGE_READERS, url: (f) => `/messages/${f.draftId}` },
  'GET /messages/:messageId/edit': { allowed: MESSAGE_READERS, url: (f) => `/messages/${f.draftId}/edit` },
  'POST /messages/:messageId/edit': { allowed: MESSAGE_READERS, url: (f) => `/messages/${f.draftId}/edit` },
  'POST /messages/:messageId/send': { allowed: MESSAGE_READERS, url: (f) => `/messages/${f.draftId}/send` },
  'GET /inbox': { allowed: ['carer'], url: () => '/inbox' },
  'GET /inbox/:messageId': { allowed: ['carer'], url: (f) => `/inbox/${f.sentId}` },
  'POST /inbox/:messageId/acknowledge': { allowed: ['carer'], url: (f) => `/inbox/${f.sentId}/acknowledge` },
  'GET /m/:token': { allowed: EVERYONE, url: (f) => `/m/${f.readToken}` },
  'POST /m/:token/acknowledge': { allowed: EVERYONE, url: (f) => `/m/${f.readToken}/acknowledge` },
  'GET /m/:token/stop-emails': { allowed: EVERYONE, url: (f) => `/m/${f.readToken}/stop-emails` },
  'POST /m/:token/stop-emails': { allowed: EVERYONE, url: (f) => `/m/${f.readToken}/stop-emails` },
  // rows: translations, paper pack, carer preferences
  'GET /messages/:messageId/translations': { allowed: MESSAGE_READERS, url: (f) => `/messages/${f.draftId}/translations` },
  'POST /messages/:messageId/translations/:language/request': { allowed: MESSAGE_READERS, url: (f) => `/messages/${f.draftId}/translations/Polish/request` },
  'GET /messages/:messageId/translations/:language': { allowed: MESSAGE_READERS, url: (f) => `/messages/${f.draftId}/translations/Polish` },
  'POST /messages/:messageId/translations/:language': { allowed: MESSAGE_READERS, url: (f) => `/messages/${f.draftId}/translations/Polish` },
  'POST /messages/:messageId/translations/:language/check': { allowed: MESSAGE_READERS, url: (f) => `/messages/${f.draftId}/translations/Polish/check` },
  'POST /messages/:messageId/translations/:language/machine': { allowed: MESSAGE_READERS, url: (f) => `/messages/${f.draftId}/translations/Polish/machine` },
  'GET /messages/:messageId/paper': { allowed: MESSAGE_READERS, url: (f) => `/messages/${f.sentId}/paper` },
  'GET /preferences': { allowed: ['carer'], url: () => '/preferences' },
  'POST /preferences': { allowed: ['carer'], url: () => '/preferences' },
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
  'POST /praise': { allowed: COMPOSERS, url: () => '/praise' },
  'GET /groups': { allowed: ['head', 'senior_leader', 'office', 'family_liaison'], url: () => '/groups' },
  'POST /groups': { allowed: ['head', 'senior_leader', 'office', 'family_liaison'], url: () => '/groups', form: (_f, _ids, who) => ({ name: `Reading partners ${who}` }) },
  'GET /groups/:groupId': { allowed: ['head', 'senior_leader', 'office', 'family_liaison'], url: (f) => `/groups/${f.groupId}` },
  'POST /groups/:groupId/members': { allowed: ['head', 'senior_leader', 'office', 'family_liaison'], url: (f) => `/groups/${f.groupId}/members` },
  'POST /groups/:groupId/members/:carerId/remove': { allowed: ['head', 'senior_leader', 'office', 'family_liaison'], url: (f) => `/groups/${f.groupId}/members/${f.carers.grace}/remove` },
  'GET /import': { allowed: HEAD_AND_OFFICE, url: () => '/import' },
  'GET /import/columns': { allowed: HEAD_AND_OFFICE, url: () => '/import/columns' },
  'POST /import': { allowed: HEAD_AND_OFFICE, url: () => '/import' },
  'GET /import/:batchId': { allowed: HEAD_AND_OFFICE, url: (f) => `/import/${f.batchId}` },
  'POST /import/:batchId/apply': { allowed: HEAD_AND_OFFICE, url: (f) => `/import/${f.batchId}/apply` },
  'GET /glossary': { allowed: SEE_PUPILS, url: () => '/glossary' },
  'POST /glossary': { allowed: EDIT_PEOPLE, url: () => '/glossary', form: (_f, _ids, who) => ({ term: `Word ${who}`, plain: 'plain words' }) },
  'POST /glossary/:termId': { allowed: EDIT_PEOPLE, url: (f) => `/glossary/${f.termId}`, form: (_f, _ids, who) => ({ plain: `tests at the end of Year 6 (${who})` }) },
  'POST /glossary/:termId/remove': { allowed: EDIT_PEOPLE, url: (f) => `/glossary/${f.termId}/remove` },
  'GET /clear-language': { allowed: SEE_PUPILS, url: () => '/clear-language' },
  'POST /clear-language': { allowed: SEE_PUPILS, url: () => '/clear-language' },
};
const MATRIX: Record<string, Row> = Object.assign({}, OWN_ROWS, ...FEATURES.map((feature) => feature.rows));

describe.each(dialects)('access matrix on %s', (dialect) => {
  let t: TestApp;
  let f: Fixture & Ids;
  const featureIds: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp(dialect);
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
    for (const feature of FEATURES) Object.assign(featureIds, await feature.setup?.(t));
    f = { ...t.fx, batchId, linkId: link.id, draftId: draft.id, sentId: sent.id, readToken: received.read_token, groupId, termId };
  });
  afterAll(async () => t?.close());

  it('covers every route the app serves, and no route it does not', () => {
    const served = t.app.gatepostRoutes.filter((r) => !r.url.startsWith('/assets/')).map((r) => `${r.method} ${r.url}`);
    expect([...new Set(served)].sort()).toEqual(Object.keys(MATRIX).sort());
  });

  async function clientFor(who: Who): Promise<Client> {
    if (who === 'anonymous') return t.anonymous();
    if (who === 'carer') return t.as('carer', t.fx.carers.marta);
    if (who === 'other_carer') return t.as('carer', t.fx.carers.otherCarer, t.fx.other.id);
    if (who === 'other_head') return t.as('staff', t.fx.staff.otherHead, t.fx.other.id);
    return t.as('staff', t.fx.staff[who]);
  }

  /** Row counts of every table and the audit log, in one query: a refused request changes none of them. */
  let snapshotSql: ReturnType<typeof sql<Record<string, number | string>>>;
  async function snapshot(): Promise<Record<string, number>> {
    const row = (await snapshotSql.execute(t.db)).rows[0]!;
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
  }
  beforeAll(async () => {
    const tables = (await ownTables(t.db)).filter((name) => name !== 'sessions');
    snapshotSql = sql<Record<string, number | string>>`select ${sql.join(tables.map((name) => sql`(select count(*) from ${sql.table(name)}) as ${sql.ref(name)}`))}`;
  });

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
        const client = await clientFor(who);
        const url = row.url(f, featureIds);
        const before = await snapshot();
        const form = row.form?.(f, featureIds, who);
        const res = method === 'GET' ? await client.get(url) : await client.post(url, form ?? {});
        const toSignIn = res.statusCode === 303 && String(res.headers.location).startsWith('/sign-in');
        const allowedHere = allowedFor(route, row, who);
        if (res.statusCode >= 500) problems.push(`${who}: ${res.statusCode}`);
        else if (allowedHere && (res.statusCode === 404 || (toSignIn && route !== 'GET /' && !route.includes('/sign-in')))) problems.push(`${who} was refused (${res.statusCode})`);
        else if (!allowedHere && who === 'anonymous' && !toSignIn) problems.push(`anonymous was not sent to sign in (${res.statusCode})`);
        else if (!allowedHere && who !== 'anonymous' && res.statusCode !== 404) problems.push(`${who} got ${res.statusCode}, expected 404`);
        const after = await snapshot();
        const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
        if (!allowedHere && changed.length) problems.push(`${who} was refused but changed ${changed.join(', ')}`);
        if (allowedHere && form && !changed.length) problems.push(`${who} was let in, but the form wrote nothing (${res.statusCode})`);
      }
      expect(problems).toEqual([]);
    });
  }
});
