import { addComment, addTheme, answerTheme, setEnglish } from '../../src/features/consultations/comments.ts';
import { createPolicy } from '../../src/features/consultations/policies.ts';
import { adoptPolicy, openConsultation } from '../../src/features/consultations/sending.ts';
import { newId } from '../../src/platform/ids.ts';
import type { TestApp } from '../support/app.ts';
import { EVERYONE, mine, perPerson, STAFF, type FeatureRows, type Row, type Who } from './types.ts';

/**
 * The policies register and consultations. Every member of staff (governors too) reads the register
 * and a consultation and may comment; the head, senior leaders and the office keep the register; the
 * head and senior leaders consult, theme, answer and adopt; the head, senior leaders, office and family
 * liaison officer write and check English versions of comments. A carer's own link (/consult/<token>)
 * works for whoever holds it, signed in or not: it names no record of the school.
 */
const KEEPERS: Who[] = ['head', 'senior_leader', 'office'];
const CONSULTERS: Who[] = ['head', 'senior_leader'];
const TRANSLATORS: Who[] = ['head', 'senior_leader', 'office', 'family_liaison'];
/** Who reads every comment (consulters and translators), and so may pass one to the DSL. */
const COMMENT_READERS: Who[] = ['head', 'senior_leader', 'office', 'family_liaison'];
const BODY = 'Why we have it.\n\n## Rewards\nPraise first.\n\n## Phones\nHanded in at the office.';

const consultation = (path: string, allowed: Who[]): Row => ({ allowed, url: (_f, ids) => `/consultations/${ids.consultation}${path}` });
const policy = (path: string, allowed: Who[]): Row => ({ allowed, url: (_f, ids) => `/policies/${ids.policy}${path}` });

