import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';

const NOW = new Date('2026-11-27T16:00:00.000Z');

/**
 * Marta Nowak (Polish, new family) and Sarah Dean (buddy family) both said yes and see each other's
 * details. Sarah no longer wants to be in touch: she ends the match from her own page, as easily as
 * she agreed to it. Marta stops seeing her details and is told in Polish; Ms Lewis is told who ended
 * it; Marta may be matched again. Nobody else can end it.
 */
describe.each(dialects)('a family ends its buddy match, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const mailTo = async (to: string) =>
    (await t.db.selectFrom('outbox').select(['payload_json', 'idempotency_key']).where('recipient', '=', to).execute()).map((r) => ({
      key: r.idempotency_key,
      ...(JSON.parse(r.payload_json) as { subject: string; text: string }),
    }));

  it('the buddy family ends an agreed match; the other family stops seeing its details and both it and the liaison officer are told, once', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    const sarah = await t.as('carer', t.fx.carers.sarah);
    const grace = await t.as('carer', t.fx.carers.grace);
    expect((await marta.post('/my-community/buddy', { wants: 'newcomer' })).statusCode).toBe(303);
    expect((await sarah.post('/my-community/buddy', { wants: 'buddy' })).statusCode).toBe(303);
    const flo = await t.as('staff', t.fx.staff.family_liaison);
    expect((await flo.post('/community/matches', { newcomer: t.fx.carers.marta, buddy: t.fx.carers.sarah })).statusCode).toBe(303);
    const match = await t.db.selectFrom('buddy_matches').selectAll().executeTakeFirstOrThrow();

    // Before answering there is nothing to end: the family answers yes or no.
    expect((await sarah.get('/my-community')).body).not.toContain(`/my-community/matches/${match.id}/end`);
    for (const c of [marta, sarah]) expect((await c.post(`/my-community/matches/${match.id}`, { answer: 'yes' })).statusCode).toBe(303);
    const before = await sarah.get('/my-community');
    expect(before.body).toContain('marta@families.test');
    expect(before.body).toContain('Stop sharing your details');
    expect(before.body).toContain(`action="/my-community/matches/${match.id}/end"`);

    // Nobody else can end it: another family, a family in another school, staff on the carer route.
    expect((await grace.post(`/my-community/matches/${match.id}/end`, {})).statusCode).toBe(404);
    const olga = await t.as('carer', t.fx.carers.otherCarer, t.fx.other.id);
    expect((await olga.post(`/my-community/matches/${match.id}/end`, {})).statusCode).toBe(404);
    expect((await t.db.selectFrom('buddy_matches').select('declined_at').where('id', '=', match.id).executeTakeFirstOrThrow()).declined_at).toBeNull();

    const ended = await sarah.post(`/my-community/matches/${match.id}/end`, {});
    expect(ended.statusCode).toBe(303);
    expect(ended.headers.location).toBe('/my-community?done=ended');
    expect((await sarah.post(`/my-community/matches/${match.id}/end`, {})).statusCode).toBe(303); // a double click ends it once

    const after = await t.db.selectFrom('buddy_matches').selectAll().where('id', '=', match.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ declined_at: NOW.toISOString(), ended_by_carer: t.fx.carers.sarah, withdrawn_by: null });
    const audits = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'community.buddy_ended_by_family').execute();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor_kind: 'carer', actor_id: t.fx.carers.sarah, entity_id: match.id });

    // Each side sees what happened; neither sees the other's details any more.
    const sarahPage = await sarah.get('/my-community?done=ended');
    expect(sarahPage.body).toContain('The match has ended. The other family and the school have been told.');
    expect(sarahPage.body).toContain('You ended this match.');
    expect(sarahPage.body).not.toContain('marta@families.test');
    const martaPage = await marta.get('/my-community');
    expect(martaPage.body).not.toContain('sarah@families.test');
    expect(martaPage.body).not.toContain('/end"');

    // Marta is told in Polish, once; Sarah is not emailed about her own choice; Ms Lewis is told who ended it.
    const toMarta = (await mailTo('marta@families.test')).filter((m) => m.key.startsWith('email:buddy-ended:'));
    expect(toMarta).toHaveLength(1);
    expect(toMarta[0]!.subject).toContain('Połączenie z rodziną-przyjacielem zostało zakończone');
    expect((await mailTo('sarah@families.test')).filter((m) => m.key.startsWith('email:buddy-ended:'))).toHaveLength(0);
    const toLewis = (await mailTo('lewis@brookfield.test')).filter((m) => m.key.startsWith('email:buddy-ended:'));
    expect(toLewis).toHaveLength(1);
    expect(toLewis[0]!.text).toContain('Sarah Dean (buddy family)');
    expect(toLewis[0]!.text).toContain('ended by the buddy family');

    // The staff page says who ended it, with no check-in or withdrawal left to do; Marta waits for another buddy family.
    const overview = (await flo.get('/community')).body;
    const card = overview.slice(overview.indexOf(`id="match-${match.id}"`));
    expect(card).toContain('Ended by a family');
    expect(card).toMatch(/Ended by <bdi>[^<]*Sarah Dean<\/bdi> from Gatepost/);
    expect(card.slice(0, card.indexOf('<h2'))).not.toContain('Record the check-in');
    expect((await flo.get('/')).body).toContain('1 new family is waiting for a buddy family');
  });
});
