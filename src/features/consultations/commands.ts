import type { Kysely, Transaction } from 'kysely';
import type { ConsultationTable, Database, PolicyTable, Selectable } from './types.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { randomToken } from '../../platform/auth/tokens.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { dateIn } from '../../platform/i18n/dates.ts';
import { bilingualEmail } from '../../platform/i18n/email.ts';
import { ENGLISH, carerLanguage } from '../../platform/i18n/languages.ts';
import { textForSchool } from '../../platform/i18n/plugin.ts';
import { enqueue, type OutboxItem } from '../../platform/outbox/outbox.ts';
import { absoluteLink } from '../../platform/web/links.ts';
import { Audience, recipientsFor, type Recipient } from '../messages/index.ts';
import type { ConsultInput, PolicyInput } from './forms.ts';
import { aYearOn, splitSections } from './sections.ts';

type Db = Kysely<Database>;
type Policy = Omit<Selectable<PolicyTable>, 'document_base64'>;
type Consultation = Selectable<ConsultationTable>;
export type Done = { ok: true; id: string } | { ok: false; field: string; message: string };
export type SendContext = { baseUrl: string; schoolName: string; today: string; now: Date };
export type StaffActor = { staffId: string; schoolId: string; ip?: string | null };

const staffActor = (by: StaffActor): Actor => ({ kind: 'staff', id: by.staffId, schoolId: by.schoolId, ip: by.ip ?? null });
/** Consultations reach families as a letter does (platform/access/hear.ts 'letter'): never a restricted carer. */
const AS_KIND = 'letter' as const;

async function ownerInSchool(db: Db | Transaction<Database>, schoolId: string, staffId: string): Promise<boolean> {
  return !!(await db.selectFrom('staff').select('id').where('school_id', '=', schoolId).where('id', '=', staffId).where('archived_at', 'is', null).executeTakeFirst());
}

export async function createPolicy(db: Db, by: StaffActor, input: PolicyInput, now: Date): Promise<Done> {
  if (!(await ownerInSchool(db, by.schoolId, input.owner))) return { ok: false, field: 'owner', message: 'Choose who owns the policy from the list' };
  const id = newId();
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('policies')
      .values({
        id,
        school_id: by.schoolId,
        title: input.title,
        owner_id: input.owner,
        statutory_yearly: input.statutory_yearly,
        last_reviewed_on: input.last_reviewed_on,
        next_review_on: input.next_review_on,
        body: input.body,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await audit(
      trx,
      staffActor(by),
      { schoolId: by.schoolId, action: 'policy.created', entity: 'policy', entityId: id, after: { title: input.title, owner_id: input.owner, next_review_on: input.next_review_on } },
      now,
    );
  });
  return { ok: true, id };
}

export async function updatePolicy(db: Db, by: StaffActor, policy: Policy, input: PolicyInput, now: Date): Promise<Done> {
  if (!(await ownerInSchool(db, by.schoolId, input.owner))) return { ok: false, field: 'owner', message: 'Choose who owns the policy from the list' };
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('policies')
      .set({
        title: input.title,
        owner_id: input.owner,
        statutory_yearly: input.statutory_yearly,
        last_reviewed_on: input.last_reviewed_on,
        next_review_on: input.next_review_on,
        body: input.body,
        updated_at: now.toISOString(),
      })
      .where('id', '=', policy.id)
      .where('school_id', '=', by.schoolId)
      .execute();
    await audit(
      trx,
      staffActor(by),
      {
        schoolId: by.schoolId,
        action: 'policy.updated',
        entity: 'policy',
        entityId: policy.id,
        before: { title: policy.title, owner_id: policy.owner_id, next_review_on: policy.next_review_on, text_changed: false },
        after: { title: input.title, owner_id: input.owner, next_review_on: input.next_review_on, text_changed: input.body !== policy.body },
      },
      now,
    );
  });
  return { ok: true, id: policy.id };
}

