import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from './support/db.ts';
import { startTestApp, type TestApp } from './support/app.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');
const boxes = (name: string, day: string, month: string, year: string) => ({ [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year });
/** The class attribute of one box, as drawn. */
const boxClass = (html: string, id: string) => new RegExp(`class="([^"]*)" id="${id}"`).exec(html)?.[1] ?? '';

/** Forms that ask for a date draw GOV.UK's three boxes (issue 13, point 5): they post, and errors show beside the boxes at fault. */
describe.each(dialects)('dates typed in three boxes, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  it('the policies register: a missing month is named, only that box is highlighted, the summary links to it and the boxes keep what was typed', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const form = await head.get('/policies/new');
    expect(form.body).toContain('name="next_review_on-day"');
    expect(form.body).toContain('name="next_review_on-month"');
    expect(form.body).toContain('name="next_review_on-year"');
    const policy = { title: 'Behaviour policy', owner: t.fx.staff.senior_leader, statutory_yearly: 'yes', body: 'A quiet word first.' };
    const bad = await head.post('/policies', { ...policy, ...boxes('last_reviewed_on', '', '', ''), ...boxes('next_review_on', '30', '', '2027') });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('The next review date must include a month');
    expect(bad.body).toContain('href="#next_review_on-month"');
    expect(boxClass(bad.body, 'next_review_on-month')).toContain('govuk-input--error');
    expect(boxClass(bad.body, 'next_review_on-day')).not.toContain('govuk-input--error');
    expect(boxClass(bad.body, 'next_review_on-year')).not.toContain('govuk-input--error');
    expect(bad.body).toContain('id="next_review_on-day" name="next_review_on-day" type="text" value="30"');
    expect(bad.body).toContain('id="next_review_on-year" name="next_review_on-year" type="text" value="2027"');
    expect(bad.body).toContain('A quiet word first.');

    const made = await head.post('/policies', { ...policy, ...boxes('last_reviewed_on', '1', 'Dec', '2025'), ...boxes('next_review_on', '30', '9', '2027') });
    expect(made.statusCode).toBe(303);
    const row = await t.db.selectFrom('policies').select(['last_reviewed_on', 'next_review_on']).where('title', '=', 'Behaviour policy').executeTakeFirstOrThrow();
    expect(row).toEqual({ last_reviewed_on: '2025-12-01', next_review_on: '2027-09-30' });
  });

  it('a pupil’s date of birth: 31 February is not a real date, the day box is highlighted, and three good boxes save', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const before = await t.db.selectFrom('pupils').selectAll().where('id', '=', t.fx.pupils.ola).executeTakeFirstOrThrow();
    const edit = { given_name: 'Ola', family_name: 'Nowak', preferred_name: 'Ola', year_group: 'R', class_id: t.fx.classes.reception, send_status: 'none', updated_at: before.updated_at };
    const page = await office.get(`/pupils/${t.fx.pupils.ola}/edit`);
    const [y, m, d] = before.date_of_birth.split('-');
    expect(page.body).toContain(`id="date_of_birth-day" name="date_of_birth-day" type="text" value="${Number(d)}"`); // the saved date spread over the boxes
    expect(page.body).toContain(`id="date_of_birth-month" name="date_of_birth-month" type="text" value="${Number(m)}"`);
    expect(page.body).toContain(`id="date_of_birth-year" name="date_of_birth-year" type="text" value="${y}"`);

    const bad = await office.post(`/pupils/${t.fx.pupils.ola}/edit`, { ...edit, ...boxes('date_of_birth', '31', '2', '2021') });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('A date of birth must be a real date');
    expect(bad.body).toContain('href="#date_of_birth-day"');
    expect(boxClass(bad.body, 'date_of_birth-day')).toContain('govuk-input--error');
    expect(boxClass(bad.body, 'date_of_birth-month')).not.toContain('govuk-input--error');
    expect(bad.body).toContain('value="31"');
    expect((await t.db.selectFrom('pupils').select('date_of_birth').where('id', '=', t.fx.pupils.ola).executeTakeFirstOrThrow()).date_of_birth).toBe(before.date_of_birth);

    const saved = await office.post(`/pupils/${t.fx.pupils.ola}/edit`, { ...edit, ...boxes('date_of_birth', '10', '09', '2021') });
    expect(saved.statusCode).toBe(303);
    expect((await t.db.selectFrom('pupils').select('date_of_birth').where('id', '=', t.fx.pupils.ola).executeTakeFirstOrThrow()).date_of_birth).toBe('2021-09-10');
  });

  it('a conduct incident: a two-figure year is refused beside the year box; the boxes and one typed text both record the date', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const page = `/carers/${t.fx.carers.tomasz}/conduct`;
    const bad = await head.post(`${page}/incidents`, { ...boxes('happened_on', '24', '11', '26'), what: 'Shouted at the gate' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Year must include 4 numbers');
    expect(bad.body).toContain('href="#happened_on-year"');
    expect(boxClass(bad.body, 'happened_on-year')).toContain('govuk-input--error');
    expect(boxClass(bad.body, 'happened_on-day')).not.toContain('govuk-input--error');
    expect(bad.body).toContain('Shouted at the gate');

    expect((await head.post(`${page}/incidents`, { ...boxes('happened_on', '24', '11', '2026'), what: 'Shouted at the gate' })).statusCode).toBe(303);
    expect((await head.post(`${page}/incidents`, { happened_on: '25 Nov 2026', what: 'Swore at pick-up' })).statusCode).toBe(303); // an old link or a test posting one text
    const dates = await t.db.selectFrom('conduct_incidents').select('happened_on').where('carer_id', '=', t.fx.carers.tomasz).orderBy('happened_on').execute();
    expect(dates.map((r) => r.happened_on)).toEqual(['2026-11-24', '2026-11-25']);
  });

  it('a restriction: an end date before the start is named beside the end date boxes, and the details typed are kept', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const url = `/pupils/${t.fx.pupils.kuba}/restrictions/new`;
    expect((await head.get(url)).body).toContain('name="starts_on-month"');
    const order = { carer_id: t.fx.carers.tomasz, kind: 'agreed_arrangement', stops: 'collection', details: 'Collects on Fridays only' };
    const bad = await head.post(url, { ...order, ...boxes('starts_on', '1', '9', '2027'), ...boxes('ends_on', '1', '8', '2027') });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('The end date must be after the start date');
    expect(bad.body).toContain('Collects on Fridays only');
    expect(bad.body).toContain('id="ends_on-month" name="ends_on-month" type="text" value="8"');
    expect((await head.post(url, { ...order, ...boxes('starts_on', '1', '9', '2027'), ...boxes('ends_on', '', '', '') })).statusCode).toBe(303);
    const saved = await t.db.selectFrom('restrictions').select(['starts_on', 'ends_on']).where('details', '=', 'Collects on Fridays only').executeTakeFirstOrThrow();
    expect(saved).toEqual({ starts_on: '2027-09-01', ends_on: null });
  });
});
