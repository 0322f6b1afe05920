import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { escalateConcern } from '../concerns/escalate.ts';
import { raiseConcern } from '../concerns/raise.ts';
import { newId } from '../../platform/ids.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z'); // Thursday, autumn term

/**
 * Unreasonable behaviour, as the head meets it: Tomasz Nowak shouts at the office twice; the head makes
 * Ms Lewis his single point of contact (his meeting requests go to her); a ban from the premises with
 * its letter; reviews; a complaint of his closed as vexatious with the route to the DfE.
 */
describe.each(dialects)('behaviour towards staff, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const mark = () => t.fx.carers.tomasz;
  const page = () => `/carers/${mark()}/conduct`;
  const mailTo = async (to: string, subject: string) =>
    (await t.db.selectFrom('outbox').select('payload_json').where('recipient', '=', to).execute())
      .map((r) => JSON.parse(r.payload_json) as { subject: string; text: string })
      .filter((p) => p.subject.includes(subject));
  const audits = (action: string) => t.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute();

  it('the head records incidents: a bad date is explained beside the field and what was typed is kept', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const empty = await head.get(page());
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('No incidents recorded.');
    expect(await audits('conduct.viewed')).toHaveLength(1); // reading the record is recorded

    const bad = await head.post(`${page()}/incidents`, { happened_on: '31/11/2026', what: 'Shouted at Ms Byrne in the office' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is no 31 November 2026');
    expect(bad.body).toContain('href="#happened_on"');
    expect(bad.body).toContain('Shouted at Ms Byrne in the office');
    const future = await head.post(`${page()}/incidents`, { happened_on: '1/12/2026', what: 'Shouted' });
    expect(future.body).toContain('The date it happened must be today or before');

    expect((await head.post(`${page()}/incidents`, { happened_on: '24/11/2026', what: 'Shouted at Ms Byrne in the office' })).statusCode).toBe(303);
    const senior = await t.as('staff', t.fx.staff.senior_leader);
    expect((await senior.post(`${page()}/incidents`, { happened_on: '25 November 2026', what: 'Swore at the gate at pick-up' })).statusCode).toBe(303);
    const shown = (await head.get(page())).body;
    expect(shown).toContain('Shouted at Ms Byrne in the office');
    expect(shown).toContain('Swore at the gate at pick-up');
    expect(shown).toContain('Mr David Green'); // who recorded it
    const recorded = await audits('conduct.incident_recorded');
    expect(recorded).toHaveLength(2);
    expect(recorded[0]!.after_json).not.toContain('Shouted'); // the words stay out of the audit log
  });

  it('a single point of contact: Tomasz is told by email, and his meeting requests go to Ms Lewis instead of the class teacher', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const early = await head.post(`${page()}/contact`, { contact: t.fx.staff.family_liaison, contact_reason: 'Two incidents this week', contact_review_on: '20/11/2026' });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('The review date must be after today');
    expect(early.body).toContain('Two incidents this week');
    const governor = await head.post(`${page()}/contact`, { contact: t.fx.staff.governor, contact_reason: 'Two incidents', contact_review_on: '5/2/2027' });
    expect(governor.body).toContain('Choose someone on the staff from the list');

    const set = await head.post(`${page()}/contact`, { contact: t.fx.staff.family_liaison, contact_reason: 'Two incidents this week', contact_review_on: '5/2/2027' });
    expect(set.statusCode).toBe(303);
    expect(set.headers.location).toContain('done=contact-email');
    const [letter] = await mailTo('tomasz@families.test', 'Your contact at Brookfield');
    expect(letter!.text).toContain('Ms Carys Lewis will be your contact');
    expect(letter!.text).toContain('Friday 5 February 2027');
    expect((await head.get(page())).body).toContain('<bdi>Ms Carys Lewis</bdi> (their messages and meeting requests go to this person)');

    const carer = await t.as('carer', mark());
    const asked = await carer.post('/my-meetings/request', {
      form_id: newId(),
      pupil_id: t.fx.pupils.kuba,
      topic: 'Kuba’s reading',
      outline: 'I want to talk about her books',
      times: 'after_school',
      mode: 'in_person',
      interpreter: 'no',
      urgent: 'no',
    });
    expect(asked.statusCode).toBe(303);
    const alerts = await t.db.selectFrom('staff_alerts').select('staff_id').where('kind', '=', 'meeting_request').execute();
    expect(alerts.map((a) => a.staff_id)).toEqual([t.fx.staff.family_liaison]);
    // Marta (no arrangement) still asks Kuba's class teacher, Mr Okafor.
    const marta = await t.as('carer', t.fx.carers.marta);
    const hers = await marta.post('/my-meetings/request', {
      form_id: newId(),
      pupil_id: t.fx.pupils.kuba,
      topic: 'Trip',
      outline: 'The trip',
      times: 'after_school',
      mode: 'phone',
      interpreter: 'no',
      urgent: 'no',
    });
    expect(hers.statusCode).toBe(303);
    const all = await t.db.selectFrom('staff_alerts').select('staff_id').where('kind', '=', 'meeting_request').execute();
    expect(all.map((a) => a.staff_id).sort()).toEqual([t.fx.staff.family_liaison, t.fx.staff.teacher].sort());
    expect(await audits('conduct.single_contact_set')).toHaveLength(1);

    // The same rule for a concern he raises: Ms Lewis owns it and is alerted; the head is not.
    const raised = await carer.post('/my-concerns', { pupil: t.fx.pupils.kuba, what_happened: 'Kuba lost his coat again', would_like: 'Someone to look for it', contact_by: 'email' });
    expect(raised.statusCode).toBe(303);
    const concern = await t.db.selectFrom('concerns').select(['id', 'owner_id']).where('carer_id', '=', mark()).executeTakeFirstOrThrow();
    expect(concern.owner_id).toBe(t.fx.staff.family_liaison);
    const told = await t.db.selectFrom('staff_alerts').select('staff_id').where('link', '=', `/concerns/${concern.id}`).execute();
    expect(told.map((a) => a.staff_id)).toEqual([t.fx.staff.family_liaison]);
    expect((await (await t.as('staff', t.fx.staff.family_liaison)).get(`/concerns/${concern.id}`)).statusCode).toBe(200);
    // Marta's concern still goes to the head and senior leaders to pass on.
    expect((await marta.post('/my-concerns', { pupil: t.fx.pupils.kuba, what_happened: 'The trip letter', would_like: 'A copy', contact_by: 'email' })).statusCode).toBe(303);
    const hersConcern = await t.db.selectFrom('concerns').select('id').where('carer_id', '=', t.fx.carers.marta).executeTakeFirstOrThrow();
    const toHead = await t.db.selectFrom('staff_alerts').select('staff_id').where('link', '=', `/concerns/${hersConcern.id}`).execute();
    expect(toHead.map((a) => a.staff_id)).toContain(t.fx.staff.head);
  });

  it('Tomasz reading Polish: the single-point-of-contact letter’s fixed parts are in Polish, the English beneath, and the copy kept to print is the same', async () => {
    await t.db.updateTable('carers').set({ preferred_language: 'Polish' }).where('id', '=', mark()).execute();
    try {
      const head = await t.as('staff', t.fx.staff.head);
      const set = await head.post(`${page()}/contact`, { contact: t.fx.staff.family_liaison, contact_reason: 'Still calling', contact_review_on: '5/3/2027' });
      expect(set.statusCode).toBe(303);
      const [letter] = await mailTo('tomasz@families.test', 'Państwa osoba kontaktowa w Brookfield');
      expect(letter!.subject).not.toContain('Your contact');
      const [polish, english] = letter!.text.split('----------');
      expect(polish).toContain('Dzień dobry, Tomasz,');
      expect(polish).toContain('Od dziś Państwa osobą kontaktową w Brookfield');
      expect(polish).toContain('Ms Carys Lewis');
      expect(polish).toContain('5 marca 2027');
      expect(polish).toContain('Z poważaniem');
      expect(polish).not.toContain('will be your contact');
      expect(english).toContain('Ms Carys Lewis will be your contact');
      expect(english).toContain('Friday 5 March 2027');
      const row = await t.db
        .selectFrom('conduct_arrangements')
        .select(['letter_subject', 'letter_text'])
        .where('carer_id', '=', mark())
        .where('kind', '=', 'single_contact')
        .where('ended_at', 'is', null)
        .executeTakeFirstOrThrow();
      expect(row.letter_subject).toBe(letter!.subject);
      expect(row.letter_text).toBe(letter!.text);
    } finally {
      await t.db.updateTable('carers').set({ preferred_language: 'English' }).where('id', '=', mark()).execute();
    }
  });

  it('a ban from the premises: the head’s letter is sent through the outbox and can be printed; one ban at a time', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const form = (await head.get(page())).body;
    expect(form).toContain('you may not come onto the school premises'); // the draft letter to edit
    const missing = await head.post(`${page()}/ban`, { ban_reason: 'Pushed a member of staff', starts_on: '27/11/2026', ban_review_on: '', letter: 'Dear Mr Nowak' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Enter the date to review it by');
    expect(missing.body).toContain('Pushed a member of staff');
    const banned = await head.post(`${page()}/ban`, {
      ban_reason: 'Pushed a member of staff at the gate',
      starts_on: '27/11/2026',
      ban_review_on: '8/1/2027',
      letter: 'Dear Mr Nowak,\n\nFrom Friday 27 November 2026 you may not come onto the school premises.',
    });
    expect(banned.statusCode).toBe(303);
    const [letter] = await mailTo('tomasz@families.test', 'Coming onto the premises');
    expect(letter!.text).toContain('you may not come onto the school premises');
    const row = await t.db.selectFrom('conduct_arrangements').selectAll().where('kind', '=', 'premises_ban').executeTakeFirstOrThrow();
    const printed = await head.get(`${page()}/arrangements/${row.id}/letter`);
    expect(printed.statusCode).toBe(200);
    expect(printed.body).toContain('From Friday 27 November 2026 you may not come onto the school premises.');
    expect(printed.body).toMatch(/<article class="gp-letter" id="letter">\s*<p class="govuk-body"><bdi>[^<]*Tomasz Nowak<\/bdi>/); // addressed by an isolated name
    const again = await head.post(`${page()}/ban`, { ban_reason: 'Again', starts_on: '27/11/2026', ban_review_on: '8/1/2027', letter: 'Dear Mr Nowak' });
    expect(again.body).toContain('A ban is already in force: review it instead');
  });

  it('reviews: the head’s home page lists what is due; a review sets the next date, or ends it', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const ban = await t.db.selectFrom('conduct_arrangements').selectAll().where('kind', '=', 'premises_ban').executeTakeFirstOrThrow();
    // Due in 6 weeks: not on the home page yet; brought forward to 3 December, it is.
    expect((await head.get('/')).body).not.toContain('id="conduct-reviews"');
    const noDate = await head.post(`${page()}/arrangements/${ban.id}/review`, { decision: 'continue', review_on: '' });
    expect(noDate.statusCode).toBe(400);
    expect(noDate.body).toContain('Enter the date of the next review');
    expect((await head.post(`${page()}/arrangements/${ban.id}/review`, { decision: 'continue', review_on: '3/12/2026' })).statusCode).toBe(303);
    const home = (await head.get('/')).body;
    expect(home).toContain('id="conduct-reviews"');
    expect(home).toContain('<bdi>Tomasz Nowak</bdi>: review the ban from the premises');
    expect((await (await t.as('staff', t.fx.staff.teacher)).get('/')).body).not.toContain('conduct-reviews');

    expect((await head.post(`${page()}/arrangements/${ban.id}/review`, { decision: 'end' })).statusCode).toBe(303);
    expect((await t.db.selectFrom('conduct_arrangements').select('ended_at').where('id', '=', ban.id).executeTakeFirstOrThrow()).ended_at).not.toBeNull();
    const twice = await head.post(`${page()}/arrangements/${ban.id}/review`, { decision: 'end' });
    expect(twice.body).toContain('This arrangement has already ended');
    expect((await audits('conduct.arrangement_reviewed')).length).toBe(1);
    // Ended by this review (the first single point of contact was ended when the second replaced it).
    expect((await audits('conduct.arrangement_ended')).filter((a) => a.after_json?.includes('"ended":true')).length).toBe(1);
  });

  it('a vexatious complaint is closed with the reason and the DfE route, by letter; once only', async () => {
    const ctx = { now: NOW, baseUrl: 'http://gatepost.test', translator: null };
    const raised = await raiseConcern(
      t.db,
      { kind: 'staff', staffId: t.fx.staff.office },
      {
        schoolId: t.fx.school.id,
        pupilId: t.fx.pupils.kuba,
        carerId: mark(),
        receivedVia: 'phone',
        contactBy: 'email',
        whatHappened: 'The same complaint again',
        wouldLike: 'An apology',
        safeguarding: 0,
      },
      ctx,
    );
    if (!raised.ok) throw new Error(raised.message);
    const concern = await t.db.selectFrom('concerns').selectAll().where('id', '=', raised.id).executeTakeFirstOrThrow();
    const made = await escalateConcern(t.db, { kind: 'staff', staffId: t.fx.staff.head }, concern, { last_incident_on: '2026-11-20', unresolved: 'Still not happy' }, ctx);
    if (!made.ok) throw new Error(made.message);

    const head = await t.as('staff', t.fx.staff.head);
    const form = (await head.get(page())).body;
    expect(form).toContain('www.gov.uk/contact-dfe'); // the DfE route, ready to send
    const noGrounds = await head.post(`${page()}/closures`, {
      complaint: made.id,
      closure_reason: 'The fourth complaint about the same lunch',
      dfe_route: 'Write to the DfE',
      closure_review_on: '5/2/2027',
    });
    expect(noGrounds.statusCode).toBe(400);
    expect(noGrounds.body).toContain('Choose why the complaint is being closed');
    expect(noGrounds.body).toContain('The fourth complaint about the same lunch');
    const closed = await head.post(`${page()}/closures`, {
      complaint: made.id,
      grounds: 'vexatious',
      closure_reason: 'This is the fourth complaint about the same lunchtime, each answered in full.',
      dfe_route: 'You can ask the Department for Education to check we followed our procedure: www.gov.uk/contact-dfe',
      closure_review_on: '5/2/2027',
    });
    expect(closed.statusCode).toBe(303);
    const [letter] = await mailTo('tomasz@families.test', 'Your complaint to Brookfield');
    expect(letter!.text).toContain('we consider it vexatious');
    expect(letter!.text).toContain('www.gov.uk/contact-dfe');
    expect(await t.db.selectFrom('complaint_closures').select(['grounds', 'complaint_id']).execute()).toEqual([{ grounds: 'vexatious', complaint_id: made.id }]);
    expect((await head.get(page())).body).toContain('They have no complaint open.');
    expect(await audits('complaint.closed_unreasonable')).toHaveLength(1);
  });

  it('only the head decides; senior leaders read and record incidents; nobody else, and no carer, reaches the record', async () => {
    const senior = await t.as('staff', t.fx.staff.senior_leader);
    expect((await senior.get(page())).statusCode).toBe(200);
    expect((await senior.get(page())).body).not.toContain(`action="${page()}/contact"`);
    expect((await senior.post(`${page()}/contact`, { contact: t.fx.staff.office, contact_reason: 'x', contact_review_on: '5/2/2027' })).statusCode).toBeGreaterThanOrEqual(403);
    for (const role of ['teacher', 'office', 'dsl', 'governor'] as const) {
      const who = await t.as('staff', t.fx.staff[role]);
      expect((await who.get(page())).statusCode, role).toBeGreaterThanOrEqual(403);
      expect((await who.get('/conduct')).statusCode, role).toBeGreaterThanOrEqual(403);
    }
    // Marta (Kuba's mother) may not read what is recorded about Tomasz, nor Tomasz his own.
    for (const carer of [t.fx.carers.marta, mark()]) {
      const c = await t.as('carer', carer);
      const r = await c.get(page());
      expect(r.statusCode).toBeGreaterThanOrEqual(403);
      expect(r.body).not.toContain('Shouted at Ms Byrne');
    }
    const otherHead = await t.as('staff', t.fx.staff.otherHead, t.fx.other.id);
    expect((await otherHead.get(page())).statusCode).toBe(404);
    const list = (await (await t.as('staff', t.fx.staff.head)).get('/conduct')).body;
    expect(list).toContain(`href="/carers/${mark()}/conduct"><bdi>Tomasz Nowak</bdi></a>`);
  });
});