/** Reviewed today: the next review is a year on. */
export async function markReviewed(db: Db, by: StaffActor, policy: Policy, today: string, now: Date): Promise<void> {
  const next = aYearOn(today);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('policies').set({ last_reviewed_on: today, next_review_on: next, updated_at: now.toISOString() }).where('id', '=', policy.id).where('school_id', '=', by.schoolId).execute();
    await audit(
      trx,
      staffActor(by),
      {
        schoolId: by.schoolId,
        action: 'policy.reviewed',
        entity: 'policy',
        entityId: policy.id,
        before: { last_reviewed_on: policy.last_reviewed_on, next_review_on: policy.next_review_on },
        after: { last_reviewed_on: today, next_review_on: next },
      },
      now,
    );
  });
}

/** The carers an audience reaches now (restrictions in force today leave a carer out). */
async function reached(db: Db | Transaction<Database>, schoolId: string, audienceJson: string, today: string): Promise<Recipient[]> {
  return (await recipientsFor(db, schoolId, AS_KIND, Audience.parse(JSON.parse(audienceJson)), today)).recipients;
}

/** Whether a carer is still in a consultation's audience today (a restriction made since takes them out). */
export async function stillReached(db: Db, consultation: Pick<Consultation, 'school_id' | 'audience_json'>, carerId: string, today: string): Promise<boolean> {
  // Asked on the carer's home page: only their own children of the audience are looked at, not the whole school's.
  const children = await db.selectFrom('carer_pupils').select('pupil_id').where('school_id', '=', consultation.school_id).where('carer_id', '=', carerId).execute();
  const audience = Audience.parse(JSON.parse(consultation.audience_json));
  const { recipients } = await recipientsFor(db, consultation.school_id, AS_KIND, audience, today, undefined, new Set(children.map((c) => c.pupil_id)));
  return recipients.some((r) => r.carerId === carerId);
}

/** A carer's own link for a consultation, made the first time they are reached. */
async function inviteesFor(trx: Transaction<Database>, consultation: { id: string; school_id: string }, recipients: Recipient[], at: string): Promise<Map<string, string>> {
  const existing = await trx.selectFrom('consultation_invitees').select(['carer_id', 'token']).where('consultation_id', '=', consultation.id).execute();
  const tokens = new Map(existing.map((e) => [e.carer_id, e.token]));
  const fresh = recipients
    .filter((r) => !tokens.has(r.carerId))
    .map((r) => ({ id: newId(), school_id: consultation.school_id, consultation_id: consultation.id, carer_id: r.carerId, token: randomToken(18), language: r.language, created_at: at }));
  for (let i = 0; i < fresh.length; i += 200)
    await trx
      .insertInto('consultation_invitees')
      .values(fresh.slice(i, i + 200))
      .execute();
  for (const f of fresh) tokens.set(f.carer_id, f.token);
  return tokens;
}

/** What a consultation email or text says, written once with the words it is given. */
type Write = (t: Text, link: string) => { subject: string; lines: string[]; sms: string };

/**
 * One email (and a text for a carer reached by text) per carer, each with their own link, through
 * the outbox: in the carer's language (with the school's own words for its families), the English
 * beneath in an email, as survey invitations and letters are.
 */
async function sends(
  trx: Transaction<Database>,
  key: string,
  schoolId: string,
  recipients: Recipient[],
  tokens: Map<string, string>,
  write: Write,
  ctx: SendContext,
  path = '',
): Promise<OutboxItem[]> {
  const texts = new Map<string, Text>();
  const textFor = async (code: string) => {
    if (!texts.has(code)) texts.set(code, await textForSchool(trx, schoolId, code, ctx.now));
    return texts.get(code)!;
  };
  const inEnglish = await textFor(ENGLISH);
  const items: OutboxItem[] = [];
  for (const r of recipients) {
    const link = absoluteLink(ctx.baseUrl, `/consult/${tokens.get(r.carerId)}${path}`);
    const own = await textFor(carerLanguage(r.language).code);
    if (r.channels.includes('email') && r.email) {
      const email = bilingualEmail(
        own,
        (t) => {
          const words = write(t, link);
          return { subject: words.subject, text: [...words.lines, ctx.schoolName].join('\n\n') };
        },
        inEnglish,
      );
      items.push({ channel: 'email', schoolId, key: `${key}:${r.carerId}`, payload: { to: r.email, subject: email.subject, text: email.text } });
    }
    if (r.channels.includes('sms') && r.mobile) items.push({ channel: 'sms', schoolId, key: `${key}:${r.carerId}`, payload: { to: r.mobile, text: write(own, link).sms } });
  }
  return items;
}

