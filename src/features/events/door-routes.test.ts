import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type Client, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';

const BEFORE = new Date('2026-11-26T10:00:00.000Z');
let now = BEFORE;

/**
 * At the door, "I'm Kuba's mum": the register finds a family by a child's name and shows each family's
 * children the event is for (never one the carer may not hear about, nor one this member of staff may
 * not see); a family who was not asked (a walk-in) is found among the school's families by a child's
 * or a carer's name and added as came, audited, first time if they never came before.
 */
describe.each(dialects)('children and walk-ins on an event register, on %s', (dialect) => {
  let t: TestApp;
  let office: Client;
  let teacher: Client;
  let year3 = ''; // the Year 3 coffee morning's register: Marta, Tomasz and Sarah were asked
  let school = ''; // a coffee morning for the whole school
  async function eventFor(audience: Record<string, string | string[]>, title: string) {
    const made = await office.post('/events', {
      kind: 'coffee_morning',
      title,
      place: 'The school hall',
      ...audience,
      session_1_date: '2026-12-03',
      session_1_start: '9am',
      session_1_end: '10:30am',
    });
    const eventId = /events\/([^/?]+)/.exec(made.headers.location ?? '')![1]!;
    expect((await office.post(`/events/${eventId}/publish`, {})).statusCode).toBe(303);
    const session = await t.db.selectFrom('event_sessions').select('id').where('event_id', '=', eventId).executeTakeFirstOrThrow();
    return `/events/${eventId}/sessions/${session.id}/register`;
  }
  beforeAll(async () => {
    now = BEFORE;
    t = await startTestApp(dialect, { clock: () => now });
    office = await t.as('staff', t.fx.staff.office);
    teacher = await t.as('staff', t.fx.staff.teacher);
    await t.db.updateTable('pupils').set({ preferred_name: 'Kuba' }).where('id', '=', t.fx.pupils.kuba).execute();
    await t.db.updateTable('pupils').set({ preferred_name: 'Ola' }).where('id', '=', t.fx.pupils.ola).execute();
    year3 = await eventFor({ audience_kind: 'years', years: ['3'] }, 'Year 3 coffee morning');
    school = await eventFor({ audience_kind: 'school' }, 'Coffee morning');
    // Since the invitations went: a court order stops Tomasz hearing about Ola.
    await t.db
      .insertInto('restrictions')
      .values({
        id: newId(),
        school_id: t.fx.school.id,
        pupil_id: t.fx.pupils.ola,
        carer_id: t.fx.carers.tomasz,
        kind: 'court_order',
        stops_information: 1,
        stops_collection: 0,
        stops_contact: 0,
        details: 'Specific issue order',
        starts_on: '2026-11-01',
        ends_on: null,
        lifted_at: null,
        created_by: t.fx.staff.head,
        created_at: BEFORE.toISOString(),
      })
      .execute();
    now = new Date('2026-12-03T09:05:00.000Z');
  });
  afterAll(async () => t?.close());

  const names = (html: string) => [...html.matchAll(/govuk-checkboxes__label[^>]*>\s*<bdi>([^<]+)<\/bdi>/g)].map((m) => m[1]);
  /** The children a row names, by the carer's name on it. */
  const childrenOf = (html: string, carer: string) => {
    const item = html.split('govuk-checkboxes__item').find((part) => part.includes(`<bdi>${carer}</bdi>`)) ?? '';
    return [...(/govuk-checkboxes__hint[^>]*>([\s\S]*?)<\/div>/.exec(item)?.[1] ?? '').matchAll(/<bdi>([^<]+)<\/bdi> \(([^)]+)\)/g)].map((m) => `${m[1]} (${m[2]})`);
  };
  const walkIns = (html: string) => [...(/<ul class="govuk-list" id="walk-in-families">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '').matchAll(/<strong><bdi>([^<]+)<\/bdi><\/strong>/g)].map((m) => m[1]);

  it('finds a family by a child’s name and shows the children the event is for, never one the carer may not hear about', async () => {
    const all = (await office.get(school)).body;
    expect(childrenOf(all, 'Marta Nowak')).toEqual(['Kuba Nowak (Year 3)', 'Ola Nowak (Reception)']);
    // Tomasz was asked when he could hear about both; the court order since then leaves out Ola.
    expect(childrenOf(all, 'Tomasz Nowak')).toEqual(['Kuba Nowak (Year 3)']);
    expect(childrenOf(all, 'Sarah Dean')).toEqual(['Lily Dean (Year 3)']);
    expect(all).not.toContain('<bdi>Mark Dean</bdi>'); // never asked: the order stops him hearing about Lily
    const kuba = (await office.get(`${school}?q=kuba`)).body;
    expect(names(kuba)).toEqual(['Marta Nowak', 'Tomasz Nowak']);
    expect(kuba).toMatch(/name="q" type="search" spellcheck="false" value="kuba"/);
    expect(names((await office.get(`${school}?q=JAKUB`)).body)).toEqual(['Marta Nowak', 'Tomasz Nowak']);
    expect(names((await office.get(`${school}?q=ola`)).body)).toEqual(['Marta Nowak']);
    expect(names((await office.get(`${school}?q=ayaan`)).body)).toEqual(['Faduma Warsame']);
    // The Year 3 coffee morning names only its Year 3 children: Ola is not why Marta was asked.
    const y3 = (await office.get(year3)).body;
    expect(childrenOf(y3, 'Marta Nowak')).toEqual(['Kuba Nowak (Year 3)']);
    expect(names((await office.get(`${year3}?q=ola`)).body)).toEqual([]);
  });

  it('shows a teacher only the children of the classes they may see', async () => {
    const page = (await teacher.get(school)).body;
    expect(childrenOf(page, 'Marta Nowak')).toEqual(['Kuba Nowak (Year 3)']);
    expect(childrenOf(page, 'Grace Mensah')).toEqual([]);
    expect(names((await teacher.get(`${school}?q=leo`)).body)).toEqual([]);
    expect(names((await office.get(`${school}?q=leo`)).body)).toEqual(['Grace Mensah', 'Helen Ward']); // his foster carer and social worker
  });

  it('saving a register found by a child’s name changes only the families it showed', async () => {
    expect((await office.post(school, { came: [t.fx.carers.grace] })).statusCode).toBe(303);
    const saved = await office.post(school, { q: 'kuba', shown: [t.fx.carers.marta, t.fx.carers.tomasz], came: [t.fx.carers.marta] });
    expect(saved.headers.location).toMatch(/\?done=register&q=kuba$/);
    const marks = await t.db.selectFrom('event_attendance').select(['carer_id', 'attended']).where('session_id', '=', school.split('/')[4]!).execute();
    expect(new Map(marks.map((m) => [m.carer_id, m.attended]))).toEqual(
      new Map([
        [t.fx.carers.grace, 1],
        [t.fx.carers.marta, 1],
      ]),
    );
  });

  it('"First time" shows the families who came for the first time, not those who have never come (journey 11)', async () => {
    // Grace and Marta were ticked above, their first event; nobody else on the register has ever come.
    const first = (await office.get(`${school}?who=first`)).body;
    expect(names(first)).toEqual(['Grace Mensah', 'Marta Nowak']);
    const tomasz = (await office.get(`${school}?q=tomasz`)).body;
    expect(tomasz).toContain('Did not say yes to this session · never come to an event before');
    expect(tomasz).not.toContain('first time');
  });

  it('adds a walk-in found by a child’s name, ticked as came and audited, first time if they never came', async () => {
    const page = (await office.get(`${year3}?q=ayaan`)).body;
    expect(names(page)).toEqual([]);
    expect(page).toContain('Not on the register');
    expect(walkIns(page)).toEqual(['Faduma Warsame']);
    expect(page).toContain('<bdi>Ayaan Warsame</bdi> (Nursery)');
    const faduma = t.fx.carers.faduma;
    expect(page).toContain(`action="${year3}/walk-ins/${faduma}"`);
    const added = await office.post(`${year3}/walk-ins/${faduma}`, { q: 'ayaan' });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`${year3}?done=walkInFirst&q=ayaan`);
    const back = (await office.get(added.headers.location!)).body;
    expect(back).toContain('Added to the register and ticked as came: their first time at an event.');
    expect(names(back)).toEqual(['Faduma Warsame']);
    expect(back).toMatch(/value="[^"]+" checked[^>]*>\s*<label[^>]*>\s*<bdi>Faduma Warsame<\/bdi>/);
    expect(back).toContain('Walk-in: not asked to this event · first time');
    expect(childrenOf(back, 'Faduma Warsame')).toEqual(['Ayaan Warsame (Nursery)']);
    expect(walkIns(back)).toEqual([]); // on the register now
    const audit = await t.db.selectFrom('audit_log').select(['action', 'after_json']).where('action', '=', 'event.walk_in').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after_json!)).toEqual({ carerId: faduma, invited: false, firstTime: true });
    // The event's page counts her apart from the families asked, so its figures still add up.
    const event = (await office.get(year3.split('/sessions/')[0]!)).body;
    expect(event).toContain('Also came without being asked: 1 family (1 for the first time), added at the door.');
    // Adding her again changes nothing; saving the register can untick her like anyone on it.
    expect((await office.post(`${year3}/walk-ins/${faduma}`, {})).headers.location).toBe(year3);
    expect((await office.post(year3, { shown: [faduma] })).statusCode).toBe(303);
    const mark = await t.db.selectFrom('event_attendance').select('attended').where('carer_id', '=', faduma).executeTakeFirstOrThrow();
    expect(mark.attended).toBe(0);
  });

  it('a walk-in who came before is not first time; a child the carer may not hear about neither shows nor finds them', async () => {
    // Grace came to the whole-school coffee morning (ticked above).
    const added = await office.post(`${year3}/walk-ins/${t.fx.carers.grace}`, { q: 'leo' });
    expect(added.headers.location).toBe(`${year3}?done=walkIn&q=leo`);
    const lily = (await office.get(`${year3}?q=lily`)).body;
    expect(names(lily)).toEqual(['Sarah Dean']);
    expect(walkIns(lily)).toEqual([]); // never Mark Dean through Lily
    expect(lily).toContain('No other family of the school fits “lily”.');
    const dean = (await office.get(`${year3}?q=dean`)).body;
    expect(walkIns(dean)).toEqual(['Mark Dean']);
    const markItem = /<strong><bdi>Mark Dean<\/bdi><\/strong>([\s\S]*?)<\/li>/.exec(dean)![1]!;
    expect(markItem).not.toContain('Lily');
    // A teacher finds only families of the classes they may see, and cannot add another.
    expect(walkIns((await office.get(`${year3}?q=ward`)).body)).toEqual(['Helen Ward']);
    expect(walkIns((await teacher.get(`${year3}?q=ward`)).body)).toEqual([]);
    expect((await teacher.post(`${year3}/walk-ins/${t.fx.carers.socialWorker}`, {})).statusCode).toBe(404);
    // Another school's family is never found, nor added.
    expect(walkIns((await office.get(`${year3}?q=olga`)).body)).toEqual([]);
    expect((await office.post(`${year3}/walk-ins/${t.fx.carers.otherCarer}`, {})).statusCode).toBe(404);
    expect(await t.db.selectFrom('event_attendance').select('id').where('carer_id', 'in', [t.fx.carers.socialWorker, t.fx.carers.otherCarer]).execute()).toEqual([]);
  });
});
