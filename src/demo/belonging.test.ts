import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../test/support/db.ts';
import { startTestApp, type Client, type TestApp } from '../../test/support/app.ts';
import { textNodes } from '../../test/support/visible-text.ts';
import { loadDemoSchool, type DemoSummary } from './demo-school.ts';

const NOW = new Date('2026-12-07T10:00:00.000Z');

/**
 * Journey 11, "Belonging", in the demo school as its people would walk it (JOURNEYS.md): the new
 * Ukrainian-speaking family and their buddy family, the coffee morning at 9:00 and 18:00 with who came
 * for the first time, the register at the door found by a child's name, a walk-in, and Grace approved
 * as a supervised reading partner.
 */
describe.each(dialects)('journey 11 in the demo school, on %s', (dialect) => {
  let t: TestApp;
  let demo: DemoSummary;
  let office: Client;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    demo = await loadDemoSchool(t.db, { now: NOW });
    office = await t.as('staff', (await t.db.selectFrom('staff').select('id').where('school_id', '=', demo.schoolId).where('family_name', '=', 'Byrne').executeTakeFirstOrThrow()).id, demo.schoolId);
  }, 300_000);
  afterAll(async () => t?.close());

  const text = (html: string) =>
    textNodes(html)
      .map((n) => n.text.trim())
      .filter(Boolean)
      .join(' ');
  const carer = async (given: string, family: string) =>
    (await t.db.selectFrom('carers').select('id').where('school_id', '=', demo.schoolId).where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()).id;
  const names = (html: string) => [...html.matchAll(/govuk-checkboxes__label[^>]*>\s*<bdi>([^<]+)<\/bdi>/g)].map((m) => m[1]);
  async function registerOf(title: string, session: number) {
    const event = await t.db.selectFrom('events').select('id').where('school_id', '=', demo.schoolId).where('title', '=', title).executeTakeFirstOrThrow();
    const sessions = await t.db.selectFrom('event_sessions').select('id').where('event_id', '=', event.id).orderBy('starts_at').execute();
    return { event: `/events/${event.id}`, register: `/events/${event.id}/sessions/${sessions[session]!.id}/register` };
  }

  it('offers the new Ukrainian-speaking family a buddy family; each sees the other only once both said yes', async () => {
    const iryna = await t.as('carer', await carer('Iryna', 'Lysenko'), demo.schoolId);
    const page = text((await iryna.get('/my-community')).body);
    expect(page).toContain('Iryna Tkachenko');
    expect(page).toContain('i.tkachenko@mail.example');
  });

  it('runs the coffee morning at 9:00 and at 18:00, and shows who came for the first time at each', async () => {
    const { event, register } = await registerOf('Coffee morning (and coffee evening)', 1);
    const page = text((await office.get(event)).body);
    expect(page).toMatch(/19 November 2026 at 9:00am to 10:30am \d+ families \(\d+ people\) \d+ [1-9]\d*/);
    expect(page).toMatch(/19 November 2026 at 6:00pm to 7:30pm \d+ families \(\d+ people\) \d+ [1-9]\d*/);
    // The evening's register: "First time" lists only families who came for their first time, Marta among them.
    const first = (await office.get(`${register}?who=first`)).body;
    expect(names(first)).toContain('Marta Nowak');
    const firstCount = Number(/Showing (\d+) of/.exec(text(first))![1]);
    expect(page).toMatch(new RegExp(`6:00pm to 7:30pm \\d+ families \\(\\d+ people\\) \\d+ ${firstCount} `));
  });

  it('finds Marta at the door as "Kuba’s mum", with her children named; never Mark Dean through Lily', async () => {
    const { register } = await registerOf('Coffee morning (and coffee evening)', 1);
    const kuba = (await office.get(`${register}?q=kuba`)).body;
    expect(names(kuba)).toEqual(['Marta Nowak', 'Tomasz Nowak']);
    expect(text(kuba)).toContain('Marta Nowak Kuba Nowak (Year 3), Ola Nowak (Reception) Said yes, 2 people · first time');
    const lily = (await office.get(`${register}?q=lily`)).body;
    expect(names(lily)).not.toContain('Mark Dean');
    expect(lily).not.toMatch(/<bdi>Mark Dean<\/bdi>/);
  });

  it('shows the phonics workshop’s walk-in, a Nursery family found by their child’s name, there for the first time', async () => {
    const { register } = await registerOf('How we teach reading: phonics workshop', 1);
    const page = text((await office.get(register)).body);
    expect(page).toMatch(/\(Nursery\) Walk-in: not asked to this event · first time/);
  });

  it('approves Grace Mensah as a reading partner after a risk assessment, as a supervised volunteer', async () => {
    const page = text((await office.get('/volunteering')).body);
    expect(page).toMatch(/Grace Mensah , Reading partner review 9 October 2027 · supervised, risk assessed/);
  });
});