/**
 * Put a policy out for consultation: its text split into sections, the audience resolved as a
 * letter's is (never a restricted carer), a link of their own for each carer, and an email or
 * text to each through the outbox, all in one transaction.
 */
export async function openConsultation(db: Db, by: StaffActor, policy: Policy, input: ConsultInput, ctx: SendContext): Promise<Done & { invited?: number }> {
  if (input.closesOn <= ctx.today) return { ok: false, field: 'closes_on', message: 'The closing date must be after today' };
  const sections = splitSections(policy.body);
  if (sections.length === 0) return { ok: false, field: 'closes_on', message: 'The policy has no text to consult on: add its text first' };
  const id = newId();
  const at = ctx.now.toISOString();
  const audienceJson = JSON.stringify(input.audience);
  return db.transaction().execute(async (trx) => {
    const recipients = await reached(trx, by.schoolId, audienceJson, ctx.today);
    if (recipients.length === 0) return { ok: false as const, field: 'audience_kind', message: 'This would reach nobody: choose who it is for again' };
    const title = `Consultation: ${policy.title}`;
    await trx
      .insertInto('consultations')
      .values({
        id,
        school_id: by.schoolId,
        policy_id: policy.id,
        title,
        audience_json: audienceJson,
        status: 'open',
        closes_on: input.closesOn,
        translate_comments: input.translateComments,
        created_by: by.staffId,
        summary: null,
        adopted_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await trx
      .insertInto('consultation_sections')
      .values(sections.map((s, i) => ({ id: newId(), school_id: by.schoolId, consultation_id: id, position: i + 1, heading: s.heading, body: s.body })))
      .execute();
    const consultation = { id, school_id: by.schoolId };
    const tokens = await inviteesFor(trx, consultation, recipients, at);
    const items = await sends(
      trx,
      `consult:${id}`,
      by.schoolId,
      recipients,
      tokens,
      (t, link) => {
        const v = { school: ctx.schoolName, title: policy.title, date: dateIn(t.code, input.closesOn), link };
        return {
          subject: t('consultations.email.inviteSubject', v),
          // The school's own introduction is in the words it was written in: with the English, beneath a translated email.
          lines: [...(input.intro && t.code === ENGLISH ? [input.intro] : []), t('consultations.email.invite', v), t('consultations.email.readAndComment', v), t('consultations.email.onlySchool')],
          sms: t('consultations.sms.invite', v),
        };
      },
      ctx,
    );
    await enqueue(trx, items, ctx.now);
    await audit(
      trx,
      staffActor(by),
      {
        schoolId: by.schoolId,
        action: 'consultation.opened',
        entity: 'consultation',
        entityId: id,
        after: { policy_id: policy.id, sections: sections.length, invited: recipients.length, closes_on: input.closesOn },
      },
      ctx.now,
    );
    return { ok: true as const, id, invited: recipients.length };
  });
}

export type Author = { kind: 'carer'; carerId: string; language: string } | { kind: 'staff'; staffId: string };

/** A comment on one section of an open consultation, in the writer's own language. */
export async function addComment(db: Db, author: Author, consultation: Consultation, sectionId: string, body: string, now: Date, ip?: string): Promise<Done> {
  if (consultation.status !== 'open') return { ok: false, field: 'closed', message: 'This consultation has closed' };
  const section = await db.selectFrom('consultation_sections').select('id').where('id', '=', sectionId).where('consultation_id', '=', consultation.id).executeTakeFirst();
  if (!section) return { ok: false, field: 'section', message: 'Choose a section of this policy' };
  const id = newId();
  const schoolId = consultation.school_id;
  const language = author.kind === 'carer' ? author.language : 'English';
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('consultation_comments')
      .values({
        id,
        school_id: schoolId,
        consultation_id: consultation.id,
        section_id: sectionId,
        carer_id: author.kind === 'carer' ? author.carerId : null,
        staff_id: author.kind === 'staff' ? author.staffId : null,
        body,
        language,
        english: null,
        english_by: null,
        english_checked_by: null,
        theme_id: null,
        created_at: now.toISOString(),
      })
      .execute();
    const actor: Actor = author.kind === 'carer' ? { kind: 'carer', id: author.carerId, schoolId, ip: ip ?? null } : { kind: 'staff', id: author.staffId, schoolId, ip: ip ?? null };
    await audit(
      trx,
      actor,
      { schoolId, action: 'consultation.commented', entity: 'consultation_comment', entityId: id, after: { consultation_id: consultation.id, section_id: sectionId, language } },
      now,
    );
  });
  return { ok: true, id };
}

