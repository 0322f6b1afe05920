import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { insertMeeting } from '../meetings/record-test-data.ts';
import { raiseConcern } from './raise.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z'); // Thursday

/** The head's home page warns early: a child with two concerns this term, a concern past its date, a family's overdue follow-up. */
describe.each(dialects)('early warning on the head’s home page, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const raise = (pupilId: string, carerId: string, at: string) =>
    raiseConcern(
      t.db,
      { kind: 'carer', carerId },
      { schoolId: t.fx.school.id, pupilId, carerId, receivedVia: 'portal', contactBy: 'email', whatHappened: 'Something happened', wouldLike: 'Sort it', safeguarding: 0 },
      { now: new Date(at), baseUrl: 'http://gatepost.test', translator: null },
    );

  it('says so when there is nothing to warn about, and nobody but the head sees the warning', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.get('/')).body).toContain('Nothing to warn you about');
    expect((await (await t.as('staff', t.fx.staff.senior_leader)).get('/')).body).not.toContain('id="early-warning"');
  });

  it('lists Kuba (two concerns this term), a concern past its date, and Ola’s family’s overdue follow-up', async () => {
    // Kuba: one in September (resolved since), one this week.
    const first = await raise(t.fx.pupils.kuba, t.fx.carers.marta, '2026-09-14T09:00:00.000Z');
    if (!first.ok) throw new Error(first.message);
    await t.db.updateTable('concerns').set({ status: 'resolved' }).where('id', '=', first.id).execute();
    const second = await raise(t.fx.pupils.kuba, t.fx.carers.tomasz, '2026-11-24T09:00:00.000Z');
    // Leo: raised on 2 November, due ten school days later (16 November), still open.
    const late = await raise(t.fx.pupils.leo, t.fx.carers.grace, '2026-11-02T09:00:00.000Z');
    // Kuba's sister Ola had a meeting whose follow-up was due on 20 November and has not been kept.
    await insertMeeting(t.db, t.fx, {
      pupilId: t.fx.pupils.ola,
      carerIds: [t.fx.carers.marta],
      status: 'held',
      topic: 'Settling into Reception',
      followUpOn: '2026-11-20',
      startsAt: '2026-11-06T15:30:00.000Z',
    });
    if (!second.ok || !late.ok) throw new Error('refused');

    const page = await (await t.as('staff', t.fx.staff.head)).get('/');
    const warning = page.body.slice(page.body.indexOf('id="early-warning"'));
    expect(warning).toContain(`href="/concerns/${second.id}"><bdi>Jakub Nowak</bdi>: 2 concerns this term`);
    expect(warning).toContain(`href="/concerns/${late.id}">Concern about <bdi>Leo Mensah</bdi></a> – was due 16 November 2026 (10 days ago)`);
    expect(warning).toContain('<bdi>Jakub Nowak</bdi>’s family has a concern</a> not yet resolved, and a meeting follow-up overdue since 20 November 2026');
    expect(warning).toContain('Settling into Reception');
    expect(warning).not.toContain('Nothing to warn you about');
  });

  it('marks a concern with no first reply past its date “Reply late” in the list and counts it on the card until someone replies', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const leo = await t.db.selectFrom('concerns').select(['id', 'status']).where('pupil_id', '=', t.fx.pupils.leo).executeTakeFirstOrThrow();
    const kuba = await t.db.selectFrom('concerns').select('id').where('pupil_id', '=', t.fx.pupils.kuba).where('status', '!=', 'resolved').executeTakeFirstOrThrow();
    const rowOf = (body: string, id: string) => {
      const at = body.indexOf(`href="/concerns/${id}"`);
      return body.slice(at, body.indexOf('</tr>', at));
    };
    // Leo's, raised on 2 November, should have had a reply by 9 November; Kuba's, raised on Tuesday, has until 1 December.
    const list = (await head.get('/concerns')).body;
    expect(rowOf(list, leo.id)).toContain('Reply late');
    expect(rowOf(list, leo.id)).toContain('first reply was due 9 November 2026');
    expect(rowOf(list, kuba.id)).not.toContain('Reply late');
    const card = (await head.get('/')).body;
    expect(card).toContain('1 concern has had no first reply to the family in time');

    // A phone call recorded is the reply: the tag and the count go.
    expect((await head.post(`/concerns/${leo.id}/contacts`, { contact_how: 'phone', contact_body: 'Rang Mrs Mensah about it' })).statusCode).toBe(303);
    expect(rowOf((await head.get('/concerns')).body, leo.id)).not.toContain('Reply late');
    expect((await head.get('/')).body).not.toContain('id="reply-late"');
  });

  it('leaves out a complaint made directly: its record is no concern (the complaints list flags its dates) and would not open from the card', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const made = await marta.post('/my-complaints', { pupil: t.fx.pupils.ola, complaint: 'Nobody answers my emails.', would_like: 'An answer', last_incident_on: '20/11/2026' });
    expect(made.statusCode).toBe(303);
    const complaintId = /my-complaints\/([^?]+)/.exec(made.headers.location ?? '')![1]!;
    const { concern_id } = await t.db.selectFrom('complaints').select('concern_id').where('id', '=', complaintId).executeTakeFirstOrThrow();
    // As if made in October: its record would be past both dates, with no contact recorded.
    await t.db.updateTable('concerns').set({ raised_on: '2026-10-01', due_on: '2026-10-15' }).where('id', '=', concern_id!).execute();
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.get(`/concerns/${concern_id}`)).statusCode).toBe(404);
    const warning = (await head.get('/')).body;
    expect(warning).toContain('id="early-warning"');
    expect(warning).not.toContain(`/concerns/${concern_id}`);
    expect(warning).not.toContain('id="reply-late"');
  });
});