export const consultationRows: FeatureRows = {
  rows: {
    'GET /policies': { allowed: STAFF, url: () => '/policies' },
    'GET /policies/new': { allowed: KEEPERS, url: () => '/policies/new' },
    'POST /policies': {
      allowed: KEEPERS,
      url: () => '/policies',
      form: (f, _ids, who) => ({
        title: `Charging policy (${who})`,
        owner: who === 'other_head' ? f.staff.otherHead : f.staff.head,
        statutory_yearly: 'yes',
        last_reviewed_on: '',
        next_review_on: '2027-09-30',
        body: BODY,
      }),
    },
    'GET /policies/:policyId': policy('', STAFF),
    'GET /policies/:policyId/edit': policy('/edit', KEEPERS),
    'POST /policies/:policyId': {
      ...policy('', KEEPERS),
      form: (f, _ids, who) => ({ title: `Behaviour policy (${who})`, owner: f.staff.senior_leader, last_reviewed_on: '2025-12-01', next_review_on: '2026-12-01', body: BODY }),
    },
    'POST /policies/:policyId/document': {
      ...policy('/document', KEEPERS),
      form: () => ({}),
      file: { field: 'file', name: 'behaviour-policy.txt', content: 'Why we have it. Praise first.' },
    },
    'GET /policies/:policyId/document': policy('/document', STAFF),
    'POST /policies/:policyId/reviewed': { ...policy('/reviewed', KEEPERS), form: () => ({}) },
    'GET /policies/:policyId/consult': policy('/consult', CONSULTERS),
    'POST /policies/:policyId/consult': { ...policy('/consult', CONSULTERS), form: () => ({ audience_kind: 'school', closes_on: '2099-01-31' }) },
    'GET /consultations/:consultationId': consultation('', STAFF),
    'POST /consultations/:consultationId/comments': { ...consultation('/comments', STAFF), form: (_f, ids, who) => ({ section: ids.section!, comment: `A view from ${who}` }) },
    'POST /consultations/:consultationId/themes': { ...consultation('/themes', CONSULTERS), form: (_f, _ids, who) => ({ title: `Phones (${who})` }) },
    'POST /consultations/:consultationId/comments/:commentId/theme': {
      allowed: CONSULTERS,
      url: (_f, ids, who) => `/consultations/${ids.consultation}/comments/${mine(ids, 'themeless', who)}/theme`,
      form: (_f, ids) => ({ theme: ids.theme! }),
    },
    'POST /consultations/:consultationId/themes/:themeId': {
      allowed: CONSULTERS,
      url: (_f, ids) => `/consultations/${ids.consultation}/themes/${ids.theme}`,
      form: (_f, _ids, who) => ({ answer: `We did it (${who})` }),
    },
    'POST /consultations/:consultationId/comments/:commentId/english': {
      allowed: TRANSLATORS,
      url: (_f, ids) => `/consultations/${ids.consultation}/comments/${ids.comment}/english`,
      form: (_f, _ids, who) => ({ english: `In English (${who})` }),
    },
    // "Pass this to the DSL" beside a comment: whoever reads every comment (features/safeguarding).
    'GET /tell-the-dsl/consultation-comments/:commentId': { allowed: COMMENT_READERS, url: (_f, ids) => `/tell-the-dsl/consultation-comments/${ids.comment}` },
    'POST /tell-the-dsl/consultation-comments/:commentId': {
      allowed: COMMENT_READERS,
      url: (_f, ids) => `/tell-the-dsl/consultation-comments/${ids.comment}`,
      form: (_f, _ids, who) => ({ form_id: newId(), pupil: 'someone-else', what: `Marta wrote about home (${who})`, happened_on: '20/11/2026' }),
    },
    // Each checks an English version a colleague wrote (nobody checks their own).
    'POST /consultations/:consultationId/comments/:commentId/check': {
      allowed: TRANSLATORS,
      url: (_f, ids, who) => `/consultations/${ids.consultation}/comments/${mine(ids, 'toCheck', who)}/check`,
      form: () => ({}),
    },
    // A consultation is adopted once: each has their own, its theme answered.
    'POST /consultations/:consultationId/adopt': {
      allowed: CONSULTERS,
      url: (_f, ids, who) => `/consultations/${mine(ids, 'adoptable', who)}/adopt`,
      form: () => ({ summary: 'Phones stay in bags, switched off.' }),
    },
    'GET /consultations/:consultationId/you-said-we-did': consultation('/you-said-we-did', STAFF),
    'GET /consult/:token': { allowed: EVERYONE, url: (_f, ids) => `/consult/${ids.token}` },
    'POST /consult/:token': { allowed: EVERYONE, url: (_f, ids) => `/consult/${ids.token}`, form: (_f, ids, who) => ({ section: ids.section!, comment: `Marta’s link, used by ${who}` }) },
    'GET /consult/:token/document': { allowed: EVERYONE, url: (_f, ids) => `/consult/${ids.token}/document` },
    // Whoever holds Marta's link may change or withdraw her comments (the link is the key): each tries a comment of their own.
    'POST /consult/:token/change': {
      allowed: EVERYONE,
      url: (_f, ids) => `/consult/${ids.token}/change`,
      form: (_f, ids, who) => ({ comment_id: mine(ids, 'toChange', who), comment: `Zmienione przez ${who}` }),
    },
    'POST /consult/:token/withdraw': {
      allowed: EVERYONE,
      url: (_f, ids) => `/consult/${ids.token}/withdraw`,
      form: (_f, ids, who) => ({ comment_id: mine(ids, 'toWithdraw', who) }),
    },
    'GET /consult/:token/you-said-we-did': { allowed: EVERYONE, url: (_f, ids) => `/consult/${ids.adoptedToken}/you-said-we-did` },
    'GET /my-consultations': { allowed: ['carer'], url: () => '/my-consultations' },
  },
  async setup(t: TestApp) {
    const fx = t.fx;
    const by = { staffId: fx.staff.head, schoolId: fx.school.id };
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    const ctx = { baseUrl: 'http://gatepost.test', schoolName: 'Brookfield', today, now };
    const made = await createPolicy(t.db, by, { title: 'Behaviour policy', owner: fx.staff.senior_leader, statutory_yearly: 1, last_reviewed_on: null, next_review_on: '2026-12-01', body: BODY }, now);
    if (!made.ok) throw new Error(made.message);
    await t.db
      .updateTable('policies')
      .set({ document_name: 'behaviour.pdf', document_type: 'application/pdf', document_base64: Buffer.from('%PDF-1.4\n%%EOF').toString('base64') })
      .where('id', '=', made.id)
      .execute();
    const policyRow = await t.db.selectFrom('policies').selectAll().where('id', '=', made.id).executeTakeFirstOrThrow();
    const open = async () => {
      const opened = await openConsultation(t.db, by, policyRow, { audience: { kind: 'school' }, closesOn: '2099-01-31', translateComments: 1, intro: null }, ctx);
      if (!opened.ok) throw new Error(opened.message);
      return t.db.selectFrom('consultations').selectAll().where('id', '=', opened.id).executeTakeFirstOrThrow();
    };
    const main = await open();
    const section = await t.db.selectFrom('consultation_sections').select('id').where('consultation_id', '=', main.id).where('heading', '=', 'Phones').executeTakeFirstOrThrow();
    const token = await t.db.selectFrom('consultation_invitees').select('token').where('consultation_id', '=', main.id).where('carer_id', '=', fx.carers.marta).executeTakeFirstOrThrow();
    const marta = { kind: 'carer' as const, carerId: fx.carers.marta, language: 'Polish' };
    const comment = async (words: string) => {
      const done = await addComment(t.db, marta, main, section.id, words, now);
      if (!done.ok) throw new Error(done.message);
      return done.id;
    };
    const first = await comment('Telefon jest potrzebny po szkole.');
    const theme = await addTheme(t.db, by, main, 'Phones after school', now);
    if (!theme.ok) throw new Error(theme.message);
    const themeless = await perPerson('themeless', CONSULTERS, (who) => comment(`Do tematu (${who})`));
    const toCheck = await perPerson('toCheck', TRANSLATORS, async (who) => {
      const id = await comment(`Do sprawdzenia (${who})`);
      await setEnglish(t.db, { staffId: who === 'head' ? fx.staff.senior_leader : fx.staff.head, schoolId: fx.school.id }, id, `To check (${who})`, now);
      return id;
    });
    const holders: Who[] = ['other_head', 'other_carer', ...EVERYONE];
    const toChange = await perPerson('toChange', holders, (who) => comment(`Do zmiany (${who})`));
    const toWithdraw = await perPerson('toWithdraw', holders, (who) => comment(`Do wycofania (${who})`));
    const adoptable = await perPerson('adoptable', CONSULTERS, async () => {
      const c = await open();
      const th = await addTheme(t.db, by, c, 'Phones', now);
      if (!th.ok) throw new Error(th.message);
      await answerTheme(t.db, by, c, th.id, 'Kept in bags', now);
      return c.id;
    });
    // One already adopted, for Marta's "You said, we did" link.
    const adopted = await open();
    const th = await addTheme(t.db, by, adopted, 'Phones', now);
    if (!th.ok) throw new Error(th.message);
    await answerTheme(t.db, by, adopted, th.id, 'Kept in bags', now);
    const done = await adoptPolicy(t.db, by, adopted, { summary: 'Phones in bags', revised: null }, ctx);
    if (!done.ok) throw new Error(done.message);
    const adoptedToken = await t.db.selectFrom('consultation_invitees').select('token').where('consultation_id', '=', adopted.id).where('carer_id', '=', fx.carers.marta).executeTakeFirstOrThrow();
    return {
      policy: made.id,
      consultation: main.id,
      section: section.id,
      token: token.token,
      comment: first,
      theme: theme.id,
      adoptedToken: adoptedToken.token,
      ...themeless,
      ...toChange,
      ...toWithdraw,
      ...toCheck,
      ...adoptable,
    };
  },
};