export async function addTheme(db: Db, by: StaffActor, consultation: Consultation, title: string, now: Date): Promise<Done> {
  const id = newId();
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('consultation_themes').values({ id, school_id: by.schoolId, consultation_id: consultation.id, title, answer: null, created_at: at, updated_at: at }).execute();
    await audit(
      trx,
      staffActor(by),
      { schoolId: by.schoolId, action: 'consultation.theme_added', entity: 'consultation_theme', entityId: id, after: { consultation_id: consultation.id, title } },
      now,
    );
  });
  return { ok: true, id };
}

/** Put a comment under a theme of the same consultation. */
export async function assignTheme(db: Db, by: StaffActor, consultation: Consultation, commentId: string, themeId: string, now: Date): Promise<Done> {
  const theme = await db.selectFrom('consultation_themes').select('id').where('id', '=', themeId).where('consultation_id', '=', consultation.id).executeTakeFirst();
  if (!theme) return { ok: false, field: 'theme', message: 'Choose a theme of this consultation' };
  const comment = await db
    .selectFrom('consultation_comments')
    .select(['id', 'theme_id'])
    .where('id', '=', commentId)
    .where('consultation_id', '=', consultation.id)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  if (!comment) throw new AppError('not_found', 'Page not found');
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('consultation_comments').set({ theme_id: themeId }).where('id', '=', commentId).where('school_id', '=', by.schoolId).execute();
    await audit(
      trx,
      staffActor(by),
      { schoolId: by.schoolId, action: 'consultation.comment_themed', entity: 'consultation_comment', entityId: commentId, before: { theme_id: comment.theme_id }, after: { theme_id: themeId } },
      now,
    );
  });
  return { ok: true, id: commentId };
}

export async function answerTheme(db: Db, by: StaffActor, consultation: Consultation, themeId: string, answer: string, now: Date): Promise<Done> {
  const theme = await db.selectFrom('consultation_themes').select(['id', 'answer']).where('id', '=', themeId).where('consultation_id', '=', consultation.id).executeTakeFirst();
  if (!theme) throw new AppError('not_found', 'Page not found');
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('consultation_themes').set({ answer, updated_at: now.toISOString() }).where('id', '=', themeId).where('school_id', '=', by.schoolId).execute();
    await audit(
      trx,
      staffActor(by),
      { schoolId: by.schoolId, action: 'consultation.theme_answered', entity: 'consultation_theme', entityId: themeId, before: { answer: theme.answer }, after: { answer } },
      now,
    );
  });
  return { ok: true, id: themeId };
}

/**
 * The English version of a comment written in another language: from the translation service or
 * typed by a person, then checked by a second person (as message translations are).
 */
export async function setEnglish(db: Db, by: StaffActor, commentId: string, english: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('consultation_comments').set({ english, english_by: by.staffId, english_checked_by: null }).where('id', '=', commentId).where('school_id', '=', by.schoolId).execute();
    await audit(trx, staffActor(by), { schoolId: by.schoolId, action: 'consultation.comment_english', entity: 'consultation_comment', entityId: commentId, after: { english } }, now);
  });
}

export async function checkEnglish(db: Db, by: StaffActor, commentId: string, now: Date): Promise<Done> {
  const comment = await db.selectFrom('consultation_comments').select(['english', 'english_by']).where('id', '=', commentId).where('school_id', '=', by.schoolId).executeTakeFirst();
  if (!comment?.english) return { ok: false, field: 'english', message: 'There is no English version to check yet' };
  if (comment.english_by === by.staffId) return { ok: false, field: 'english', message: 'A second person checks an English version: ask a colleague' };
  const done = await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('consultation_comments')
      .set({ english_checked_by: by.staffId })
      .where('id', '=', commentId)
      .where('english_checked_by', 'is', null)
      .where('english', '=', comment.english)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return false;
    await audit(trx, staffActor(by), { schoolId: by.schoolId, action: 'consultation.comment_english_checked', entity: 'consultation_comment', entityId: commentId }, now);
    return true;
  });
  return done ? { ok: true, id: commentId } : { ok: false, field: 'english', message: 'Someone has already checked it or changed it: look again' };
}

