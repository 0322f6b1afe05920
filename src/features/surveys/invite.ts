import type { Kysely } from 'kysely';
import type { Database, SurveyTable } from '../../db/schema.ts';
import { insertInChunks } from '../../db/insert-in-chunks.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { randomToken } from '../../platform/auth/tokens.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { carerLanguage } from '../../platform/i18n/languages.ts';
import { textForSchool } from '../../platform/i18n/plugin.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { enqueue, type OutboxItem } from '../../platform/outbox/outbox.ts';
import { absoluteLink } from '../../platform/web/links.ts';
import { recipientsFor } from '../messages/index.ts';
import { audienceOf } from './audience.ts';

type Db = Kysely<Database>;
/** `textsCanGo`: a text message provider is set up; without it no text is queued. */
export type InviteContext = { baseUrl: string; schoolName: string; today: string; now: Date; textsCanGo?: boolean };
export const MAX_REMINDERS = 2;

type Invitee = { carerId: string | null; staffId: string | null; pupilIds: string[]; language: string; channels: string[]; email: string | null; mobile: string | null };

/** Everyone a survey asks, one each: carers as a letter reaches them (every carer who may hear, for a survey), or staff in the roles. */
async function inviteesOf(db: Db, survey: SurveyTable, today: string): Promise<Invitee[]> {
  const who = audienceOf(survey);
  if (who.kind === 'staff') {
    const rows = await db
      .selectFrom('staff')
      .innerJoin('staff_roles', 'staff_roles.staff_id', 'staff.id')
      .select(['staff.id', 'staff.email'])
      .distinct()
      .where('staff.school_id', '=', survey.school_id)
      .where('staff.archived_at', 'is', null)
      .where('staff_roles.role', 'in', who.audience.roles)
      .execute();
    return rows.map((s) => ({ carerId: null, staffId: s.id, pupilIds: [], language: 'English', channels: ['email'], email: s.email, mobile: null }));
  }
  const { recipients } = await recipientsFor(db, survey.school_id, 'letter', who.audience, today, 'survey');
  return recipients.map((r) => ({
    carerId: r.carerId,
    staffId: null,
    pupilIds: r.pupils.map((p) => p.id),
    language: r.language,
    channels: r.channels,
    email: r.channels.includes('email') ? r.email : null,
    mobile: r.channels.includes('sms') ? r.mobile : null,
  }));
}

function messagesFor(t: Text, survey: SurveyTable, schoolName: string, link: string, reminder: boolean) {
  const subject = t(reminder ? 'surveys.email.reminderSubject' : 'surveys.email.subject', { school: schoolName, title: survey.title });
  const text = [t('surveys.email.body', { school: schoolName, title: survey.title }), '', link, '', t('surveys.email.anonymity', { anonymous: survey.anonymous === 1 ? 'yes' : 'no' })].join('\n');
  return { subject, text, sms: `${t('surveys.sms', { school: schoolName })} ${link}` };
}

async function sendsFor(trx: Db, survey: SurveyTable, rows: { id: string; token: string; language: string; email: string | null; mobile: string | null }[], ctx: InviteContext, reminder: number) {
  const texts = new Map<string, Text>();
  const items: OutboxItem[] = [];
  for (const r of rows) {
    const code = carerLanguage(r.language).code;
    if (!texts.has(code)) texts.set(code, await textForSchool(trx, survey.school_id, code, ctx.now));
    const words = messagesFor(texts.get(code)!, survey, ctx.schoolName, absoluteLink(ctx.baseUrl, `/s/${r.token}`), reminder > 0);
    const key = `survey:${survey.id}:${r.id}:${reminder}`;
    if (r.email) items.push({ channel: 'email', schoolId: survey.school_id, key, ref: r.id, payload: { to: r.email, subject: words.subject, text: words.text } });
    if (r.mobile && ctx.textsCanGo) items.push({ channel: 'sms', schoolId: survey.school_id, key, ref: r.id, payload: { to: r.mobile, text: words.sms } });
  }
  await enqueue(trx, items, ctx.now);
  return items.length;
}

/**
 * Send a draft survey: one invitation (with its own token link) per person, emails and texts in the
 * outbox in the same transaction; families on paper are listed for the office. Compare-and-set on
 * the status, so a double click sends once.
 */
