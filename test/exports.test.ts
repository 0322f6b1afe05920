import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { book, makeEvening, slotsOfTeacher } from '../src/features/evenings/setup-test-data.ts';
import { sendMessage } from '../src/features/messages/send.ts';
import { newId } from '../src/platform/ids.ts';
import { dialects } from './support/db.ts';
import { startTestApp, type Client, type TestApp } from './support/app.ts';

/**
 * The office's CSV downloads: pupils, carers with their links, families not reached, parents'
 * evening schedules, a message's reach. Each is for the people who see its page (a teacher: their
 * own classes, evenings and messages; a carer: never), has no cell a spreadsheet would run as a
 * formula, and leaves an audit entry.
 */
const NOW = new Date('2026-11-10T09:00:00Z');
/** The newsletter went a week before: long enough for families to have read it (not-reached counts it). */
const SENT = new Date('2026-11-03T09:00:00Z');

type Download = { status: number; rows: string[][]; type: string; disposition: string; raw: string };
async function download(client: Client, url: string): Promise<Download> {
  const res = await client.get(url);
  const raw = res.body;
  const rows = res.statusCode === 200 ? (parse(raw.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][]) : [];
  return { status: res.statusCode, rows, type: String(res.headers['content-type'] ?? ''), disposition: String(res.headers['content-disposition'] ?? ''), raw };
}
const column = (d: Download, name: string) => {
  const at = d.rows[0]!.indexOf(name);
  expect(at, `column ${name}`).toBeGreaterThanOrEqual(0);
  return d.rows.slice(1).map((r) => r[at]);
};

