import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { DEFAULT_GLOSSARY } from './clear-language.ts';
import { planWithoutStatistics } from '../../db/query-plan.ts';
import { glossaryFor, seededStatement } from './glossary-queries.ts';

describe.each(dialects)('the school glossary and "Check my writing" on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const termsOf = (schoolId: string) => t.db.selectFrom('glossary').select(['id', 'term', 'plain']).where('school_id', '=', schoolId).execute();
  const auditOf = (action: string) => t.db.selectFrom('audit_log').selectAll().where('school_id', '=', t.fx.school.id).where('action', '=', action).execute();
  const idOf = async (term: string) => (await termsOf(t.fx.school.id)).find((r) => r.term === term)!.id;

  it('gives advice from the default glossary before anyone has opened it', async () => {
    expect(await glossaryFor(t.db, t.fx.school.id)).toEqual([...DEFAULT_GLOSSARY]);
    expect(await termsOf(t.fx.school.id)).toEqual([]);
  });

  it('seeds the defaults on the first view, once, audited once, for that school only', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const first = await teacher.get('/glossary');
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('School words in plain English');
    expect(first.body).toContain('EHCP');
    expect(first.body).toContain('staff training day (school is closed to children)');
    expect(first.body).not.toContain('Add a word'); // a teacher reads; the office edits
    expect(await termsOf(t.fx.school.id)).toHaveLength(DEFAULT_GLOSSARY.length);

    await teacher.get('/glossary');
    const seeded = await auditOf('glossary.seeded');
    expect(seeded).toHaveLength(1);
    expect(seeded[0]).toMatchObject({ actor_id: t.fx.staff.teacher, entity: 'glossary' });
    expect(JSON.parse(seeded[0]!.after_json!)).toEqual({ terms: DEFAULT_GLOSSARY.length });
    expect(await termsOf(t.fx.school.id)).toHaveLength(DEFAULT_GLOSSARY.length);
    expect(await termsOf(t.fx.other.id)).toEqual([]);
  });

  it('knows the school opened its glossary from that one audit entry, not by reading the school’s whole audit log (each letter’s preview)', async () => {
    // A school that began empty: no statistics about the audit log (SQLite gathers none unless asked).
    // (On SQLite it took the school's index and read the school's whole log; PostgreSQL, told to take
    // an index, may take either on a small table: it chooses by its statistics, which autovacuum keeps.)
    const plan = (await planWithoutStatistics(t.db, seededStatement(t.db, t.fx.school.id).compile())).join('\n');
    expect(plan).toMatch(/SEARCH audit_log USING INDEX audit_log_entity|Index Scan using \w+ on audit_log/);
    expect(plan).not.toMatch(/SCAN audit_log|Seq Scan on audit_log/);
    expect(await seededStatement(t.db, t.fx.school.id).execute()).toHaveLength(1); // seeded in the test before
    expect(await seededStatement(t.db, t.fx.other.id).execute()).toEqual([]);
    expect(await glossaryFor(t.db, t.fx.other.id)).toEqual([...DEFAULT_GLOSSARY]);
  });

  it('lets the office add a term, audited', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const page = await office.get('/glossary');
    expect(page.body).toContain('Add a word');
    const res = await office.post('/glossary', { term: '  Wow   Wednesday ', plain: 'the day we share work we are proud of' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/glossary?saved=added');
    const row = (await termsOf(t.fx.school.id)).find((r) => r.term === 'Wow Wednesday');
    expect(row).toMatchObject({ plain: 'the day we share work we are proud of' });
    const added = await auditOf('glossary.term_added');
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ actor_id: t.fx.staff.office, entity_id: row!.id });
    expect((await office.get('/glossary?saved=added')).body).toContain('Word added to the glossary.');
  });

  it('shows a duplicate term’s error beside the field, keeps what was typed, and adds nothing', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const before = await termsOf(t.fx.school.id);
    const res = await office.post('/glossary', { term: 'pta', plain: 'Friends of Brookfield' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toMatch(/<p id="term-error" class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:<\/span> ‘PTA’ is already in the glossary/);
    expect(res.body).toContain('href="#term"');
    expect(res.body).toMatch(/<input[^>]*id="term" name="term"[^>]*value="pta"/);
    expect(res.body).toContain('value="Friends of Brookfield"');
    expect(await termsOf(t.fx.school.id)).toHaveLength(before.length);
  });

  it('checks the lengths at the edge and keeps what was typed', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const long = await office.post('/glossary', { term: 'x'.repeat(41), plain: '' });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('The school word or abbreviation must be 40 characters or fewer');
    expect(long.body).toContain('Enter the plain words');
    expect(long.body).toContain(`value="${'x'.repeat(41)}"`);
    const tooPlain = await office.post('/glossary', { term: 'GLD', plain: 'y'.repeat(201) });
    expect(tooPlain.body).toContain('The plain words must be 200 characters or fewer');
    const punctuation = await office.post('/glossary', { term: '…', plain: 'nothing' });
    expect(punctuation.body).toContain('The school word must include a letter or a number');
  });

  it('escapes what staff type', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    await office.post('/glossary', { term: '<b>LAC</b>', plain: '<i>looked-after children</i>' });
    const page = await office.get('/glossary');
    expect(page.body).toContain('&lt;b&gt;LAC&lt;/b&gt;');
    expect(page.body).not.toContain('<b>LAC</b>');
    expect(page.body).not.toContain('<i>looked-after');
  });

  it('keeps adding, changing and removing to head, senior leaders and the office (404 for others)', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const before = await termsOf(t.fx.school.id);
    const ppa = await idOf('PPA');
    expect((await teacher.post('/glossary', { term: 'GLD', plain: 'good level of development' })).statusCode).toBe(404);
    expect((await teacher.post(`/glossary/${ppa}`, { plain: 'planning time' })).statusCode).toBe(404);
    expect((await teacher.post(`/glossary/${ppa}/remove`)).statusCode).toBe(404);
    const carer = await t.as('carer', t.fx.carers.marta);
    expect((await carer.get('/glossary')).statusCode).toBe(404);
    expect((await carer.post('/glossary', { term: 'GLD', plain: 'good level of development' })).statusCode).toBe(404);
    expect((await carer.get('/clear-language')).statusCode).toBe(404);
    const governor = await t.as('staff', t.fx.staff.governor);
    expect((await governor.get('/glossary')).statusCode).toBe(404);
    expect((await governor.post('/clear-language', { text: 'INSET' })).statusCode).toBe(404);
    expect(await termsOf(t.fx.school.id)).toEqual(before);
  });

  it('changes the plain words, audited with before and after; an empty change is shown beside that word', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const ppa = await idOf('PPA');
    const empty = await head.post(`/glossary/${ppa}`, { plain: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain(`href="#plain-${ppa}"`);
    expect(empty.body).toContain(`id="plain-${ppa}-error"`);

    const res = await head.post(`/glossary/${ppa}`, { plain: 'teachers’ planning time' });
    expect(res.statusCode).toBe(303);
    expect((await termsOf(t.fx.school.id)).find((r) => r.id === ppa)?.plain).toBe('teachers’ planning time');
    const changed = await auditOf('glossary.term_changed');
    expect(changed).toHaveLength(1);
    expect(JSON.parse(changed[0]!.before_json!)).toEqual({ term: 'PPA', plain: 'teachers’ planning time (another adult teaches the class)' });
    expect(JSON.parse(changed[0]!.after_json!)).toEqual({ term: 'PPA', plain: 'teachers’ planning time' });

    await head.post(`/glossary/${ppa}`, { plain: 'teachers’ planning time' }); // no change, no entry
    expect(await auditOf('glossary.term_changed')).toHaveLength(1);
  });

  it('removes a term, audited with what it said; removing it again is harmless', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const mle = await idOf('MLE');
    const res = await office.post(`/glossary/${mle}/remove`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/glossary?saved=removed');
    expect((await termsOf(t.fx.school.id)).some((r) => r.id === mle)).toBe(false);
    const removed = await auditOf('glossary.term_removed');
    expect(removed).toHaveLength(1);
    expect(removed[0]).toMatchObject({ actor_id: t.fx.staff.office, entity_id: mle });
    expect(JSON.parse(removed[0]!.before_json!)).toEqual({ term: 'MLE', plain: 'the school’s learning website' });

    expect((await office.post(`/glossary/${mle}/remove`)).statusCode).toBe(303);
    expect(await auditOf('glossary.term_removed')).toHaveLength(1);
    // Changing a word that has gone says so, and changes nothing.
    const gone = await office.post(`/glossary/${mle}`, { plain: 'the learning website' });
    expect(gone.statusCode).toBe(409);
    expect(gone.body).toContain('no longer in the glossary');
  });

  it('seeds the defaults before adding a word to a glossary nobody has opened', async () => {
    const otherHead = await t.as('staff', t.fx.staff.otherHead, t.fx.other.id);
    expect((await otherHead.post('/glossary', { term: 'Forest School', plain: 'outdoor learning in the woods' })).statusCode).toBe(303);
    const theirs = await termsOf(t.fx.other.id);
    expect(theirs).toHaveLength(DEFAULT_GLOSSARY.length + 1);
    expect(theirs.some((r) => r.term === 'Forest School')).toBe(true);
  });

  it('never lets one school change or remove another school’s words', async () => {
    const otherHead = await t.as('staff', t.fx.staff.otherHead, t.fx.other.id);
    const ehcp = await idOf('EHCP');
    // Another school's word is not there for them: 404, before any handler runs (platform/access/records.ts).
    expect((await otherHead.post(`/glossary/${ehcp}`, { plain: 'changed by another school' })).statusCode).toBe(404);
    expect((await otherHead.post(`/glossary/${ehcp}/remove`)).statusCode).toBe(404);
    expect((await termsOf(t.fx.school.id)).find((r) => r.id === ehcp)?.plain).toBe(DEFAULT_GLOSSARY.find((g) => g.term === 'EHCP')!.plain);
    expect((await otherHead.get('/glossary')).body).not.toContain('Wow Wednesday');
  });

  it('flags INSET and EYFS in "Check my writing" with the school’s suggestions, keeping the text', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    await office.post(`/glossary/${await idOf('INSET')}`, { plain: 'staff training day (no school for children)' });
    const teacher = await t.as('staff', t.fx.staff.teacher);
    expect((await teacher.get('/clear-language')).statusCode).toBe(200);
    const text = 'Monday is an INSET day, so EYFS children should stay at home & rest.';
    const res = await teacher.post('/clear-language', { text });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('How clear it is');
    expect(res.body).toMatch(/Reading ease[\s\S]*out of 100: /);
    expect(res.body).toContain('INSET');
    expect(res.body).toContain('Try: staff training day (no school for children)');
    expect(res.body).toContain('EYFS');
    expect(res.body).toContain('Try: nursery and Reception (the early years)');
    expect(res.body).toContain('Monday is an INSET day, so EYFS children should stay at home &amp; rest.</textarea>');
    expect(res.body).toContain('This is advice. You decide what to send.');
  });

  it('shows long sentences, and asks for some writing when there is none', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const long = 'We are writing to let you know that following a review of our arrangements the school will be changing the times of the school day from the start of next term for all classes.';
    const res = await teacher.post('/clear-language', { text: long });
    expect(res.body).toContain('Long sentences');
    expect(res.body).toContain(long);
    const blank = await teacher.post('/clear-language', { text: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('Enter the writing you want to check');
    expect(blank.body).toContain('href="#text"');
  });

  it('does not bring the defaults back when a school has removed every word', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    for (const row of await termsOf(t.fx.school.id)) await office.post(`/glossary/${row.id}/remove`);
    const page = await office.get('/glossary');
    expect(page.body).toContain('The glossary is empty.');
    expect(await termsOf(t.fx.school.id)).toEqual([]);
    expect(await glossaryFor(t.db, t.fx.school.id)).toEqual([]);
    expect(await auditOf('glossary.seeded')).toHaveLength(1);
  });
});