/**
 * Adopt the revised policy and publish "You said, we did": every theme must have the school's
 * answer. The policy's text becomes the revised text (when given) and is reviewed today; the
 * audience as it is today (a restriction made since leaves a carer out) gets a message through
 * the outbox with their own link to the page.
 */
export async function adoptPolicy(db: Db, by: StaffActor, consultation: Consultation, input: { summary: string; revised: string | null }, ctx: SendContext): Promise<Done & { told?: number }> {
  const unanswered = await db.selectFrom('consultation_themes').select('title').where('consultation_id', '=', consultation.id).where('answer', 'is', null).execute();
  if (unanswered.length) return { ok: false, field: 'summary', message: `Answer every theme first: ${unanswered.map((t) => t.title).join(', ')}` };
  const themes = await db.selectFrom('consultation_themes').select('id').where('consultation_id', '=', consultation.id).execute();
  if (themes.length === 0) return { ok: false, field: 'summary', message: 'Group the comments into at least one theme and answer it first' };
  const at = ctx.now.toISOString();
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('consultations')
      .set({ status: 'adopted', summary: input.summary, adopted_at: at, updated_at: at })
      .where('id', '=', consultation.id)
      .where('school_id', '=', by.schoolId)
      .where('status', '!=', 'adopted')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return { ok: false as const, field: 'summary', message: 'This policy has already been adopted' };
    const policy = await trx.selectFrom('policies').selectAll().where('id', '=', consultation.policy_id).executeTakeFirstOrThrow();
    const next = aYearOn(ctx.today);
    await trx
      .updateTable('policies')
      .set({ body: input.revised ?? policy.body, last_reviewed_on: ctx.today, next_review_on: next, updated_at: at })
      .where('id', '=', policy.id)
      .execute();
    const recipients = await reached(trx, by.schoolId, consultation.audience_json, ctx.today);
    const tokens = await inviteesFor(trx, consultation, recipients, at);
    const items = await sends(
      trx,
      `said-did:${consultation.id}`,
      by.schoolId,
      recipients,
      tokens,
      (t, link) => {
        const v = { school: ctx.schoolName, title: policy.title, link };
        return {
          subject: t('consultations.email.saidDidSubject', v),
          // The school's summary is in its own words: with the English, beneath a translated email (the page itself has every answer).
          lines: [t('consultations.email.thanks', v), ...(t.code === ENGLISH ? [input.summary] : []), t('consultations.email.saidDidLink', v)],
          sms: t('consultations.sms.saidDid', v),
        };
      },
      ctx,
      '/you-said-we-did',
    );
    await enqueue(trx, items, ctx.now);
    await audit(
      trx,
      staffActor(by),
      {
        schoolId: by.schoolId,
        action: 'consultation.adopted',
        entity: 'consultation',
        entityId: consultation.id,
        before: { status: consultation.status },
        after: { status: 'adopted', told: recipients.length, text_changed: input.revised !== null && input.revised !== policy.body },
      },
      ctx.now,
    );
    await audit(
      trx,
      staffActor(by),
      {
        schoolId: by.schoolId,
        action: 'policy.reviewed',
        entity: 'policy',
        entityId: policy.id,
        before: { next_review_on: policy.next_review_on },
        after: { last_reviewed_on: ctx.today, next_review_on: next },
      },
      ctx.now,
    );
    return { ok: true as const, id: consultation.id, told: recipients.length };
  });
}

/** The files a policy's document may be (platform/web/uploads.ts checks name, size and the first bytes). */
export const POLICY_DOCUMENT = {
  types: {
    pdf: 'application/pdf',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    odt: 'application/vnd.oasis.opendocument.text',
    txt: 'text/plain; charset=utf-8',
  } as Record<string, string>,
  maxBytes: 4_000_000,
  kinds: 'a PDF, Word (.docx), OpenDocument (.odt) or text (.txt) file',
  choose: 'Choose the policy’s document',
  checkContent: true,
};

