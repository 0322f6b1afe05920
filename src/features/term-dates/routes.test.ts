import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { addSchoolDays } from '../../platform/calendar/school-days.ts';
import { schoolCalendar } from '../../platform/calendar/calendar-queries.ts';

const NOW = new Date('2026-12-07T10:00:00.000Z'); // Monday, autumn term

/**
 * Term dates, end to end: the office adds next year's summer term and an INSET day (bad dates keep what
 * was typed, with the error beside the field); school-day deadlines count them at once; Marta reads them
 * in Polish and takes them into her calendar; removing is audited; only those who keep them may change them.
 */
describe.each(dialects)('term dates on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const date = (name: string, iso: string) => {
    const [y, m, d] = iso.split('-');
    return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
  };

  it('warns that the terms run out, and adds the summer term; a clash keeps what was typed', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const page = (await office.get('/settings/term-dates')).body;
    expect(page).not.toContain('id="running-out"'); // the spring term ends on 26 March: more than six weeks away
    const clash = await office.post('/settings/term-dates/terms', { name: 'Summer term 2027', ...date('starts_on', '2027-03-22'), ...date('ends_on', '2027-07-21') });
    expect(clash.statusCode).toBe(400);
    expect(clash.body).toContain('These dates overlap Spring term 2027 (5 January 2027 to 26 March 2027)');
    expect(clash.body).toContain('value="Summer term 2027"');
    expect(clash.body).toMatch(/name="starts_on-day"[^>]*value="22"/);
    const bad = await office.post('/settings/term-dates/terms', { name: '', ...date('starts_on', '2027-04-12'), 'ends_on-day': '31', 'ends_on-month': '4', 'ends_on-year': '2027' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the name of the term');
    expect(bad.body).toContain('href="#ends_on-day"'); // 31 April: the day box is at fault
    const added = await office.post('/settings/term-dates/terms', { name: 'Summer term 2027', ...date('starts_on', '2027-04-12'), ...date('ends_on', '2027-07-21') });
    expect(added.statusCode).toBe(303);
    const audit = await t.db.selectFrom('audit_log').select(['actor_id', 'after_json']).where('action', '=', 'term.added').executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(t.fx.staff.office);
    expect(JSON.parse(audit.after_json!)).toEqual({ name: 'Summer term 2027', starts_on: '2027-04-12', ends_on: '2027-07-21' });
    // School-day deadlines now count into the summer term instead of stopping at the spring term's end.
    expect(addSchoolDays(await schoolCalendar(t.db, t.fx.school.id), '2027-03-25', 2)).toBe('2027-04-12'); // Friday 26 March, then the first day of the summer term
  });

  it('adds an INSET day; deadlines skip it; Marta sees it in Polish and in her calendar file', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const outside = await office.post('/settings/term-dates/closures', { reason: 'INSET day', ...date('closed_from', '2026-12-21') });
    expect(outside.statusCode).toBe(400);
    expect(outside.body).toContain('No term includes these days');
    expect(outside.body).toContain('value="INSET day"');
    expect((await office.post('/settings/term-dates/closures', { reason: 'INSET day', ...date('closed_from', '2027-01-05') })).statusCode).toBe(303);
    expect(addSchoolDays(await schoolCalendar(t.db, t.fx.school.id), '2026-12-18', 1)).toBe('2027-01-06');

    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const page = (await marta.get('/term-dates')).body;
    expect(page).toContain('Terminy semestrów');
    expect(page).toContain('od 2 września 2026 do 18 grudnia 2026');
    expect(page).toContain('<span lang="en">INSET day</span>');
    expect(page).toContain('5 stycznia 2027');
    expect(page).not.toContain('/settings/term-dates');
    const ics = await marta.get('/term-dates/calendar.ics');
    expect(ics.headers['content-type']).toContain('text/calendar');
    expect(ics.body).toContain('SUMMARY:Szkoła zamknięta: INSET day');
    expect(ics.body).toContain('DTSTART;VALUE=DATE:20270105');
    expect(ics.body).toContain('DTEND;VALUE=DATE:20270106');
    expect(ics.body).toContain('SUMMARY:Summer term 2027');
  });

  it('tells the head and the office on their home page when no term is to come (the other school has none)', async () => {
    const otherHead = await t.as('staff', t.fx.staff.otherHead, t.fx.other.id);
    expect((await otherHead.get('/')).body).toContain('There are no term dates to come in Gatepost: add the next terms');
    const office = await t.as('staff', t.fx.staff.office);
    expect((await office.get('/')).body).not.toContain('id="terms-run-out"'); // Brookfield's run to July 2027
  });

  it('removes a mistaken closure (audited, twice is the same as once); a teacher and a carer cannot change them', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const closure = await t.db.selectFrom('school_closures').select('id').where('school_id', '=', t.fx.school.id).where('reason', '=', 'INSET day').executeTakeFirstOrThrow();
    expect((await teacher.post(`/settings/term-dates/closures/${closure.id}/remove`, {})).statusCode).toBe(404);
    expect((await teacher.get('/term-dates')).statusCode).toBe(200);
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.post(`/settings/term-dates/closures/${closure.id}/remove`, {})).statusCode).toBe(303);
    expect((await head.post(`/settings/term-dates/closures/${closure.id}/remove`, {})).statusCode).toBe(303);
    const removed = await t.db.selectFrom('audit_log').select('before_json').where('action', '=', 'closure.removed').execute();
    expect(removed).toHaveLength(1);
    expect(JSON.parse(removed[0]!.before_json!)).toMatchObject({ reason: 'INSET day', starts_on: '2027-01-05' });
    expect(await t.db.selectFrom('school_closures').select('id').where('id', '=', closure.id).execute()).toEqual([]);
  });

  it('changes a term: the form starts from its dates; an overlap or an overlong term is refused beside the field with what was typed kept', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const spring = await t.db.selectFrom('school_terms').select('id').where('school_id', '=', t.fx.school.id).where('name', '=', 'Spring term 2027').executeTakeFirstOrThrow();
    expect((await office.get('/settings/term-dates')).body).toContain(`href="/settings/term-dates/terms/${spring.id}/change"`);
    const form = (await office.get(`/settings/term-dates/terms/${spring.id}/change`)).body;
    expect(form).toContain('value="Spring term 2027"');
    expect(form).toMatch(/name="starts_on-day"[^>]*value="5"/);
    expect(form).toMatch(/name="ends_on-month"[^>]*value="3"/);
    const url = `/settings/term-dates/terms/${spring.id}/change`;

    const clash = await office.post(url, { name: 'Spring term 2027', ...date('starts_on', '2026-12-14'), ...date('ends_on', '2027-03-26') });
    expect(clash.statusCode).toBe(400);
    expect(clash.body).toContain('These dates overlap Autumn term 2026 (2 September 2026 to 18 December 2026)');
    expect(clash.body).toContain('href="#starts_on-day"');
    expect(clash.body).toMatch(/name="starts_on-day"[^>]*value="14"/);
    const long = await office.post(url, { name: 'Spring term 2027 (long)', ...date('starts_on', '2027-01-05'), ...date('ends_on', '2027-07-30') });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('A term is at most 18 weeks long: check the dates');
    expect(long.body).toContain('value="Spring term 2027 (long)"');
    const named = await office.post(url, { name: 'Summer term 2027', ...date('starts_on', '2027-01-05'), ...date('ends_on', '2027-03-26') });
    expect(named.statusCode).toBe(400);
    expect(named.body).toContain('There is already a term called Summer term 2027');
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'term.changed').execute()).toEqual([]);

    // Starting a day later overlaps only the term itself: that is no clash.
    const moved = await office.post(url, { name: 'Spring term 2027', ...date('starts_on', '2027-01-06'), ...date('ends_on', '2027-03-26') });
    expect(moved.statusCode).toBe(303);
    expect((await office.get(moved.headers.location as string)).body).toContain('The term has been changed.');
    const audit = await t.db.selectFrom('audit_log').select(['actor_id', 'entity_id', 'before_json', 'after_json']).where('action', '=', 'term.changed').executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(t.fx.staff.office);
    expect(audit.entity_id).toBe(spring.id);
    expect(JSON.parse(audit.before_json!)).toEqual({ name: 'Spring term 2027', starts_on: '2027-01-05', ends_on: '2027-03-26' });
    expect(JSON.parse(audit.after_json!)).toEqual({ name: 'Spring term 2027', starts_on: '2027-01-06', ends_on: '2027-03-26' });
    expect(addSchoolDays(await schoolCalendar(t.db, t.fx.school.id), '2026-12-18', 1)).toBe('2027-01-06');
  });

  it('changes a closure: it must stay inside a term and clear of the others, and the audit keeps before and after', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.post('/settings/term-dates/closures', { reason: 'Staff training', ...date('closed_from', '2027-02-15') })).statusCode).toBe(303);
    expect((await head.post('/settings/term-dates/closures', { reason: 'Polling day', ...date('closed_from', '2027-05-06') })).statusCode).toBe(303);
    const training = await t.db.selectFrom('school_closures').select('id').where('school_id', '=', t.fx.school.id).where('reason', '=', 'Staff training').executeTakeFirstOrThrow();
    const url = `/settings/term-dates/closures/${training.id}/change`;
    const form = (await head.get(url)).body;
    expect(form).toContain('value="Staff training"');
    expect(form).toMatch(/name="closed_from-day"[^>]*value="15"/);
    expect(form).toMatch(/name="closed_to-day"(?![^>]*value="\d)/); // one day: the last-day boxes start empty

    const holiday = await head.post(url, { reason: 'Staff training', ...date('closed_from', '2027-04-01') });
    expect(holiday.statusCode).toBe(400);
    expect(holiday.body).toContain('No term includes these days');
    expect(holiday.body).toMatch(/name="closed_from-month"[^>]*value="4"/);
    const clash = await head.post(url, { reason: 'Staff training days', ...date('closed_from', '2027-05-05'), ...date('closed_to', '2027-05-07') });
    expect(clash.statusCode).toBe(400);
    expect(clash.body).toContain('The school is already closed then: Polling day (6 May 2027)');
    expect(clash.body).toContain('value="Staff training days"');
    expect((await head.post(url, { reason: 'Staff training', ...date('closed_from', '2027-02-20'), ...date('closed_to', '2027-02-19') })).body).toContain(
      'The last day closed must be the same as or after the first day',
    );

    const moved = await head.post(url, { reason: 'Staff training', ...date('closed_from', '2027-02-15'), ...date('closed_to', '2027-02-16') });
    expect(moved.statusCode).toBe(303);
    const audit = await t.db.selectFrom('audit_log').select(['actor_id', 'before_json', 'after_json']).where('action', '=', 'closure.changed').executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(t.fx.staff.head);
    expect(JSON.parse(audit.before_json!)).toEqual({ reason: 'Staff training', starts_on: '2027-02-15', ends_on: '2027-02-15' });
    expect(JSON.parse(audit.after_json!)).toEqual({ reason: 'Staff training', starts_on: '2027-02-15', ends_on: '2027-02-16' });
    expect(addSchoolDays(await schoolCalendar(t.db, t.fx.school.id), '2027-02-12', 1)).toBe('2027-02-17');
  });

  it('lets only the head, senior leaders and the office change them; a removed one is not found', async () => {
    const spring = await t.db.selectFrom('school_terms').selectAll().where('school_id', '=', t.fx.school.id).where('name', '=', 'Spring term 2027').executeTakeFirstOrThrow();
    const url = `/settings/term-dates/terms/${spring.id}/change`;
    const change = { name: 'Spring term 2027', ...date('starts_on', '2027-01-04'), ...date('ends_on', '2027-03-26') };
    const teacher = await t.as('staff', t.fx.staff.teacher);
    expect((await teacher.get(url)).statusCode).toBe(404);
    expect((await teacher.post(url, change)).statusCode).toBe(404);
    const marta = await t.as('carer', t.fx.carers.marta);
    expect((await marta.post(url, change)).statusCode).toBe(404);
    const otherHead = await t.as('staff', t.fx.staff.otherHead, t.fx.other.id);
    expect((await otherHead.post(url, change)).statusCode).toBe(404);
    expect(await t.db.selectFrom('school_terms').selectAll().where('id', '=', spring.id).executeTakeFirstOrThrow()).toEqual(spring);

    const senior = await t.as('staff', t.fx.staff.senior_leader);
    expect((await senior.post(url, change)).statusCode).toBe(303);
    const summer = await t.db.selectFrom('school_terms').select('id').where('school_id', '=', t.fx.school.id).where('name', '=', 'Summer term 2027').executeTakeFirstOrThrow();
    expect((await senior.post(`/settings/term-dates/terms/${summer.id}/remove`, {})).statusCode).toBe(303);
    expect((await senior.get(`/settings/term-dates/terms/${summer.id}/change`)).statusCode).toBe(404);
    expect((await senior.post(`/settings/term-dates/terms/${summer.id}/change`, { name: 'Summer term 2027', ...date('starts_on', '2027-04-12'), ...date('ends_on', '2027-07-21') })).statusCode).toBe(
      404,
    );
  });
});
