import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';

/**
 * Issue 15, consultations: the policy's document as a file (uploaded by the register's keepers,
 * downloaded by staff and by the consultation's audience from their own link), and a carer changing
 * or withdrawing their own comment until the consultation closes.
 */
const BEHAVIOUR = [
  'We want every child to feel safe and to learn.',
  '',
  '## Rewards',
  'House points and praise.',
  '',
  '## Phones',
  'Pupils hand phones in at the office at the start of the day.',
].join('\n');

describe.each(dialects)('a policy’s document, and a carer changing or withdrawing a comment, on %s', (dialect) => {
  let t: TestApp;
  let now = new Date('2026-11-26T10:00:00.000Z');
  let policyId: string;
  let consultationId: string;
  const tokens = new Map<string, string>();
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => now });
    const head = await t.as('staff', t.fx.staff.head);
    const made = await head.post('/policies', { title: 'Behaviour policy', owner: t.fx.staff.head, statutory_yearly: 'yes', last_reviewed_on: '', next_review_on: '2026-12-01', body: BEHAVIOUR });
    policyId = /policies\/([^?]+)/.exec(made.headers.location!)![1]!;
    const opened = await head.post(`/policies/${policyId}/consult`, { audience_kind: 'school', closes_on: '2026-12-18', translate_comments: 'yes' });
    consultationId = /consultations\/([^?]+)/.exec(opened.headers.location!)![1]!;
    for (const i of await t.db.selectFrom('consultation_invitees').select(['carer_id', 'token']).where('consultation_id', '=', consultationId).execute()) tokens.set(i.carer_id, i.token);
  });
  afterAll(async () => t?.close());

  const PDF = '%PDF-1.4\nBehaviour policy, as adopted by the governors.\n%%EOF';
  const phones = async () => (await t.db.selectFrom('consultation_sections').select('id').where('consultation_id', '=', consultationId).where('heading', '=', 'Phones').executeTakeFirstOrThrow()).id;
  const audits = async (entityId: string) =>
    (await t.db.selectFrom('audit_log').select(['action', 'before_json', 'after_json']).where('entity_id', '=', entityId).orderBy('at').execute()).map((a) => a);

  it('the office attaches the document; a wrong kind, a fake PDF or a file too big is explained beside the field and nothing is saved', async () => {
    const office = await t.as('staff', t.fx.staff.office);
    const url = `/policies/${policyId}/document`;
    const wrong = await office.upload(url, {}, { field: 'file', name: 'policy.exe', content: 'MZ' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('The file must be a PDF, Word (.docx), OpenDocument (.odt) or text (.txt) file');
    expect(wrong.body).toContain('href="#file"');
    expect(wrong.body).toContain('id="file-error"');
    const fake = await office.upload(url, {}, { field: 'file', name: 'policy.pdf', content: 'not really a PDF' });
    expect(fake.statusCode).toBe(400);
    expect(fake.body).toContain('The file is not a real .pdf file');
    const big = await office.upload(url, {}, { field: 'file', name: 'policy.txt', content: 'x'.repeat(4_000_001) });
    expect(big.statusCode).toBe(400);
    expect(big.body).toContain('The file must be 4 MB or smaller');
    const none = await office.upload(url, {}, { field: 'file', name: '', content: '' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Choose the policy’s document');
    expect((await t.db.selectFrom('policies').select('document_name').where('id', '=', policyId).executeTakeFirstOrThrow()).document_name).toBeNull();
    const saved = await office.upload(url, {}, { field: 'file', name: 'Behaviour policy 2026.pdf', content: PDF });
    expect(saved.statusCode).toBe(303);
    expect((await audits(policyId)).map((a) => a.action)).toContain('policy.document_attached');
    const page = await office.get(`/policies/${policyId}`);
    expect(page.body).toContain('Download Behaviour policy 2026.pdf');
  });

  it('a teacher reads it; the audience downloads it from their own link; a made-up link finds nothing', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const staffCopy = await teacher.get(`/policies/${policyId}/document`);
    expect(staffCopy.statusCode).toBe(200);
    expect(staffCopy.headers['content-type']).toBe('application/pdf');
    expect(staffCopy.headers['content-disposition']).toBe('attachment; filename="Behaviour policy 2026.pdf"');
    expect(staffCopy.body).toBe(PDF);
    expect((await teacher.upload(`/policies/${policyId}/document`, {}, { field: 'file', name: 'mine.txt', content: 'no' })).statusCode).toBe(404);
    const link = `/consult/${tokens.get(t.fx.carers.marta)}`;
    const marta = t.anonymous();
    expect((await marta.get(link)).body).toContain(`${link}/document`);
    const copy = await marta.get(`${link}/document`);
    expect(copy.statusCode).toBe(200);
    expect(copy.body).toBe(PDF);
    expect(copy.headers['x-content-type-options']).toBe('nosniff');
    expect((await marta.get('/consult/not-a-real-token-at-all/document')).statusCode).toBe(404);
    // The restricted father was never asked: no link, so no document.
    expect([...tokens.keys()]).not.toContain(t.fx.carers.mark);
  });

  it('Marta changes her comment (audited, without its words), an English version written for them is cleared, and an empty change keeps what she typed', async () => {
    const link = `/consult/${tokens.get(t.fx.carers.marta)}`;
    const marta = t.anonymous();
    expect((await marta.post(link, { section: await phones(), comment: 'Telefon jest potrzebny.' })).statusCode).toBe(303);
    const comment = await t.db.selectFrom('consultation_comments').select('id').where('carer_id', '=', t.fx.carers.marta).where('consultation_id', '=', consultationId).executeTakeFirstOrThrow();
    const office = await t.as('staff', t.fx.staff.office);
    expect((await office.post(`/consultations/${consultationId}/comments/${comment.id}/english`, { english: 'A phone is needed.' })).statusCode).toBe(303);
    const empty = await marta.post(`${link}/change`, { comment_id: comment.id, comment: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter your comment');
    expect(empty.body).toContain('id="comment-error"');
    const changed = await marta.post(`${link}/change`, { comment_id: comment.id, comment: 'Telefon jest potrzebny po szkole, bo Kuba wraca sam.' });
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toContain('done=edited');
    const row = await t.db.selectFrom('consultation_comments').selectAll().where('id', '=', comment.id).executeTakeFirstOrThrow();
    expect(row.body).toBe('Telefon jest potrzebny po szkole, bo Kuba wraca sam.');
    expect(row.edited_at).not.toBeNull();
    expect(row.english).toBeNull();
    const edited = (await audits(comment.id)).find((a) => a.action === 'consultation.comment_edited')!;
    expect(JSON.parse(edited.before_json!)).toEqual({ characters: 'Telefon jest potrzebny.'.length, english_cleared: true });
    expect(edited.after_json).not.toContain('Kuba');
    const page = (await marta.get(link)).body;
    expect(page).toContain('bo Kuba wraca sam');
    expect(page).toContain('(changed)');
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.get(`/consultations/${consultationId}`)).body).toContain('bo Kuba wraca sam');
  });

  it('Tomasz cannot change or withdraw Marta’s comment from his own link', async () => {
    const comment = await t.db.selectFrom('consultation_comments').select(['id', 'body']).where('carer_id', '=', t.fx.carers.marta).executeTakeFirstOrThrow();
    const tomasz = t.anonymous();
    const link = `/consult/${tokens.get(t.fx.carers.tomasz)}`;
    expect((await tomasz.post(`${link}/change`, { comment_id: comment.id, comment: 'Changed by someone else' })).statusCode).toBe(404);
    expect((await tomasz.post(`${link}/withdraw`, { comment_id: comment.id })).statusCode).toBe(404);
    const after = await t.db.selectFrom('consultation_comments').select(['body', 'withdrawn_at']).where('id', '=', comment.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ body: comment.body, withdrawn_at: null });
  });

  it('Marta withdraws a comment: it leaves the staff page and the count, and the audit log records it', async () => {
    const link = `/consult/${tokens.get(t.fx.carers.marta)}`;
    const marta = t.anonymous();
    expect((await marta.post(link, { section: await phones(), comment: 'Drugi komentarz, do wycofania.' })).statusCode).toBe(303);
    const head = await t.as('staff', t.fx.staff.head);
    const before = (await head.get(`/consultations/${consultationId}`)).body;
    expect(before).toContain('Drugi komentarz');
    expect(before).toContain('2 comments so far');
    const second = await t.db.selectFrom('consultation_comments').select('id').where('body', '=', 'Drugi komentarz, do wycofania.').executeTakeFirstOrThrow();
    const gone = await marta.post(`${link}/withdraw`, { comment_id: second.id });
    expect(gone.statusCode).toBe(303);
    expect(gone.headers.location).toContain('done=withdrawn');
    const after = (await head.get(`/consultations/${consultationId}`)).body;
    expect(after).not.toContain('Drugi komentarz');
    expect(after).toContain('1 comment so far');
    expect((await marta.get(link)).body).not.toContain('Drugi komentarz');
    expect((await audits(second.id)).map((a) => a.action)).toEqual(['consultation.commented', 'consultation.comment_withdrawn']);
    // Withdrawn once is withdrawn: a second try finds nothing to withdraw.
    expect((await marta.post(`${link}/withdraw`, { comment_id: second.id })).statusCode).toBe(404);
    // A theme cannot be given to a withdrawn comment.
    const theme = await head.post(`/consultations/${consultationId}/themes`, { title: 'Phones' });
    expect(theme.statusCode).toBe(303);
  });

  it('once the closing day has passed, a comment can no longer be changed or withdrawn', async () => {
    const comment = await t.db.selectFrom('consultation_comments').select(['id', 'body']).where('carer_id', '=', t.fx.carers.marta).where('withdrawn_at', 'is', null).executeTakeFirstOrThrow();
    now = new Date('2026-12-19T10:00:00.000Z');
    const link = `/consult/${tokens.get(t.fx.carers.marta)}`;
    const marta = t.anonymous();
    const page = (await marta.get(link)).body;
    expect(page).not.toContain(`${link}/change`);
    const late = await marta.post(`${link}/change`, { comment_id: comment.id, comment: 'Too late' });
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('This consultation has closed: comments can no longer be changed.');
    expect((await marta.post(`${link}/withdraw`, { comment_id: comment.id })).statusCode).toBe(409);
    expect((await t.db.selectFrom('consultation_comments').select(['body', 'withdrawn_at']).where('id', '=', comment.id).executeTakeFirstOrThrow()).body).toBe(comment.body);
    // A new comment after the closing day is told the consultation has closed, its words kept, nothing saved.
    const section = await t.db.selectFrom('consultation_comments').select('section_id').where('id', '=', comment.id).executeTakeFirstOrThrow();
    const before = await t.db
      .selectFrom('consultation_comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const added = await marta.post(link, { section: section.section_id, comment: 'One more thought' });
    expect(added.statusCode).toBe(409);
    expect(added.body).toContain('This consultation has closed. Thank you for your views.');
    expect(added.body).not.toContain('Enter your comment');
    expect(
      await t.db
        .selectFrom('consultation_comments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual(before);
  });
});
