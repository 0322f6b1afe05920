import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');

/**
 * After a change is decided: Marta hears (in Polish, by email through the outbox) that one change was
 * declined and the next accepted; she reads Tomasz's words beside her own; Sarah never sees the words
 * of Mark, whom a court order stops hearing about Lily; a past version opens on its own page; the
 * child's page, for the carer and for staff, leads to the profile.
 */
describe.each(dialects)('a profile after a decision, on %s', (dialect) => {
  let t: TestApp;
  const kuba = () => `/pupils/${t.fx.pupils.kuba}/profile`;
  const mailsTo = async (email: string) =>
    (await t.db.selectFrom('outbox').select(['idempotency_key', 'payload_json']).where('idempotency_key', 'like', '%profile-decided:%').execute())
      .map((r) => JSON.parse(r.payload_json) as { to: string; subject: string; text: string })
      .filter((p) => p.to === email);
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    const hughes = await t.as('staff', t.fx.staff.senco);
    await hughes.post(kuba(), {});
    await hughes.post(`/pupils/${t.fx.pupils.lily}/profile`, {});
  });
  afterAll(async () => t?.close());

  const proposeAs = async (carer: string, pupil: string, words: string) => {
    const c = await t.as('carer', carer);
    const res = await c.post(`/children/${pupil}/profile/propose`, { admire: '', important: '', support: '', pupil_voice: '', words, note: '' });
    expect(res.statusCode).toBe(303);
    const row = await t.db.selectFrom('profile_proposals').select('id').where('carer_id', '=', carer).where('status', '=', 'pending').executeTakeFirstOrThrow();
    return `/pupils/${pupil}/profile/proposals/${row.id}`;
  };

  it('Marta is told in Polish that her change was declined, with the school’s note, and later that one was accepted', async () => {
    const hughes = await t.as('staff', t.fx.staff.senco);
    const first = await proposeAs(t.fx.carers.marta, t.fx.pupils.kuba, 'Kuba lubi piłkę nożną.');
    expect((await hughes.post(first, { decision: 'reject', decision_note: 'Please tell us more at the meeting.' })).statusCode).toBe(303);
    let mails = await mailsTo('marta@families.test');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('nie została wprowadzona');
    expect(mails[0]!.text).toContain('Please tell us more at the meeting.');
    expect(mails[0]!.text).toContain(`/children/${t.fx.pupils.kuba}/profile`);
    const second = await proposeAs(t.fx.carers.marta, t.fx.pupils.kuba, 'Kuba lubi czytać o dinozaurach.');
    expect((await hughes.post(second, { decision: 'accept', decision_note: '' })).statusCode).toBe(303);
    mails = await mailsTo('marta@families.test');
    expect(mails).toHaveLength(2);
    expect(mails.some((m) => m.subject.includes('została przyjęta'))).toBe(true);
  });

  it('Marta reads Tomasz’s accepted words; Sarah never reads those of Mark, whom an order stops', async () => {
    const hughes = await t.as('staff', t.fx.staff.senco);
    const tomasz = await proposeAs(t.fx.carers.tomasz, t.fx.pupils.kuba, 'Kuba is brave about new things.');
    expect((await hughes.post(tomasz, { decision: 'accept', decision_note: '' })).statusCode).toBe(303);
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const page = await marta.get(`/children/${t.fx.pupils.kuba}/profile`);
    expect(page.body).toContain('Kuba is brave about new things.');
    expect(page.body).toContain('Tomasz Nowak');
    // Words Mark wrote (before the order) stay in the record but never reach Sarah.
    const lily = await t.db.selectFrom('profiles').selectAll().where('pupil_id', '=', t.fx.pupils.lily).executeTakeFirstOrThrow();
    const at = NOW.toISOString();
    await t.db
      .insertInto('profile_words')
      .values({
        id: newId(),
        school_id: t.fx.school.id,
        profile_id: lily.id,
        carer_id: t.fx.carers.mark,
        language: 'English',
        words: 'Words from Mark about Lily',
        version_from: lily.version,
        version_to: null,
        translation: 'Words from Mark about Lily',
        translation_source: 'person',
        translation_status: 'checked',
        written_by: null,
        checked_by: null,
        updated_at: at,
        created_at: at,
      })
      .execute();
    const sarah = await t.as('carer', t.fx.carers.sarah);
    const hers = await sarah.get(`/children/${t.fx.pupils.lily}/profile`);
    expect(hers.statusCode).toBe(200);
    expect(hers.body).not.toContain('Words from Mark about Lily');
    expect(hers.body).not.toContain('Mark Dean');
  });

  it('a past version opens on its own page; the child’s page leads to the profile for the carer and for staff', async () => {
    const hughes = await t.as('staff', t.fx.staff.senco);
    const profile = await hughes.get(kuba());
    expect(profile.body).toContain(`href="${kuba()}/versions/1"`);
    const v1 = await hughes.get(`${kuba()}/versions/1`);
    expect(v1.statusCode).toBe(200);
    expect(v1.body).toContain('Version 1');
    expect(v1.body).toContain('None at this version.');
    const v2 = await hughes.get(`${kuba()}/versions/2`);
    expect(v2.body).toContain('Kuba lubi czytać o dinozaurach.');
    expect((await hughes.get(`${kuba()}/versions/99`)).statusCode).toBe(404);
    expect((await hughes.get(`/pupils/${t.fx.pupils.kuba}`)).body).toContain(`href="${kuba()}"`);
    const marta = await t.as('carer', t.fx.carers.marta);
    expect((await marta.get(`/children/${t.fx.pupils.kuba}`)).body).toContain(`href="/children/${t.fx.pupils.kuba}/profile"`);
  });
});
