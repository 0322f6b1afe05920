import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z'); // Thursday, autumn term

export const BEHAVIOUR = [
  'We want every child to feel safe and to learn.',
  '',
  '## Rewards',
  'House points, praise postcards and a weekly celebration assembly.',
  '',
  '## Phones',
  'Pupils hand phones in at the office at the start of the day.',
  '',
  '## Sanctions',
  'A quiet word first, then time out, then a call home.',
].join('\n');

/** Journey: the behaviour policy in the register, put out for consultation, commented on, themed, answered and adopted. */
describe.each(dialects)('the policies register and a consultation, end to end, on %s', (dialect) => {
  let t: TestApp;
  let policyId: string;
  let consultationId: string;
  const tokens = new Map<string, string>();
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  const outboxTo = async (to: string) =>
    (await t.db.selectFrom('outbox').select(['payload_json', 'recipient']).where('recipient', '=', to).execute()).map((r) => JSON.parse(r.payload_json) as { subject?: string; text: string });
  const sectionId = async (heading: string) =>
    (await t.db.selectFrom('consultation_sections').select('id').where('consultation_id', '=', consultationId).where('heading', '=', heading).executeTakeFirstOrThrow()).id;

  it('the head adds the behaviour policy to the register; a bad date is explained beside the field and nothing typed is lost', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const bad = await head.post('/policies', {
      title: 'Behaviour policy',
      owner: t.fx.staff.senior_leader,
      statutory_yearly: 'yes',
      last_reviewed_on: '',
      next_review_on: '31/13/2026',
      body: BEHAVIOUR,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is no'); // the shared date reader's words: 31/12/2026, 31 Dec 2026 and 2026-12-31 are all dates (issue 13, point 5)
    expect(bad.body).toContain('href="#next_review_on"');
    expect(bad.body).toContain('A quiet word first');
    const made = await head.post('/policies', {
      title: 'Behaviour policy',
      owner: t.fx.staff.senior_leader,
      statutory_yearly: 'yes',
      last_reviewed_on: '2025-12-01',
      next_review_on: '2026-12-01',
      body: BEHAVIOUR,
    });
    expect(made.statusCode).toBe(303);
    policyId = /policies\/([^?]+)/.exec(made.headers.location!)![1]!;
    const register = await head.get('/policies');
    expect(register.body).toContain('Behaviour policy');
    expect(register.body).toContain('Statutory, yearly');
    expect(await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', policyId).execute()).toEqual([{ action: 'policy.created' }]);
  });

  it('reminds the owner on their home page, statutory yearly reviews first', async () => {
    await t.db
      .insertInto('policies')
      .values({
        id: newId(),
        school_id: t.fx.school.id,
        title: 'Uniform policy',
        owner_id: t.fx.staff.senior_leader,
        statutory_yearly: 0,
        last_reviewed_on: null,
        next_review_on: '2026-11-30',
        body: 'Blue jumpers.',
        created_at: NOW.toISOString(),
        updated_at: NOW.toISOString(),
      })
      .execute();
    const owner = await t.as('staff', t.fx.staff.senior_leader);
    const home = (await owner.get('/')).body;
    expect(home).toContain('Policies for you to review');
    expect(home.indexOf('Behaviour policy')).toBeLessThan(home.indexOf('Uniform policy'));
    // Someone else's reviews are not on the head's page.
    expect((await (await t.as('staff', t.fx.staff.head)).get('/')).body).not.toContain('Policies for you to review');
  });

  it('the head puts it out to the whole school: each carer who may hear gets their own link; the restricted father is never asked', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const form = await head.get(`/policies/${policyId}/consult`);
    expect(form.body).toContain('The text has 4 sections: Introduction, Rewards, Phones, Sanctions.');
    const past = await head.post(`/policies/${policyId}/consult`, { audience_kind: 'school', closes_on: '2026-11-20', translate_comments: 'yes', intro: 'We would like to hear from you' });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('The closing date must be after today');
    expect(past.body).toContain('We would like to hear from you');
    const opened = await head.post(`/policies/${policyId}/consult`, { audience_kind: 'school', closes_on: '2026-12-18', translate_comments: 'yes', intro: 'We would like to hear from you' });
    expect(opened.statusCode).toBe(303);
    consultationId = /consultations\/([^?]+)/.exec(opened.headers.location!)![1]!;
    const invitees = await t.db.selectFrom('consultation_invitees').select(['carer_id', 'token']).where('consultation_id', '=', consultationId).execute();
    for (const i of invitees) tokens.set(i.carer_id, i.token);
    expect(tokens.has(t.fx.carers.marta)).toBe(true);
    expect(tokens.has(t.fx.carers.tomasz)).toBe(true); // lives apart, asked for copies
    expect(tokens.has(t.fx.carers.mark)).toBe(false); // a court order stops information about Lily
    expect(await outboxTo('mark@families.test')).toEqual([]);
    // Marta reads Polish: the invitation is in Polish (the date too), with the English and the school's own introduction beneath.
    const [mail] = await outboxTo('marta@families.test');
    expect(mail!.subject).toBe('Brookfield Primary School: prosimy o Państwa zdanie – Behaviour policy');
    expect(mail!.text).toContain('Przeglądamy nasz dokument „Behaviour policy” i prosimy o Państwa opinię o każdej jego części, w Państwa własnym języku, do 18 grudnia 2026.');
    expect(mail!.text).toContain(`Prosimy przeczytać i skomentować: http://gatepost.test/consult/${tokens.get(t.fx.carers.marta)}`);
    expect(mail!.text.indexOf('We are reviewing our Behaviour policy')).toBeGreaterThan(mail!.text.indexOf('Przeglądamy'));
    expect(mail!.text).toContain('We would like to hear from you');
    // Tomasz reads English: English alone.
    const [toTomasz] = await outboxTo('tomasz@families.test');
    expect(toTomasz!.subject).toBe('Brookfield Primary School: have your say on our Behaviour policy');
    expect(toTomasz!.text).toContain('We are reviewing our Behaviour policy and would like your views on each part of it, in your own language, by 18 December 2026.');
    expect(toTomasz!.text).not.toContain('Przeglądamy');
  });

  it('Marta comments on the phones section from her link, in Polish; an empty comment is explained and she sees only her own comments', async () => {
    const link = `/consult/${tokens.get(t.fx.carers.marta)}`;
    const marta = t.anonymous();
    const page = await marta.get(link);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('you can write in Polish');
    const phones = await sectionId('Phones');
    const empty = await marta.post(link, { section: phones, comment: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter your comment');
    const sent = await marta.post(link, { section: phones, comment: 'Kuba potrzebuje telefonu po szkole, bo wraca sam.' });
    expect(sent.statusCode).toBe(303);
    const tomasz = t.anonymous();
    expect((await tomasz.post(`/consult/${tokens.get(t.fx.carers.tomasz)}`, { section: phones, comment: 'Phones should stay at home.' })).statusCode).toBe(303);
    const mine = (await marta.get(link)).body;
    expect(mine).toContain('Kuba potrzebuje telefonu');
    expect(mine).not.toContain('Phones should stay at home');
    const row = await t.db.selectFrom('consultation_comments').selectAll().where('carer_id', '=', t.fx.carers.marta).executeTakeFirstOrThrow();
    expect(row.language).toBe('Polish');
    // A section of another consultation, or none, is refused.
    expect((await marta.post(link, { section: newId(), comment: 'x' })).statusCode).toBe(400);
  });

  it('signed in, Marta finds it on her home page; a made-up link is not found', async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    expect((await marta.get('/')).body).toContain(`/consult/${tokens.get(t.fx.carers.marta)}`);
    expect((await marta.get('/my-consultations')).body).toContain('Our Behaviour policy');
    expect((await t.anonymous().get('/consult/not-a-real-token-at-all')).statusCode).toBe(404);
  });

  it('a carer restricted while it is open no longer finds it on their home page, and finds it again once the order is lifted', async () => {
    const tomasz = await t.as('carer', t.fx.carers.tomasz);
    const link = `/consult/${tokens.get(t.fx.carers.tomasz)}`;
    expect((await tomasz.get('/')).body).toContain(link);
    const ids = [newId(), newId()];
    await t.db
      .insertInto('restrictions')
      .values(
        [t.fx.pupils.kuba, t.fx.pupils.ola].map((pupilId, i) => ({
          id: ids[i]!,
          school_id: t.fx.school.id,
          pupil_id: pupilId,
          carer_id: t.fx.carers.tomasz,
          kind: 'court_order' as const,
          stops_information: 1 as const,
          stops_collection: 1 as const,
          stops_contact: 1 as const,
          details: 'Interim order',
          starts_on: '2026-11-26',
          ends_on: null,
          lifted_at: null,
          created_by: t.fx.staff.head,
          created_at: NOW.toISOString(),
        })),
      )
      .execute();
    const restricted = (await tomasz.get('/')).body;
    expect(restricted).not.toContain(link);
    expect(restricted).not.toContain('Our Behaviour policy');
    // Marta, not restricted, still finds hers.
    expect((await (await t.as('carer', t.fx.carers.marta)).get('/')).body).toContain(`/consult/${tokens.get(t.fx.carers.marta)}`);
    await t.db.updateTable('restrictions').set({ lifted_at: NOW.toISOString() }).where('id', 'in', ids).execute();
    expect((await tomasz.get('/')).body).toContain(link);
  });

  it('a teacher comments too but reads only their own comments; the office writes an English version and a second person checks it', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const phones = await sectionId('Phones');
    expect((await teacher.post(`/consultations/${consultationId}/comments`, { section: phones, comment: 'Collecting phones takes ten minutes each morning.' })).statusCode).toBe(303);
    const teacherPage = (await teacher.get(`/consultations/${consultationId}`)).body;
    expect(teacherPage).toContain('Collecting phones takes ten minutes');
    expect(teacherPage).not.toContain('Kuba potrzebuje');

    const comment = await t.db.selectFrom('consultation_comments').select('id').where('carer_id', '=', t.fx.carers.marta).executeTakeFirstOrThrow();
    const office = await t.as('staff', t.fx.staff.office);
    expect((await office.post(`/consultations/${consultationId}/comments/${comment.id}/english`, { english: 'Kuba needs his phone after school because he walks home alone.' })).statusCode).toBe(303);
    const own = await office.post(`/consultations/${consultationId}/comments/${comment.id}/check`, {});
    expect(own.statusCode).toBe(409);
    expect(own.body).toContain('A second person checks an English version');
    const liaison = await t.as('staff', t.fx.staff.family_liaison);
    expect((await liaison.post(`/consultations/${consultationId}/comments/${comment.id}/check`, {})).statusCode).toBe(303);
    // Leo's social worker is a carer record, not a parent: the comment says who they are to the child.
    await t.db
      .insertInto('consultation_comments')
      .values({
        id: newId(),
        school_id: t.fx.school.id,
        consultation_id: consultationId,
        section_id: phones,
        carer_id: t.fx.carers.socialWorker,
        staff_id: null,
        body: 'Leo’s placement needs a phone for contact.',
        language: 'English',
        english: null,
        english_by: null,
        english_checked_by: null,
        theme_id: null,
        created_at: NOW.toISOString(),
        edited_at: null,
        withdrawn_at: null,
      })
      .execute();
    const head = await t.as('staff', t.fx.staff.head);
    const headPage = (await head.get(`/consultations/${consultationId}`)).body;
    expect(headPage).toContain('<bdi>Helen Ward</bdi> (social worker), in English');
    expect(headPage).not.toContain('(parent or carer)');
    expect(headPage).toContain('Kuba potrzebuje telefonu');
    expect(headPage).toContain('walks home alone');
    expect(headPage).toContain('Checked');
    expect(headPage).toContain('<bdi>Marta Nowak</bdi> (mother), in Polish'); // who wrote it, the name isolated
  });

  it('the head groups comments into a theme, must answer it before adopting, then publishes "You said, we did" to the same audience', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.post(`/consultations/${consultationId}/themes`, { title: 'Children who walk home alone need their phones' })).statusCode).toBe(303);
    const theme = await t.db.selectFrom('consultation_themes').select('id').where('consultation_id', '=', consultationId).executeTakeFirstOrThrow();
    const comments = await t.db.selectFrom('consultation_comments').select('id').where('consultation_id', '=', consultationId).execute();
    for (const c of comments) expect((await head.post(`/consultations/${consultationId}/comments/${c.id}/theme`, { theme: theme.id })).statusCode).toBe(303);
    const early = await head.post(`/consultations/${consultationId}/adopt`, { summary: 'Phones are handed in at the classroom door.' });
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('Answer every theme first');
    expect(early.body).toContain('Phones are handed in at the classroom door.');
    expect(
      (await head.post(`/consultations/${consultationId}/themes/${theme.id}`, { answer: 'Pupils in Years 5 and 6 who walk home alone may keep a phone, switched off, in their bag.' })).statusCode,
    ).toBe(303);
    const adopted = await head.post(`/consultations/${consultationId}/adopt`, { summary: 'Phones are handed in at the classroom door, and older pupils who walk home may keep theirs.' });
    expect(adopted.statusCode).toBe(303);

    const policy = await t.db.selectFrom('policies').selectAll().where('id', '=', policyId).executeTakeFirstOrThrow();
    expect(policy).toMatchObject({ last_reviewed_on: '2026-11-26', next_review_on: '2027-11-26' });
    const toMarta = await outboxTo('marta@families.test');
    const saidDid = toMarta.find((m) => m.subject?.includes('Państwo powiedzieli, my zrobiliśmy'))!;
    expect(saidDid.subject).toBe('Brookfield Primary School: Państwo powiedzieli, my zrobiliśmy – Behaviour policy');
    expect(saidDid.text).toContain(`Co Państwo powiedzieli i co zrobiliśmy: http://gatepost.test/consult/${tokens.get(t.fx.carers.marta)}/you-said-we-did`);
    // The school's summary, in its own words, with the English beneath.
    expect(saidDid.text).toContain('Phones are handed in at the classroom door, and older pupils who walk home may keep theirs.');
    const toTomasz = (await outboxTo('tomasz@families.test')).find((m) => m.subject?.includes('you said, we did'))!;
    expect(toTomasz.subject).toBe('Brookfield Primary School: you said, we did – Behaviour policy');
    expect(await outboxTo('mark@families.test')).toEqual([]);
    const page = await t.anonymous().get(`/consult/${tokens.get(t.fx.carers.marta)}/you-said-we-did`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Children who walk home alone need their phones');
    expect(page.body).toContain('may keep a phone, switched off');
    expect(page.body).not.toContain('Kuba potrzebuje'); // nobody's own words are published
    // The school's page after adoption: two sentences, and the comments no longer offered for theming.
    const after = (await head.get(`/consultations/${consultationId}`)).body;
    expect(after).toMatch(/you-said-we-did">You said, we did<\/a>\.\s+\d+ carers? (was|were) asked; \d+ comments?\./);
    expect(after).not.toContain('so far');
    expect(after).not.toContain('Put under this theme');
    const again = await head.post(`/consultations/${consultationId}/adopt`, { summary: 'Twice' });
    expect(again.statusCode).toBe(409);
  });

  it('a carer restricted since finds their link no longer works', async () => {
    await t.db
      .insertInto('restrictions')
      .values(
        [t.fx.pupils.kuba, t.fx.pupils.ola].map((pupilId) => ({
          id: newId(),
          school_id: t.fx.school.id,
          pupil_id: pupilId,
          carer_id: t.fx.carers.tomasz,
          kind: 'court_order' as const,
          stops_information: 1 as const,
          stops_collection: 1 as const,
          stops_contact: 1 as const,
          details: 'Order made today',
          starts_on: '2026-11-26',
          ends_on: null,
          lifted_at: null,
          created_by: t.fx.staff.head,
          created_at: NOW.toISOString(),
        })),
      )
      .execute();
    expect((await t.anonymous().get(`/consult/${tokens.get(t.fx.carers.tomasz)}/you-said-we-did`)).statusCode).toBe(404);
    expect((await t.anonymous().get(`/consult/${tokens.get(t.fx.carers.tomasz)}`)).statusCode).toBe(404);
  });

  it('another school’s head cannot open the policy or the consultation', async () => {
    const other = await t.as('staff', t.fx.staff.otherHead, t.fx.other.id);
    expect((await other.get(`/policies/${policyId}`)).statusCode).toBe(404);
    expect((await other.get(`/consultations/${consultationId}`)).statusCode).toBe(404);
  });
});
