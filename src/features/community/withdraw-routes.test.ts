import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carerLink } from '../../../test/support/fixture.ts';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');

/**
 * Ms Lewis (family liaison officer) withdraws the buddy match of Marta Nowak (Polish) and Sarah Dean
 * that is not working: a reason is required, each family is told in their own language, the match is
 * kept with who withdrew it and when, and Marta can be matched with another buddy family.
 */
describe.each(dialects)('withdrawing a buddy match, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const mailTo = async (to: string) =>
    (await t.db.selectFrom('outbox').select('payload_json').where('recipient', '=', to).execute()).map((r) => JSON.parse(r.payload_json) as { subject: string; text: string });

  it('a lead withdraws a match with a reason; both families are told in their language; the new family may be matched again', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const sarah = await t.as('carer', t.fx.carers.sarah);
    const grace = await t.as('carer', t.fx.carers.grace);
    expect((await marta.post('/my-community/buddy', { wants: 'newcomer' })).statusCode).toBe(303);
    for (const c of [sarah, grace]) expect((await c.post('/my-community/buddy', { wants: 'buddy' })).statusCode).toBe(303);
    const flo = await t.as('staff', t.fx.staff.family_liaison);
    expect((await flo.post('/community/matches', { newcomer: t.fx.carers.marta, buddy: t.fx.carers.sarah })).statusCode).toBe(303);
    const match = await t.db.selectFrom('buddy_matches').selectAll().executeTakeFirstOrThrow();
    for (const c of [marta, sarah]) expect((await c.post(`/my-community/matches/${match.id}`, { answer: 'yes' })).statusCode).toBe(303);
    expect((await marta.get('/my-community')).body).toContain('sarah@families.test');

    // The office may not withdraw a match (leads only); a reason is required, shown beside the field.
    const office = await t.as('staff', t.fx.staff.office);
    expect((await office.post(`/community/matches/${match.id}/withdraw`, { withdraw_reason: 'Not working' })).statusCode).toBe(404);
    const blank = await flo.post(`/community/matches/${match.id}/withdraw`, { withdraw_reason: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('Enter why the match is being withdrawn');
    expect(blank.body).toContain('href="#withdraw_reason"');
    const long = 'They have not met since the first week. '.repeat(60);
    const tooLong = await flo.post(`/community/matches/${match.id}/withdraw`, { withdraw_reason: long });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('Why the match is being withdrawn must be 2000 characters or fewer');
    expect(tooLong.body).toContain('They have not met since the first week.'); // the text is kept
    expect((await t.db.selectFrom('buddy_matches').select('declined_at').where('id', '=', match.id).executeTakeFirstOrThrow()).declined_at).toBeNull();

    const reason = 'The families have not been able to meet; Marta would like someone nearer';
    const done = await flo.post(`/community/matches/${match.id}/withdraw`, { withdraw_reason: reason });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/community?done=withdrawn');
    const after = await t.db.selectFrom('buddy_matches').selectAll().where('id', '=', match.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ declined_at: NOW.toISOString(), withdrawn_by: t.fx.staff.family_liaison, withdrawn_reason: reason });
    const audits = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'community.buddy_withdrawn').execute();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor_id: t.fx.staff.family_liaison, entity_id: match.id });
    expect(JSON.stringify(audits[0])).not.toContain('Marta would like'); // the reason stays with the match, not the audit log

    // A second withdrawal (a double click) changes nothing and says why beside the field.
    const twice = await flo.post(`/community/matches/${match.id}/withdraw`, { withdraw_reason: reason });
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('This match has already ended');
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'community.buddy_withdrawn').execute()).toHaveLength(1);

    // Each family is told once, in their own language; neither is told the reason.
    const toMarta = (await mailTo('marta@families.test')).filter((m) => m.subject === 'Połączenie z rodziną-przyjacielem zostało zakończone');
    expect(toMarta).toHaveLength(1);
    expect(toMarta[0]!.text).toContain('Szkoła zakończyła połączenie z rodziną-przyjacielem');
    const toSarah = (await mailTo('sarah@families.test')).filter((m) => m.subject === 'Your buddy family match has ended');
    expect(toSarah).toHaveLength(1);
    for (const m of [...toMarta, ...toSarah]) expect(m.text).not.toContain('nearer');

    // Marta's page says the match has ended and no longer shows Sarah's details.
    const page = (await marta.get('/my-community')).body;
    expect(page).toContain('The school has ended this match.');
    expect(page).not.toContain('sarah@families.test');

    // The staff page shows who withdrew it and why; Marta is offered a buddy family again and can be matched.
    const overview = (await flo.get('/community')).body;
    expect(overview).toContain('Withdrawn by <bdi>Carys Lewis</bdi>');
    expect(overview).toContain(reason);
    expect((await flo.get('/')).body).toContain('1 new family is waiting for a buddy family');
    // Sarah, whose match with Marta was withdrawn, is not suggested to Marta again; the card says so.
    expect(overview).not.toContain(`value="${t.fx.carers.sarah}"`);
    expect(overview).toContain('Not suggested again, as an earlier match ended: <bdi>Sarah Dean</bdi>.');
    // The withdrawn match offers no check-in and no second withdrawal, for Ms Lewis or anyone.
    const card = overview.slice(overview.indexOf(`id="match-${match.id}"`));
    expect(card.slice(0, card.indexOf('<h2'))).not.toContain('Record the check-in');
    const late = await flo.post(`/community/matches/${match.id}/check-in`, { check_in_note: 'Going well' }); // from a page opened before
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain('This match has ended, so there is no check-in to record');
    expect((await t.db.selectFrom('buddy_matches').select('checked_in_at').where('id', '=', match.id).executeTakeFirstOrThrow()).checked_in_at).toBeNull();
    // Grace looks after a Year 3 child too (Sarah's), so she can be Marta's buddy family now.
    const lily = await t.db.selectFrom('carer_pupils').select('pupil_id').where('carer_id', '=', t.fx.carers.sarah).executeTakeFirstOrThrow();
    await t.db
      .insertInto('carer_pupils')
      .values(
        carerLink({ school_id: t.fx.school.id, carer_id: t.fx.carers.grace, pupil_id: lily.pupil_id, relationship: 'other', parental_responsibility: 0, lives_with_pupil: 0, contact_priority: 3 }),
      )
      .execute();
    expect((await flo.post('/community/matches', { newcomer: t.fx.carers.marta, buddy: t.fx.carers.grace })).statusCode).toBe(303);
    expect(await t.db.selectFrom('buddy_matches').select('id').where('newcomer_id', '=', t.fx.carers.marta).where('declined_at', 'is', null).execute()).toHaveLength(1);
  });
});