/** The policy's document as a file, stored in its row as complaint documents are; a new one replaces the old. */
export async function attachDocument(db: Db, by: StaffActor, policy: Policy, file: { name: string; type: string; bytes: Buffer }, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('policies')
      .set({ document_name: file.name, document_type: file.type, document_base64: file.bytes.toString('base64'), updated_at: now.toISOString() })
      .where('id', '=', policy.id)
      .where('school_id', '=', by.schoolId)
      .execute();
    await audit(
      trx,
      staffActor(by),
      {
        schoolId: by.schoolId,
        action: 'policy.document_attached',
        entity: 'policy',
        entityId: policy.id,
        before: { document_name: policy.document_name },
        after: { document_name: file.name, bytes: file.bytes.length },
      },
      now,
    );
  });
}

/** Whether comments may still be written, changed or withdrawn: open, and its closing day not past. */
export function stillOpen(consultation: Consultation, today: string): boolean {
  return consultation.status === 'open' && today <= consultation.closes_on;
}

/** A carer's own comment, not withdrawn, in this consultation. */
async function ownComment(db: Db, consultation: Consultation, carerId: string, commentId: string) {
  return db
    .selectFrom('consultation_comments')
    .select(['id', 'body', 'section_id', 'english'])
    .where('id', '=', commentId)
    .where('school_id', '=', consultation.school_id)
    .where('consultation_id', '=', consultation.id)
    .where('carer_id', '=', carerId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
}

export type CommentChange = { ok: true; sectionId: string } | { ok: false; field: 'comment' | 'closed' | 'missing'; message: string };

/**
 * A carer changes their own comment while the consultation is open. The English version (written for
 * the old words) is cleared, to be written and checked again. The audit log says it changed (not the words).
 */
export async function editComment(db: Db, carerId: string, consultation: Consultation, commentId: string, body: string, today: string, now: Date, ip?: string): Promise<CommentChange> {
  if (!stillOpen(consultation, today)) return { ok: false, field: 'closed', message: 'This consultation has closed' };
  const comment = await ownComment(db, consultation, carerId, commentId);
  if (!comment) return { ok: false, field: 'missing', message: 'That comment is not yours or has been withdrawn' };
  if (comment.body === body) return { ok: true, sectionId: comment.section_id };
  const changed = await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('consultation_comments')
      .set({ body, edited_at: now.toISOString(), english: null, english_by: null, english_checked_by: null })
      .where('id', '=', comment.id)
      .where('school_id', '=', consultation.school_id)
      .where('carer_id', '=', carerId)
      .where('withdrawn_at', 'is', null)
      .where('body', '=', comment.body)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return false;
    await audit(
      trx,
      { kind: 'carer', id: carerId, schoolId: consultation.school_id, ip: ip ?? null },
      {
        schoolId: consultation.school_id,
        action: 'consultation.comment_edited',
        entity: 'consultation_comment',
        entityId: comment.id,
        // Comment texts stay out of the audit log (docs/consultations.md): how long, not what.
        before: { characters: comment.body.length, english_cleared: comment.english !== null },
        after: { characters: body.length },
      },
      now,
    );
    return true;
  });
  return changed ? { ok: true, sectionId: comment.section_id } : { ok: false, field: 'comment', message: 'The comment changed while you were writing: look again' };
}

/** A carer withdraws their own comment while the consultation is open: it leaves every staff view and count. */
export async function withdrawComment(db: Db, carerId: string, consultation: Consultation, commentId: string, today: string, now: Date, ip?: string): Promise<CommentChange> {
  if (!stillOpen(consultation, today)) return { ok: false, field: 'closed', message: 'This consultation has closed' };
  const comment = await ownComment(db, consultation, carerId, commentId);
  if (!comment) return { ok: false, field: 'missing', message: 'That comment is not yours or has already been withdrawn' };
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('consultation_comments')
      .set({ withdrawn_at: now.toISOString() })
      .where('id', '=', comment.id)
      .where('school_id', '=', consultation.school_id)
      .where('carer_id', '=', carerId)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return;
    await audit(
      trx,
      { kind: 'carer', id: carerId, schoolId: consultation.school_id, ip: ip ?? null },
      { schoolId: consultation.school_id, action: 'consultation.comment_withdrawn', entity: 'consultation_comment', entityId: comment.id, after: { section_id: comment.section_id } },
      now,
    );
  });
  return { ok: true, sectionId: comment.section_id };
}