export async function openSurvey(db: Db, actor: Actor, schoolId: string, surveyId: string, ctx: InviteContext): Promise<{ invited: number; onPaper: number }> {
  return db.transaction().execute(async (trx) => {
    const survey = await trx.selectFrom('surveys').selectAll().where('id', '=', surveyId).where('school_id', '=', schoolId).executeTakeFirst();
    if (!survey) throw new AppError('not_found', 'Page not found');
    const questions = await trx.selectFrom('survey_questions').select('id').where('survey_id', '=', surveyId).execute();
    if (questions.length === 0) throw new AppError('bad_request', 'Add at least one question before sending the survey.');
    const at = ctx.now.toISOString();
    const claimed = await trx.updateTable('surveys').set({ status: 'open', opened_at: at, updated_at: at }).where('id', '=', surveyId).where('status', '=', 'draft').executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new AppError('conflict', 'This survey has already been sent.');
    const invitees = await inviteesOf(trx, survey, ctx.today);
    if (invitees.length === 0) throw new AppError('bad_request', 'This survey would reach nobody: choose who it is for again.');
    const rows = invitees.map((i) => ({
      id: newId(),
      school_id: schoolId,
      survey_id: surveyId,
      carer_id: i.carerId,
      staff_id: i.staffId,
      token: randomToken(18),
      pupil_ids: i.pupilIds.join(','),
      language: i.language,
      channels: i.channels.join(','),
      invited_at: at,
      answered_on: null,
      answered_via: null,
      reminded: 0,
    }));
    await insertInChunks(trx, 'survey_invitations', rows);
    await sendsFor(
      trx,
      survey,
      rows.map((r, n) => ({ id: r.id, token: r.token, language: r.language, email: invitees[n]!.email, mobile: invitees[n]!.mobile })),
      ctx,
      0,
    );
    const onPaper = invitees.filter((i) => i.channels.includes('paper')).length;
    await audit(
      trx,
      actor,
      { schoolId, action: 'survey.opened', entity: 'survey', entityId: surveyId, before: { status: 'draft' }, after: { status: 'open', invited: rows.length, on_paper: onPaper } },
      ctx.now,
    );
    return { invited: rows.length, onPaper };
  });
}

/**
 * Remind everyone who has not answered (at most MAX_REMINDERS times per survey), through the
 * outbox. Who has answered is on the invitation, never what they answered.
 */
export async function remindSurvey(db: Db, actor: Actor, schoolId: string, surveyId: string, ctx: InviteContext): Promise<{ reminded: number; number: number }> {
  return db.transaction().execute(async (trx) => {
    const survey = await trx.selectFrom('surveys').selectAll().where('id', '=', surveyId).where('school_id', '=', schoolId).executeTakeFirst();
    if (!survey) throw new AppError('not_found', 'Page not found');
    if (survey.status !== 'open') throw new AppError('conflict', 'Only an open survey can be reminded.');
    if (survey.reminders_sent >= MAX_REMINDERS) throw new AppError('conflict', `Reminders have been sent ${MAX_REMINDERS} times already: that is the most Gatepost sends.`);
    const number = survey.reminders_sent + 1;
    const claimed = await trx
      .updateTable('surveys')
      .set({ reminders_sent: number, updated_at: ctx.now.toISOString() })
      .where('id', '=', surveyId)
      .where('reminders_sent', '=', survey.reminders_sent)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new AppError('conflict', 'A reminder was sent a moment ago.');
    const waiting = await trx
      .selectFrom('survey_invitations')
      .leftJoin('carers', 'carers.id', 'survey_invitations.carer_id')
      .leftJoin('staff', 'staff.id', 'survey_invitations.staff_id')
      .select([
        'survey_invitations.id',
        'survey_invitations.token',
        'survey_invitations.language',
        'survey_invitations.channels',
        'carers.email as carer_email',
        'carers.mobile',
        'staff.email as staff_email',
      ])
      .where('survey_invitations.survey_id', '=', surveyId)
      .where('survey_invitations.answered_on', 'is', null)
      .execute();
    await trx.updateTable('survey_invitations').set({ reminded: number }).where('survey_id', '=', surveyId).where('answered_on', 'is', null).execute();
    await sendsFor(
      trx,
      survey,
      waiting.map((w) => {
        const channels = w.channels.split(',');
        return { id: w.id, token: w.token, language: w.language, email: channels.includes('email') ? (w.carer_email ?? w.staff_email) : null, mobile: channels.includes('sms') ? w.mobile : null };
      }),
      ctx,
      number,
    );
    await audit(
      trx,
      actor,
      { schoolId, action: 'survey.reminded', entity: 'survey', entityId: surveyId, before: { reminders_sent: survey.reminders_sent }, after: { reminders_sent: number, reminded: waiting.length } },
      ctx.now,
    );
    return { reminded: waiting.length, number };
  });
}
