import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { setSingleContact } from '../conduct/commands.ts';
import { lettersAboutCarer } from '../concerns/index.ts';
import { newId } from '../../platform/ids.ts';
import { insertMeeting } from '../meetings/record-test-data.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z'); // Thursday, autumn term

/**
 * Belonging, as Ms Lewis (family liaison officer) and the families meet it: a key worker for Faduma
 * Warsame (her meeting requests go to them first; a single point of contact still wins); buddy
 * families (opt in, suggestions never across a restriction, both say yes before either sees the
 * other's details, the check-in); the support directory; the welcome checklist.
 */
describe.each(dialects)('belonging, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const mailTo = async (to: string) =>
    (await t.db.selectFrom('outbox').select('payload_json').where('recipient', '=', to).execute()).map((r) => JSON.parse(r.payload_json) as { subject: string; text: string });
  const request = (pupilId: string) => ({
    form_id: newId(),
    pupil_id: pupilId,
    topic: 'Settling in',
    outline: 'How is she settling?',
    times: 'after_school',
    mode: 'in_person',
    interpreter: 'no',
    urgent: 'no',
  });
  const alerted = async () => (await t.db.selectFrom('staff_alerts').select('staff_id').where('kind', '=', 'meeting_request').execute()).map((a) => a.staff_id);

  it('a key worker: set by the family liaison officer, shown on the family’s home page, and their meeting requests go to them first', async () => {
    const carerPage = `/carers/${t.fx.carers.faduma}/community`;
    const teacher = await t.as('staff', t.fx.staff.teacher);
    expect((await teacher.get(carerPage)).statusCode).toBe(404);
    const office = await t.as('staff', t.fx.staff.office);
    expect((await office.post(`/carers/${t.fx.carers.faduma}/key-worker`, { key_worker: t.fx.staff.family_liaison, key_worker_reason: 'New to the country' })).statusCode).toBe(404);

    const flo = await t.as('staff', t.fx.staff.family_liaison);
    const missing = await flo.post(`/carers/${t.fx.carers.faduma}/key-worker`, { key_worker: t.fx.staff.family_liaison, key_worker_reason: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Enter why the family needs a key worker');
    expect(missing.body).toContain('href="#key_worker_reason"');
    const governor = await flo.post(`/carers/${t.fx.carers.faduma}/key-worker`, { key_worker: t.fx.staff.governor, key_worker_reason: 'New to the country' });
    expect(governor.body).toContain('Choose someone on the staff from the list');
    expect(governor.body).toContain('New to the country');
    expect((await flo.post(`/carers/${t.fx.carers.faduma}/key-worker`, { key_worker: t.fx.staff.family_liaison, key_worker_reason: 'New to the country' })).statusCode).toBe(303);
    expect((await flo.get(carerPage)).body).toContain('<bdi>Ms Carys Lewis</bdi> is this family');

    const faduma = await t.as('carer', t.fx.carers.faduma);
    const home = await faduma.get('/');
    expect(home.body).toContain('<bdi>Ms Carys Lewis</bdi> is your key worker');
    expect((await faduma.get('/my-community')).body).toContain('<bdi>Ms Carys Lewis</bdi> is your key worker');
    expect((await faduma.post('/my-meetings/request', request(t.fx.pupils.ayaan))).statusCode).toBe(303);
    expect(await alerted()).toEqual([t.fx.staff.family_liaison]);

    // Tomasz has a key worker (Mr Hughes) and a single point of contact (Ms Byrne): the single point of contact wins.
    const senco = await t.as('staff', t.fx.staff.senco);
    expect((await senco.post(`/carers/${t.fx.carers.tomasz}/key-worker`, { key_worker: t.fx.staff.senco, key_worker_reason: 'Kuba’s support plan' })).statusCode).toBe(303);
    const tomasz = await t.as('carer', t.fx.carers.tomasz);
    expect((await tomasz.post('/my-meetings/request', request(t.fx.pupils.kuba))).statusCode).toBe(303);
    expect((await alerted()).at(-1)).toBe(t.fx.staff.senco);
    const spoc = await setSingleContact(
      t.db,
      { staffId: t.fx.staff.head, schoolId: t.fx.school.id },
      t.fx.carers.tomasz,
      { contact: t.fx.staff.office, reason: 'Many calls', review_on: '2027-01-20' },
      { now: NOW, letters: lettersAboutCarer(null) },
    );
    expect(spoc.ok).toBe(true);
    expect((await tomasz.post('/my-meetings/request', request(t.fx.pupils.kuba))).statusCode).toBe(303);
    expect((await alerted()).at(-1)).toBe(t.fx.staff.office);
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'community.key_worker_set').execute()).toHaveLength(2);

    // The SENCO ends Tomasz's key worker arrangement: the page says there is none, and a second end is refused beside the field.
    const ended = await senco.post(`/carers/${t.fx.carers.tomasz}/key-worker/end`, {});
    expect(ended.statusCode).toBe(303);
    expect((await senco.get(`/carers/${t.fx.carers.tomasz}/community?done=key-worker-ended`)).body).toContain('No key worker.');
    expect((await senco.post(`/carers/${t.fx.carers.tomasz}/key-worker/end`, {})).body).toContain('This family has no key worker to end');
    expect(await t.db.selectFrom('key_workers').select('ended_by').where('carer_id', '=', t.fx.carers.tomasz).where('staff_id', '=', t.fx.staff.senco).executeTakeFirstOrThrow()).toEqual({
      ended_by: t.fx.staff.senco,
    });
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'community.key_worker_ended').execute()).toHaveLength(1);
  });

  it('buddy families: suggestions by year group and never across a restriction; details shown only once both said yes; the four-week check-in', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const sarah = await t.as('carer', t.fx.carers.sarah);
    const mark = await t.as('carer', t.fx.carers.mark);
    const grace = await t.as('carer', t.fx.carers.grace);
    const none = await marta.post('/my-community/buddy', {});
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('href="#wants"');
    expect((await marta.post('/my-community/buddy', { wants: 'newcomer' })).statusCode).toBe(303);
    for (const c of [sarah, mark, grace]) expect((await c.post('/my-community/buddy', { wants: 'buddy' })).statusCode).toBe(303);

    const flo = await t.as('staff', t.fx.staff.family_liaison);
    // The family liaison officer's home page says a new family is waiting; a teacher's does not show belonging.
    expect((await flo.get('/')).body).toContain('1 new family is waiting for a buddy family');
    expect((await (await t.as('staff', t.fx.staff.teacher)).get('/')).body).not.toContain('id="belonging"');
    const overview = (await flo.get('/community')).body;
    const card = overview.slice(overview.indexOf(`id="newcomer-${t.fx.carers.marta}"`));
    const suggestions = card.slice(0, card.indexOf('</form>'));
    expect(suggestions).toContain('Sarah Dean'); // Year 3, like Kuba
    expect(suggestions).not.toContain('Mark Dean'); // restricted from Lily: never suggested
    expect(suggestions).not.toContain('Grace Mensah'); // Year 4 only

    const across = await flo.post('/community/matches', { newcomer: t.fx.carers.marta, buddy: t.fx.carers.mark });
    expect(across.statusCode).toBe(400);
    expect(across.body).toContain('These two families cannot be matched');
    const office = await t.as('staff', t.fx.staff.office);
    expect((await office.post('/community/matches', { newcomer: t.fx.carers.marta, buddy: t.fx.carers.sarah })).statusCode).toBe(404);
    expect((await flo.post('/community/matches', { newcomer: t.fx.carers.marta, buddy: t.fx.carers.sarah })).statusCode).toBe(303);
    const match = await t.db.selectFrom('buddy_matches').selectAll().executeTakeFirstOrThrow();
    expect(match.check_in_on).toBe('2026-12-24');
    // Once matched, Marta is shown her match, not offered another buddy family, and a second match is refused.
    const after = (await flo.get('/community')).body;
    const matchedCard = after.slice(after.indexOf(`id="newcomer-${t.fx.carers.marta}"`));
    expect(matchedCard.slice(0, matchedCard.indexOf('</div>'))).toContain(`Matched with <a class="govuk-link" href="#match-${match.id}"><bdi>Sarah Dean</bdi></a>`);
    expect(matchedCard.slice(0, matchedCard.indexOf('</div>'))).not.toContain('Record the match and ask both families');
    await sarah.post('/my-community/buddy', { wants: 'buddy' });
    const again = await flo.post('/community/matches', { newcomer: t.fx.carers.marta, buddy: t.fx.carers.grace });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('This family already has a buddy family');
    expect(await t.db.selectFrom('buddy_matches').select('id').execute()).toHaveLength(1);
    // Each family is asked, in its own language.
    expect((await mailTo('marta@families.test')).map((m) => m.subject)).toContain('Rodzina-przyjaciel dla Państwa');
    expect((await mailTo('sarah@families.test')).map((m) => m.subject)).toContain('A buddy family for you');

    // Nobody sees the other's details before both said yes.
    expect((await marta.get('/my-community')).body).not.toContain('sarah@families.test');
    expect((await marta.post(`/my-community/matches/${match.id}`, { answer: 'yes' })).statusCode).toBe(303);
    expect((await marta.get('/my-community')).body).not.toContain('sarah@families.test');
    expect((await sarah.get('/my-community')).body).not.toContain('marta@families.test');
    // Ms Lewis sees which family has answered and whom to chase.
    const waiting = (await flo.get('/community')).body;
    expect(waiting).toContain(
      `<p class="govuk-body" id="answers-${match.id}"><bdi>Marta Nowak</bdi> has said yes. Waiting for <bdi>Sarah Dean</bdi> to answer: neither family sees the other's details until then.</p>`,
    );
    // Tomasz (Kuba's father) cannot answer for Marta; another family's match is not found.
    const tomasz = await t.as('carer', t.fx.carers.tomasz);
    expect((await tomasz.post(`/my-community/matches/${match.id}`, { answer: 'no' })).statusCode).toBe(404);
    const blank = await sarah.post(`/my-community/matches/${match.id}`, {});
    expect(blank.statusCode).toBe(400);
    expect((await sarah.post(`/my-community/matches/${match.id}`, { answer: 'yes' })).statusCode).toBe(303);
    expect((await marta.get('/my-community')).body).toContain('sarah@families.test');
    expect((await sarah.get('/my-community')).body).toContain('marta@families.test');
    // Matched, Sarah sees that she takes part already, not the question whether she would like to.
    const sarahsPage = (await sarah.get('/my-community')).body;
    expect(sarahsPage).toContain('You already have a buddy family match: see above.');
    expect(sarahsPage).not.toContain('Would you like to take part?');
    expect((await (await t.as('carer', t.fx.carers.grace)).get('/my-community')).body).toContain('Would you like to take part?');
    expect((await mailTo('sarah@families.test')).map((m) => m.subject)).toContain('Your buddy family');

    // The check-in is due four weeks on: shown on the family liaison officer's page then.
    expect((await flo.get('/community')).body).toContain('No check-ins are due.');
    expect((await flo.get('/')).body).toContain('No buddy check-ins are due and no new family is waiting for a buddy family.');
    await t.db.updateTable('buddy_matches').set({ check_in_on: '2026-11-26' }).where('id', '=', match.id).execute();
    const home = (await flo.get('/')).body;
    expect(home).toContain('1 buddy check-in is due');
    // Stacked links get the room WCAG 2.2 asks for (24px targets), not a tight bullet list.
    const belonging = home.slice(home.indexOf('id="belonging"'), home.indexOf('/community#check-ins'));
    expect(belonging).toContain('<ul class="govuk-list govuk-list--bullet gp-spaced-links">');
    expect((await flo.get('/community')).body).toContain('<bdi>Marta Nowak</bdi> and <bdi>Sarah Dean</bdi>');
    expect((await flo.get('/community')).body).not.toContain('Overdue');
    // A check-in whose date has passed is marked overdue, in the list and on the match.
    await t.db.updateTable('buddy_matches').set({ check_in_on: '2026-11-19' }).where('id', '=', match.id).execute();
    const late = (await flo.get('/community')).body;
    expect(late).toMatch(/<bdi>Sarah Dean<\/bdi><\/a>: <strong class="govuk-tag govuk-tag--red">Overdue<\/strong> was due 19 November 2026/);
    expect(late).toContain('Check-in overdue: it was due 19 November 2026.');
    const empty = await flo.post(`/community/matches/${match.id}/check-in`, { check_in_note: '' });
    expect(empty.statusCode).toBe(400);
    expect((await flo.post(`/community/matches/${match.id}/check-in`, { check_in_note: 'Met twice at the gate; going well' })).statusCode).toBe(303);
    expect((await flo.get('/community')).body).toContain('Met twice at the gate; going well');
    expect((await flo.post(`/community/matches/${newId()}/check-in`, { check_in_note: 'x' })).statusCode).toBe(404);
  });

  it('the support directory: kept by the school, bad input explained and kept, shown to carers with labels in their language', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const bad = await office.post('/community/support', {
      name: '',
      kind: 'group',
      description: 'Free food parcels',
      opening_times: 'Tuesdays 10:00 to 12:00',
      languages: 'English, Polish',
      contact: '01632 960000',
      tags: 'food bank',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the name');
    expect(bad.body).toContain('Tuesdays 10:00 to 12:00');
    expect(
      (
        await office.post('/community/support', {
          name: 'Brookfield Food Bank',
          kind: 'service',
          description: 'Free food parcels',
          opening_times: 'Tuesdays 10:00 to 12:00',
          languages: 'English, Polish',
          contact: '01632 960000',
          tags: 'food bank',
        })
      ).statusCode,
    ).toBe(303);
    const entry = await t.db.selectFrom('support_entries').selectAll().executeTakeFirstOrThrow();
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const page = (await marta.get('/my-community')).body;
    expect(page).toContain('Brookfield Food Bank');
    expect(page).toContain('Godziny otwarcia');
    // Saving her answer is confirmed in Polish, the banner's title included (GOV.UK's own title is "Success").
    const saved = (await marta.get('/my-community?done=saved')).body;
    expect(saved).toMatch(/<h2 class="govuk-notification-banner__title"[^>]*>\s*Gotowe\s*<\/h2>/);
    expect(saved).not.toMatch(/>\s*Success\s*</);
    expect((await office.post(`/community/support/${entry.id}/archive`, {})).statusCode).toBe(303);
    expect((await marta.get('/my-community')).body).not.toContain('Brookfield Food Bank');
    expect((await office.get(`/community/support/${entry.id}`)).statusCode).toBe(404);
    const teacher = await t.as('staff', t.fx.staff.teacher);
    expect((await teacher.get('/community/support')).statusCode).toBe(404);
  });

  it('the meeting record suggests a directory entry when an agreed action mentions one of its words', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    await office.post('/community/support', {
      name: 'ESOL at the library',
      kind: 'language_class',
      description: 'English for parents',
      opening_times: 'Mondays 9:30',
      languages: 'English, Polish',
      contact: 'Library desk',
      tags: 'English classes, esol',
    });
    const meetingId = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.kuba, leadId: t.fx.staff.teacher, carerIds: [t.fx.carers.marta], status: 'held' });
    await t.db
      .insertInto('meeting_actions')
      .values({
        id: newId(),
        school_id: t.fx.school.id,
        meeting_id: meetingId,
        owner_kind: 'carer',
        staff_id: null,
        carer_id: t.fx.carers.marta,
        what: 'Marta will look for English classes near home',
        due_on: '2026-12-10',
        done_at: null,
        created_at: NOW.toISOString(),
      })
      .execute();
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const record = (await teacher.get(`/meetings/${meetingId}/record`)).body;
    expect(record).toContain('Local support that may help');
    expect(record).toContain('ESOL at the library');
  });

  it('the welcome checklist: each step with when and who helped; the agreement read from the agreement’s own record', async () => {
    const flo = await t.as('staff', t.fx.staff.family_liaison);
    const page = `/carers/${t.fx.carers.faduma}/community`;
    const future = await flo.post(`/carers/${t.fx.carers.faduma}/welcome`, { step: 'forms_done', done_on: '1/12/2026', helped_by: t.fx.staff.office, note: 'With a Somali interpreter' });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('The date it was done must be today or before');
    expect(future.body).toContain('With a Somali interpreter');
    expect((await flo.post(`/carers/${t.fx.carers.faduma}/welcome`, { step: 'forms_done', done_on: '20/11/2026', helped_by: t.fx.staff.office, note: 'With a Somali interpreter' })).statusCode).toBe(
      303,
    );
    const shown = (await flo.get(page)).body;
    expect(shown).toContain('Ms Siobhan Byrne');
    expect(shown).toContain('20 November 2026');
    expect(shown).toContain('Signed the home-school agreement');
    expect((await flo.get('/community')).body).toContain('Faduma Warsame</bdi></a>: 1 of 4 steps recorded');
  });

  it('reaches no other school: another school’s carer is not found', async () => {
    const flo = await t.as('staff', t.fx.staff.family_liaison);
    expect((await flo.get(`/carers/${t.fx.carers.otherCarer}/community`)).statusCode).toBe(404);
  });
});