describe.each(dialects)('CSV exports on %s', (dialect) => {
  let t: TestApp;
  let eveningId = '';
  let messageId = '';
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    // Text a spreadsheet would run: in a pupil's home language and a carer's address.
    await t.db.updateTable('pupils').set({ home_language: '=HYPERLINK("http://evil.example","Polish")' }).where('id', '=', t.fx.pupils.kuba).execute();
    await t.db.updateTable('carers').set({ address_line1: '@SUM(1+1)*cmd|" /C calc"!A0', mobile: '+447700900001' }).where('id', '=', t.fx.carers.marta).execute();
    eveningId = await makeEvening(t.db, t.fx, { separatedCarers: 'join' });
    const okaforSlots = await slotsOfTeacher(t.db, eveningId, t.fx.staff.teacher);
    await book(t.db, t.fx, okaforSlots[0]!, { pupilId: t.fx.pupils.kuba, carerId: t.fx.carers.marta, joined: [t.fx.carers.tomasz] });
    const hallSlots = await slotsOfTeacher(t.db, eveningId, t.fx.staff.teacher2);
    if (hallSlots[0]) await book(t.db, t.fx, hallSlots[0], { pupilId: t.fx.pupils.leo, carerId: t.fx.carers.grace });
    messageId = newId();
    await t.db
      .insertInto('messages')
      .values({
        id: messageId,
        school_id: t.fx.school.id,
        kind: 'newsletter',
        tone: 'information',
        subject: 'Harvest festival',
        body: 'Tins, please.',
        audience_json: JSON.stringify({ kind: 'school' }),
        asks_acknowledgement: 0,
        status: 'draft',
        scheduled_for: null,
        sent_at: null,
        created_by: t.fx.staff.teacher2,
        created_at: SENT.toISOString(),
        updated_at: SENT.toISOString(),
      })
      .execute();
    await sendMessage(t.db, { kind: 'system' }, t.fx.school.id, messageId, { baseUrl: 'http://gatepost.test', schoolName: 'Brookfield', today: '2026-11-03', now: SENT });
  });
  afterAll(async () => t?.close());

  const exportsBy = async (staffId: string) =>
    t.db.selectFrom('audit_log').select(['entity', 'entity_id', 'after_json']).where('action', '=', 'export.downloaded').where('actor_id', '=', staffId).execute();

  it('gives the office every pupil as UTF-8 CSV with a byte-order mark and a file name, formulas neutralised, and audits it', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const d = await download(office, '/pupils.csv');
    expect(d.status).toBe(200);
    expect(d.type).toBe('text/csv; charset=utf-8');
    expect(d.disposition).toBe('attachment; filename="pupils-2026-11-10.csv"');
    expect(d.raw.startsWith('\uFEFFUPN,Legal forename,Legal surname')).toBe(true);
    expect(column(d, 'Legal forename').sort()).toEqual(['Aleksandra', 'Ayaan', 'Jakub', 'Leo', 'Lily']); // not the other school's pupil
    const kuba = d.rows.find((r) => r[1] === 'Jakub')!;
    expect(kuba).toEqual([expect.stringMatching(/^A823/), 'Jakub', 'Nowak', '', '2019-05-01', 'Year 3', '3 Okafor', 'None', 'Yes', `'=HYPERLINK("http://evil.example","Polish")`]);
    expect(d.raw).not.toMatch(/(^|,)=HYPERLINK/m);
    // The page's filter carries over.
    expect(column(await download(office, '/pupils.csv?year=R&q=aleks'), 'Legal forename')).toEqual(['Aleksandra']);
    expect(await exportsBy(t.fx.staff.office)).toContainEqual({ entity: 'export', entity_id: 'pupils', after_json: JSON.stringify({ what: 'pupils', rows: 5, filter: {} }) });
  });

  it('gives a teacher only the pupils and carers of their classes, and a carer or the signed-out nothing', async () => {
    const okafor = await t.as('staff', t.fx.staff.teacher);
    expect(column(await download(okafor, '/pupils.csv'), 'Legal forename').sort()).toEqual(['Jakub', 'Lily']);
    const carers = await download(okafor, '/carers.csv');
    const pairs = carers.rows.slice(1).map((r) => `${r[1]} ${r[2]} – ${r[carers.rows[0]!.indexOf('Pupil')]}`);
    expect(pairs.sort()).toEqual(['Mark Dean – Lily Dean', 'Marta Nowak – Jakub Nowak', 'Sarah Dean – Lily Dean', 'Tomasz Nowak – Jakub Nowak']); // not Ola (Reception)
    for (const url of ['/pupils.csv', '/carers.csv', '/reach/not-reached.csv', `/evenings/${eveningId}/schedule.csv`, `/messages/${messageId}/reach.csv`]) {
      expect((await download(await t.as('carer', t.fx.carers.marta), url)).status, url).toBe(404);
      const anonymous = await t.anonymous().get(url);
      expect(anonymous.statusCode, url).toBe(303);
      expect(anonymous.headers.location).toMatch(/^\/sign-in/);
    }
    const otherHead = await t.as('staff', t.fx.staff.otherHead, t.fx.other.id);
    expect(column(await download(otherHead, '/pupils.csv'), 'Legal forename')).toEqual(['Olly']);
    expect((await download(otherHead, `/evenings/${eveningId}/schedule.csv`)).status).toBe(404);
    expect((await download(otherHead, `/messages/${messageId}/reach.csv`)).status).toBe(404);
  });

  it('lists carers with each link, says where a restriction is in force, and never offers a restricted person for a mail merge', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const d = await download(head, '/carers.csv');
    expect(d.status).toBe(200);
    const h = d.rows[0]!;
    const row = (given: string, pupil: string) => d.rows.find((r) => r[1] === given && r[h.indexOf('Pupil')] === pupil)!;
    const mark = row('Mark', 'Lily Dean');
    expect([mark[h.indexOf('Relationship')], mark[h.indexOf('May receive information')], mark[h.indexOf('Restriction in force')]]).toEqual(['Father', 'No', 'Yes']);
    const marta = row('Marta', 'Aleksandra Nowak');
    expect([marta[h.indexOf('Address line 1')], marta[h.indexOf('Mobile')], marta[h.indexOf('Channels')], marta[h.indexOf('May receive information')]]).toEqual([
      `'@SUM(1+1)*cmd|" /C calc"!A0`,
      "'+447700900001",
      'email, text, app',
      'Yes',
    ]);
    expect(d.rows.filter((r) => r[1] === 'Marta')).toHaveLength(2); // one row per child
  });

  it('downloads the families not reached for the chosen weeks, for reach roles only', async () => {
    const liaison = await t.as('staff', t.fx.staff.family_liaison);
    const d = await download(liaison, '/reach/not-reached.csv?weeks=2');
    expect(d.status).toBe(200);
    expect(d.disposition).toBe('attachment; filename="not-reached-2-weeks-2026-11-10.csv"');
    expect(d.rows[0]).toEqual([
      'Parent or carer',
      'Children',
      'Mobile',
      'Email',
      'Language',
      'Last reached',
      'Tried with no answer',
      'Why they are on this list',
      'Good news and concerns',
      'Restriction in force for a child',
    ]);
    const page = (await liaison.get('/reach/not-reached?weeks=2')).body;
    expect(d.rows.length - 1).toBe(Number(/id="not-reached-count"><strong>(\d+)</.exec(page)![1]));
    expect(d.rows.length).toBeGreaterThan(1);
    expect(column(d, 'Parent or carer')).toContain('Marta Nowak');
    expect((await download(await t.as('staff', t.fx.staff.teacher), '/reach/not-reached.csv')).status).toBe(404);
    expect(await exportsBy(t.fx.staff.family_liaison)).toHaveLength(1);
  });

  it('gives a teacher their own evening schedule and a leader every teacher’s', async () => {
    const okafor = await download(await t.as('staff', t.fx.staff.teacher), `/evenings/${eveningId}/schedule.csv`);
    expect(okafor.status).toBe(200);
    expect(new Set(column(okafor, 'Teacher'))).toEqual(new Set(['Mr Okafor']));
    const booked = okafor.rows.find((r) => r[4] === 'Booked')!;
    expect(booked.slice(0, 9)).toEqual(['26 November 2026', '3:30pm to 3:40pm', 'Mr Okafor', 'Room 3', 'Booked', 'Jakub Nowak', 'Marta Nowak, Tomasz Nowak', 'In person', 'Room 3']);
    expect(column(okafor, 'State')).toContain('Free');

    const office = await download(await t.as('staff', t.fx.staff.office), `/evenings/${eveningId}/schedule.csv`);
    expect(new Set(column(office, 'Teacher')).size).toBeGreaterThan(1);
    expect(office.disposition).toMatch(/^attachment; filename="[a-z0-9-]+-schedules\.csv"$/);
    // A DSL who teaches at no evening has no schedule of their own.
    expect((await download(await t.as('staff', t.fx.staff.dsl), `/evenings/${eveningId}/schedule.csv`)).status).toBe(404);
    expect((await exportsBy(t.fx.staff.teacher)).some((e) => e.entity === 'evening' && e.entity_id === eveningId)).toBe(true);
  });

  it('downloads who a sent message reached, for its author and whole-school staff', async () => {
    const author = await download(await t.as('staff', t.fx.staff.teacher2), `/messages/${messageId}/reach.csv`);
    expect(author.status).toBe(200);
    expect(author.rows[0]).toEqual(['Parent or carer', 'About', 'Language', 'Sent by', 'Email', 'Text', 'Read', 'Said they had read it', 'How they got it']);
    const marta = author.rows.find((r) => r[0] === 'Marta Nowak')!;
    expect(marta[1]).toBe('Aleksandra, Jakub');
    // Faduma's copy is in the print pack: a blank "Read" is not her missing it.
    expect(marta[8]).toBe('Online');
    expect(author.rows.find((r) => r[0] === 'Faduma Warsame')![8]).toBe('On paper only: cannot be seen to read it');
    expect(column(author, 'Parent or carer')).not.toContain('Mark Dean'); // the court order: he was never sent it
    expect((await download(await t.as('staff', t.fx.staff.head), `/messages/${messageId}/reach.csv`)).status).toBe(200);
    expect((await download(await t.as('staff', t.fx.staff.teacher), `/messages/${messageId}/reach.csv`)).status).toBe(404); // someone else's message
  });
});
