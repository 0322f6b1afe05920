import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { sendProfileReviewReminders, supportPrompts } from './index.ts';
import { makeBookingEvening } from '../evenings/booking-test-data.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z'); // Thursday, autumn term

/**
 * Journey 10 in part: Mr Hughes starts Kuba's profile with a staff-only note; Marta proposes a change
 * in Polish with her own words; Mr Okafor (the class teacher) accepts it; Ms Lewis translates
 * Marta's words and Mr Hughes checks the translation; a review, what changed since, the reminder;
 * consent to share outside the school. Restricted carers, other classes and other schools see nothing.
 */
describe.each(dialects)('pupil profiles, written together, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const kuba = () => `/pupils/${t.fx.pupils.kuba}/profile`;
  const profile = () => t.db.selectFrom('profiles').selectAll().where('pupil_id', '=', t.fx.pupils.kuba).executeTakeFirstOrThrow();

  it('Mr Hughes starts Kuba’s profile and accepts his own first words, with a staff-only note', async () => {
    const hughes = await t.as('staff', t.fx.staff.senco);
    expect((await hughes.get(kuba())).body).toContain('Start a profile');
    const started = await hughes.post(kuba(), {});
    expect(started.statusCode).toBe(303);
    expect((await hughes.post(kuba(), {})).statusCode).toBe(303); // a double click starts one profile
    expect(await t.db.selectFrom('profiles').select('id').where('pupil_id', '=', t.fx.pupils.kuba).execute()).toHaveLength(1);
    const nothing = await hughes.post(`${kuba()}/propose`, { note: 'Nothing yet' });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.body).toContain('Change at least one heading before proposing');
    expect(nothing.body).toContain('Nothing yet');
    const proposed = await hughes.post(`${kuba()}/propose`, {
      admire: 'Kind to younger children\nA brilliant reader',
      important: 'His sister Ola\nFootball at break',
      support: 'Give him a minute to think before answering\nShow new words with pictures',
      pupil_voice: 'I like reading about dinosaurs.',
      support_staff: 'Speech and language referral made in October',
      note: '',
    });
    expect(proposed.statusCode).toBe(303);
    const proposalUrl = proposed.headers.location!;
    expect(proposalUrl).toMatch(/\/proposals\//);
    const page = await hughes.get(proposalUrl);
    expect(page.body).toContain('<ins>A brilliant reader</ins>');
    expect(page.body).toMatch(/<h1 class="govuk-heading-l">Change proposed by <bdi>[^<]+<\/bdi><\/h1>/); // who proposed it, isolated
    const noChoice = await hughes.post(proposalUrl, { decision_note: 'Looks right' });
    expect(noChoice.statusCode).toBe(400);
    expect(noChoice.body).toContain('Choose whether to accept or reject the change');
    expect(noChoice.body).toContain('Looks right');
    expect((await hughes.post(proposalUrl, { decision: 'accept' })).statusCode).toBe(303);
    expect((await hughes.post(proposalUrl, { decision: 'accept' })).statusCode).toBe(409); // decided once
    expect((await profile()).version).toBe(2);
    const shown = await hughes.get(kuba());
    expect(shown.body).toContain('A brilliant reader');
    expect(shown.body).toContain('Speech and language referral made in October');
  });

  it('Marta reads it in Polish without the staff-only note, and proposes a change with her own words', async () => {
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const page = await marta.get(`/children/${t.fx.pupils.kuba}/profile`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Jak najlepiej mnie wspierać');
    expect(page.body).toMatch(/<h1 class="govuk-heading-l">[^<]*<bdi>Jakub<\/bdi>[^<]*<\/h1>/); // the child's name isolated in the Polish heading
    expect(page.body).toContain('Give him a minute to think before answering');
    expect(page.body).not.toContain('Speech and language referral');
    const same = await marta.post(`/children/${t.fx.pupils.kuba}/profile/propose`, {
      admire: 'Kind to younger children\nA brilliant reader',
      important: 'His sister Ola\nFootball at break',
      support: 'Give him a minute to think before answering\nShow new words with pictures',
      pupil_voice: 'I like reading about dinosaurs.',
      words: '',
      note: 'Wszystko dobrze',
    });
    expect(same.statusCode).toBe(400);
    expect(same.body).toContain('Prosimy zmienić przynajmniej jedną część przed wysłaniem');
    expect(same.body).toContain('Wszystko dobrze');
    const sent = await marta.post(`/children/${t.fx.pupils.kuba}/profile/propose`, {
      admire: 'Kind to younger children\nA brilliant reader',
      important: 'His sister Ola\nFootball at break',
      support: 'Give him a minute to think before answering\nShow new words with pictures\nTell him the day’s plan in the morning',
      pupil_voice: 'I like reading about dinosaurs.',
      words: 'Kuba jest bardzo wrażliwy. W domu mówimy po polsku.',
      note: '',
    });
    expect(sent.statusCode).toBe(303);
    expect((await marta.get(`/children/${t.fx.pupils.kuba}/profile`)).body).toContain('Państwa propozycja zmiany czeka');
    // The SENCO and the class teacher are told, through the outbox.
    const mail = await t.db.selectFrom('outbox').select('idempotency_key').where('idempotency_key', 'like', 'email:profile-proposal:%').execute();
    expect(mail.map((m) => m.idempotency_key.split(':').pop()).sort()).toEqual([t.fx.staff.senco, t.fx.staff.teacher].sort());
    // Nothing changed yet.
    expect((await profile()).version).toBe(2);
  });

  it('Mr Okafor, the class teacher, accepts it; Ms Hall (another class) cannot; the words wait for their English', async () => {
    const pending = await t.db.selectFrom('profile_proposals').selectAll().where('status', '=', 'pending').executeTakeFirstOrThrow();
    const url = `${kuba()}/proposals/${pending.id}`;
    const hall = await t.as('staff', t.fx.staff.teacher2);
    expect((await hall.get(url)).statusCode).toBe(404);
    expect((await hall.post(url, { decision: 'accept' })).statusCode).toBe(404);
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const page = await okafor.get(url);
    expect(page.body).toContain('<ins>Tell him the day’s plan in the morning</ins>');
    expect(page.body).toContain('Kuba jest bardzo wrażliwy.');
    expect((await okafor.post(url, { decision: 'accept', decision_note: 'Thank you, Ms Nowak' })).statusCode).toBe(303);
    expect((await profile()).version).toBe(3);
    const words = await t.db.selectFrom('profile_words').selectAll().executeTakeFirstOrThrow();
    expect(words).toMatchObject({ language: 'Polish', translation_status: 'requested', version_from: 3, version_to: null, carer_id: t.fx.carers.marta });
    // The staff-only note survived a carer's change.
    const v3 = await t.db.selectFrom('profile_versions').selectAll().where('version', '=', 3).executeTakeFirstOrThrow();
    expect(v3.support_staff).toBe('Speech and language referral made in October');
  });

  it('Ms Lewis translates Marta’s words; she cannot check her own; Mr Hughes checks and the English is shown', async () => {
    const url = `${kuba()}/words/${t.fx.carers.marta}`;
    const lewis = await t.as('staff', t.fx.staff.family_liaison);
    const empty = await lewis.post(url, { body: '' });
    expect(empty.statusCode).toBe(400);
    expect((await lewis.post(url, { body: 'Kuba is very sensitive. At home we speak Polish.' })).statusCode).toBe(303);
    const hughes = await t.as('staff', t.fx.staff.senco);
    expect((await hughes.get(kuba())).body).not.toContain('Kuba is very sensitive.');
    const own = await lewis.post(`${url}/check`, {});
    expect(own.statusCode).toBe(400);
    expect(own.body).toContain('You wrote this translation, so someone else must check it');
    expect((await hughes.post(`${url}/check`, {})).statusCode).toBe(303);
    const page = await hughes.get(kuba());
    expect(page.body).toContain('Kuba jest bardzo wrażliwy.');
    expect(page.body).toContain('Kuba is very sensitive. At home we speak Polish.');
  });

  it('a review, what changed since (heading by heading), and a reminder when the next is due', async () => {
    const hughes = await t.as('staff', t.fx.staff.senco);
    const bad = await hughes.post(`${kuba()}/reviews`, { reviewed_on: '26/11/2026', next_kind: 'termly', next_due_on: '1/11/2026' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('The next review must be after this one');
    expect((await hughes.post(`${kuba()}/reviews`, { reviewed_on: '26/11/2026', next_kind: 'termly', next_due_on: '5/1/2027' })).statusCode).toBe(303);
    expect(await profile()).toMatchObject({ review_due_on: '2027-01-05', review_kind: 'termly' });
    // A change after the review shows on the changes page.
    const okafor = await t.as('staff', t.fx.staff.teacher);
    const current = await t.db.selectFrom('profile_versions').selectAll().where('version', '=', 3).executeTakeFirstOrThrow();
    const proposed = await okafor.post(`${kuba()}/propose`, { ...current, important: 'His sister Ola\nFootball at break\nHis grandmother’s visits', note: '' } as unknown as Record<string, string>);
    expect((await okafor.post(proposed.headers.location!, { decision: 'accept' })).statusCode).toBe(303);
    const changes = await okafor.get(`${kuba()}/changes`);
    expect(changes.body).toContain('Reviewed on');
    expect(changes.body).toContain('<ins>His grandmother’s visits</ins>');
    expect(changes.body).toContain('How best to support me <span class="govuk-body-s">(no change)</span>');
    // Not due yet: no reminder; on the day, one each for the SENCO and the class teacher, once.
    expect(await sendProfileReviewReminders(t.db, NOW, 'http://gatepost.test')).toBe(0);
    const due = new Date('2027-01-05T08:00:00.000Z');
    expect(await sendProfileReviewReminders(t.db, due, 'http://gatepost.test')).toBe(2);
    await sendProfileReviewReminders(t.db, due, 'http://gatepost.test');
    expect(await t.db.selectFrom('outbox').select('id').where('idempotency_key', 'like', 'email:profile-review:%').execute()).toHaveLength(2);
  });

  it('outside the school only with a carer’s recorded consent, and never the staff-only notes', async () => {
    const hughes = await t.as('staff', t.fx.staff.senco);
    expect((await hughes.get(`${kuba()}/outside`)).body).toMatch(/No carer has given consent to share <bdi>[^<]+<\/bdi>’s profile/);
    const mark = await hughes.post(`${kuba()}/consents`, { carer: t.fx.carers.mark, given_on: '26/11/2026', shared_with: 'Brookfield Academy', purpose: 'Transition' });
    expect(mark.statusCode).toBe(400);
    expect(mark.body).toContain('Choose one of the child’s carers who may see the profile');
    expect(mark.body).toContain('Brookfield Academy');
    expect((await hughes.post(`${kuba()}/consents`, { carer: t.fx.carers.marta, given_on: '26/11/2026', shared_with: 'Speech and language therapy service', purpose: 'Referral' })).statusCode).toBe(
      303,
    );
    const copy = await hughes.get(`${kuba()}/outside`);
    expect(copy.body).toContain('Shared with the consent of <bdi>Marta Nowak</bdi>');
    expect(copy.body).toContain('Give him a minute to think before answering');
    expect(copy.body).not.toContain('Speech and language referral made in October');
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', 'like', 'profile.%').execute();
    expect(audit.map((a) => a.action)).toContain('profile.consent_recorded');
  });

  it('before parents’ evening, Marta’s booking page links to how best to support Kuba, in Polish', async () => {
    const evening = await makeBookingEvening(t.db, t.fx);
    const marta = await t.as('carer', t.fx.carers.marta, undefined, { ownLanguage: true });
    const page = await marta.get(`/parents-evenings/${evening.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="/children/${t.fx.pupils.kuba}/profile#support"`);
    expect(page.body).toContain('Przed spotkaniem prosimy przeczytać, jak najlepiej wspierać');
    // Ola has no profile: no prompt for her.
    expect(page.body).not.toContain(`/children/${t.fx.pupils.ola}/profile`);
    // Once the evening has been, "before the evening" is not asked any more.
    await t.db.updateTable('evening_sessions').set({ date: '2026-01-15' }).where('evening_id', '=', evening.id).execute();
    const after = await marta.get(`/parents-evenings/${evening.id}`);
    expect(after.statusCode).toBe(200);
    expect(after.body).not.toContain(`href="/children/${t.fx.pupils.kuba}/profile#support"`);
  });

  it('a restricted carer never sees a profile; the other school and staff without the role see nothing', async () => {
    const hughes = await t.as('staff', t.fx.staff.senco);
    await hughes.post(`/pupils/${t.fx.pupils.lily}/profile`, {});
    const lily = await t.db.selectFrom('profiles').selectAll().where('pupil_id', '=', t.fx.pupils.lily).executeTakeFirstOrThrow();
    await t.db.updateTable('profile_versions').set({ support: 'Quiet space after lunch' }).where('profile_id', '=', lily.id).execute();
    const mark = await t.as('carer', t.fx.carers.mark);
    expect((await mark.get(`/children/${t.fx.pupils.lily}/profile`)).statusCode).toBe(404);
    expect((await mark.post(`/children/${t.fx.pupils.lily}/profile/propose`, { support: 'x' })).statusCode).toBe(404);
    expect(await supportPrompts(t.db, { schoolId: t.fx.school.id, carerId: t.fx.carers.mark, pupilIds: [t.fx.pupils.lily], today: '2026-11-26' })).toEqual([]);
    expect(await supportPrompts(t.db, { schoolId: t.fx.school.id, carerId: t.fx.carers.sarah, pupilIds: [t.fx.pupils.lily], today: '2026-11-26' })).toEqual([
      { pupilId: t.fx.pupils.lily, href: `/children/${t.fx.pupils.lily}/profile#support` },
    ]);
    // Marta is not linked to Lily.
    const marta = await t.as('carer', t.fx.carers.marta);
    expect((await marta.get(`/children/${t.fx.pupils.lily}/profile`)).statusCode).toBe(404);
    const other = await t.as('staff', t.fx.staff.otherHead, t.fx.other.id);
    expect((await other.get(kuba())).statusCode).toBe(404);
    const otherCarer = await t.as('carer', t.fx.carers.otherCarer, t.fx.other.id);
    expect((await otherCarer.get(`/children/${t.fx.pupils.kuba}/profile`)).statusCode).toBe(404);
    const office = await t.as('staff', t.fx.staff.office);
    expect((await office.get(kuba())).statusCode).toBe(404);
    // The list shows each teacher their own class's profiles only.
    const hall = await t.as('staff', t.fx.staff.teacher2);
    expect((await hall.get('/profiles')).body).not.toContain('Jakub Nowak');
    expect((await hall.get('/profiles')).body).toContain('Leo Mensah'); // EHC plan, no profile yet
    expect((await (await t.as('staff', t.fx.staff.teacher)).get('/profiles')).body).toContain('Jakub Nowak');
    // The SENCO sees pupils with special educational needs first, as the page says, then by name: Leo (EHC plan)
    // before Kuba (a profile, no SEN) even when Leo's family name comes later in the alphabet.
    await t.db.updateTable('pupils').set({ family_name: 'Zielinski' }).where('id', '=', t.fx.pupils.leo).execute();
    const all = (await (await t.as('staff', t.fx.staff.senco)).get('/profiles')).body;
    expect(all.indexOf('Leo Zielinski')).toBeGreaterThan(-1);
    expect(all.indexOf('Leo Zielinski')).toBeLessThan(all.indexOf('Jakub Nowak'));
  });
});
