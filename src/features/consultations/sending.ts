// Sending: a policy put out for consultation, and "You said, we did" when it is adopted, each to the
// audience as it is that day, through the outbox.
import type { Transaction } from 'kysely';
import type { Database } from './types.ts';
import { audit } from '../../platform/audit/audit.ts';
import { randomToken } from '../../platform/auth/tokens.ts';
import { newId } from '../../platform/ids.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { dateIn } from '../../platform/i18n/dates.ts';
import { bilingualEmail } from '../../platform/i18n/email.ts';
import { ENGLISH, carerLanguage } from '../../platform/i18n/languages.ts';
import { textForSchool } from '../../platform/i18n/plugin.ts';
import { enqueue, type OutboxItem } from '../../platform/outbox/outbox.ts';
import { absoluteLink } from '../../platform/web/links.ts';
import { Audience, recipientsFor, type Recipient } from '../messages/index.ts';
import { staffActor, type Consultation, type Db, type Done, type Policy, type SendContext, type StaffActor } from './common.ts';
import type { ConsultInput } from './forms.ts';
import { aYearOn, splitSections } from './sections.ts';

/** Consultations reach families as a letter does (platform/access/hear.ts 'letter'): never a restricted carer. */
const AS_KIND = 'letter' as const;
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
