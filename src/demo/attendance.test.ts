import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { textNodes } from '../../test/support/visible-text.ts';
import { loadDemoSchool, type DemoSummary } from './demo-school.ts';

const NOW = new Date('2026-12-07T10:00:00.000Z'); // Monday

/**
 * Attendance in the demo school as a new user meets it: Ms Byrne's two imports are listed, the staff
 * list puts the pupil at 45% first and offers support, and Marta reads Kuba's 88% in Polish with the
 * kind line that the school will be in touch; Mark Dean is told nothing about his daughter.
 */
describe.each(dialects)('attendance in the demo school, on %s', (dialect) => {
  let t: TestApp;
  let demo: DemoSummary;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    demo = await loadDemoSchool(t.db, { now: NOW });
  }, 300_000);
  afterAll(async () => t?.close());

  const text = (html: string) =>
    textNodes(html)
      .map((n) => n.text.trim())
      .filter(Boolean)
      .join(' ');
  const staffNamed = async (family: string) => (await t.db.selectFrom('staff').select('id').where('school_id', '=', demo.schoolId).where('family_name', '=', family).executeTakeFirstOrThrow()).id;
  const carerNamed = async (given: string, family: string) =>
    (await t.db.selectFrom('carers').select('id').where('school_id', '=', demo.schoolId).where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()).id;
  const pupilNamed = async (given: string, family: string) =>
    (await t.db.selectFrom('pupils').select('id').where('school_id', '=', demo.schoolId).where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()).id;

  it('shows the office two imports and the pupils at or below 90%, severe absence first', async () => {
    const office = await t.as('staff', await staffNamed('Byrne'), demo.schoolId);
    const imports = text((await office.get('/attendance/import')).body);
    expect(imports).toContain('4 December 2026');
    expect(imports).toContain('20 November 2026');
    const list = await office.get('/attendance');
    const page = text(list.body);
    expect(page).toContain('as of 4 December 2026');
    expect(page).toMatch(/6 of the \d+ pupils you can see are at or below 90%, 1 of them at 50% or below\./);
    const rows = [...list.body.matchAll(/<bdi>([^<]+)<\/bdi><\/a>/g)].map((m) => m[1]);
    expect(rows).toHaveLength(6);
    expect(rows).toContain('Kuba Nowak');
    expect(page.indexOf('Severe absence')).toBeLessThan(page.indexOf('Persistent absence'));
    expect(page).toContain('Offer support: arrange a meeting');
    // Ms Lewis arranged one from the list's link (with a topic of her own): that pupil shows it, the others are offered one.
    expect(page.match(/Meeting arranged for/g)).toHaveLength(1);
    expect(page.match(/Offer support: arrange a meeting/g)).toHaveLength(5);
  });

  it('tells Marta about Kuba in Polish, and Mark nothing about Lily', async () => {
    const marta = await t.as('carer', await carerNamed('Marta', 'Nowak'), demo.schoolId, { ownLanguage: true });
    const kuba = text((await marta.get(`/children/${await pupilNamed('Jakub', 'Nowak')}`)).body);
    // 88% of the sessions to 4 December, rounded to whole sessions: 121 of 138 (87.7%).
    expect(kuba).toContain('obecność w szkole w tym roku szkolnym wynosi 87,7% (stan na 4 grudnia 2026).');
    expect(kuba).toContain('Szkoła skontaktuje się z Państwem');
    // Her home page says it too, beside each child, in Polish: Kuba's 87.7% with the kind line, Ola's without.
    const home = text((await marta.get('/')).body);
    expect(home).toContain('obecność w szkole w tym roku szkolnym wynosi 87,7% (stan na 4 grudnia 2026).');
    expect(home.match(/Szkoła skontaktuje się z Państwem/g)).toHaveLength(1);
    expect(home.match(/obecność w szkole w tym roku szkolnym wynosi/g)!.length).toBeGreaterThanOrEqual(2);
    const mark = await t.as('carer', await carerNamed('Mark', 'Dean'), demo.schoolId);
    expect((await mark.get(`/children/${await pupilNamed('Lily', 'Dean')}`)).statusCode).toBe(404);
    expect(text((await mark.get('/')).body)).not.toContain('has been in school');
  });
});
