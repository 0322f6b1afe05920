import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { insertInChunks } from '../../db/insert-in-chunks.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { randomToken } from '../../platform/auth/tokens.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { enqueue, type OutboxItem } from '../../platform/outbox/outbox.ts';
import { Audience } from './audience.ts';
import { emailHtml, emailText, isEssential, letterFor, linkSmsText, smsText, subjectFor, type Translation } from './content.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { bilingualEmail } from '../../platform/i18n/email.ts';
import { carerLanguage } from '../../platform/i18n/languages.ts';
import { textForSchool } from '../../platform/i18n/plugin.ts';
import { recipientsFor } from './recipient-queries.ts';
import { channelCounts, type Channel } from './recipients.ts';
import { absoluteLink } from '../../platform/web/links.ts';
import { withoutTexts } from './texts.ts';

type Db = Kysely<Database>;

/** `textsCanGo`: a text message provider is set up (textsCanGo(config)); without it nothing is queued as a text. */
export type SendContext = { baseUrl: string; schoolName: string; today: string; now: Date; textsCanGo?: boolean };
export type SendResult = { recipients: number; channels: Record<Channel, number>; leftOut: number };

/**
 * Send a draft or scheduled message, in one transaction: the message is marked sent (compare-and-set,
 * so a double click or two app servers send it once), a row per carer records what they received,
 * and the outbox gets one row per carer and channel. The worker delivers after commit.
 */
export async function sendMessage(db: Db, actor: Actor, schoolId: string, messageId: string, ctx: SendContext): Promise<SendResult> {
  return db.transaction().execute(async (trx) => {
    const message = await trx.selectFrom('messages').selectAll().where('id', '=', messageId).where('school_id', '=', schoolId).executeTakeFirst();
    if (!message) throw new AppError('not_found', 'Page not found');
    if (message.status === 'sent') throw new AppError('conflict', 'This message has already been sent.');
    const claimed = await trx
      .updateTable('messages')
      .set({ status: 'sent', sent_at: ctx.now.toISOString(), updated_at: ctx.now.toISOString() })
      .where('id', '=', messageId)
      .where('status', '=', message.status)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new AppError('conflict', 'This message has already been sent.');

    const audience = Audience.parse(JSON.parse(message.audience_json));
    const resolved = await recipientsFor(trx, schoolId, message.kind, audience, ctx.today);
    const { recipients, leftOut } = ctx.textsCanGo ? resolved : { ...resolved, recipients: withoutTexts(resolved.recipients, message.kind).recipients };
    if (recipients.length === 0) throw new AppError('bad_request', 'This message would reach nobody: choose who it is for again.');
    const translations = (await trx.selectFrom('message_translations').select(['language', 'subject', 'body', 'source', 'status']).where('message_id', '=', messageId).execute()) as Translation[];

    const at = ctx.now.toISOString();
    const rows = recipients.map((r) => ({
      id: newId(),
      school_id: schoolId,
      message_id: messageId,
      carer_id: r.carerId,
      pupil_ids: r.pupils.map((p) => p.id).join(','),
      pupil_names: r.pupils.map((p) => p.name).join(', '),
      language: r.language,
      channels: r.channels.join(','),
      read_token: randomToken(18),
      read_at: null,
      acknowledged_at: null,
      created_at: at,
    }));
    await insertInChunks(trx, 'message_recipients', rows);

    // The email's own words (links, "About:") in each carer's language, with the school's own words.
    const texts = new Map<string, Text>();
    for (const code of new Set(['en', ...recipients.filter((r) => r.email).map((r) => carerLanguage(r.language).code)])) {
      texts.set(code, await textForSchool(trx, schoolId, code, ctx.now));
    }
    const author = message.created_by ? await trx.selectFrom('staff').select(['title', 'family_name']).where('id', '=', message.created_by).executeTakeFirst() : undefined;
    const authored = { kind: message.kind, subject: message.subject, author_title: author?.title, author_family_name: author?.family_name };

    const essential = isEssential(message.kind);
    const items: OutboxItem[] = [];
    recipients.forEach((r, i) => {
      const row = rows[i]!;
      if (r.channels.includes('email') && r.email) {
        const t = texts.get(carerLanguage(r.language).code)!;
        const inEnglish = texts.get('en')!;
        const names = r.pupils.map((p) => p.name);
        const letter = letterFor({ body: message.body, subject: subjectFor(authored, t) }, translations, r.language, names);
        const links = {
          read: absoluteLink(ctx.baseUrl, `/m/${row.read_token}`),
          acknowledge: message.asks_acknowledgement ? absoluteLink(ctx.baseUrl, `/m/${row.read_token}#acknowledge`) : null,
          unsubscribe: essential ? null : absoluteLink(ctx.baseUrl, `/m/${row.read_token}/stop-emails`),
        };
        // A translated message: in their language with the English beneath. An English one: English, with their help line and links in their words.
        // The English copy says, as the translation does, when a machine made the translation above it.
        const english = { ...letterFor({ body: message.body, subject: subjectFor(authored, inEnglish) }, [], 'English', names), machineTranslated: letter.machineTranslated };
        const email = letter.translated
          ? bilingualEmail(
              t,
              (words) =>
                words === t ? { subject: letter.subject, text: emailText(letter, ctx.schoolName, links, t) } : { subject: english.subject, text: emailText(english, ctx.schoolName, links, words) },
              inEnglish,
            )
          : { subject: letter.subject, text: emailText(letter, ctx.schoolName, links, t) };
        items.push({
          channel: 'email',
          schoolId,
          key: `msg:${messageId}:${r.carerId}`,
          ref: row.id,
          payload: { to: r.email, subject: email.subject, text: email.text, html: emailHtml(letter, ctx.schoolName, links, t) },
        });
      }
      if (r.channels.includes('sms') && r.mobile) {
        // Urgent: the notice itself. A newsletter or letter (mobile but no email): its subject and a link to read it.
        const text =
          message.kind === 'urgent'
            ? smsText(message, ctx.schoolName)
            : linkSmsText(
                letterFor(
                  message,
                  translations,
                  r.language,
                  r.pupils.map((p) => p.name),
                ),
                ctx.schoolName,
                absoluteLink(ctx.baseUrl, `/m/${row.read_token}`),
              );
        items.push({ channel: 'sms', schoolId, key: `msg:${messageId}:${r.carerId}`, ref: row.id, payload: { to: r.mobile, text } });
      }
    });
    await enqueue(trx, items, ctx.now);
    const channels = channelCounts(recipients);
    await audit(trx, actor, { schoolId, action: 'message.sent', entity: 'message', entityId: messageId, after: { recipients: recipients.length, channels, left_out: leftOut.length } }, ctx.now);
    return { recipients: recipients.length, channels, leftOut: leftOut.length };
  });
}

/**
 * The scheduled messages whose time has come, across schools: found by status and due time (index
 * messages_scheduled_due, migration 0042), never by reading every message a school has sent.
 */
export function dueMessagesStatement(db: Db, now: Date) {
  return db.selectFrom('messages').select(['id', 'school_id']).where('status', '=', 'scheduled').where('scheduled_for', '<=', now.toISOString()).limit(20);
}

/** Send every scheduled message whose time has come (run by the server every half minute). */
export async function sendDueMessages(db: Db, ctxFor: (schoolId: string) => Promise<SendContext>, now: Date): Promise<number> {
  const due = await dueMessagesStatement(db, now).execute();
  let sent = 0;
  for (const m of due) {
    try {
      await sendMessage(db, { kind: 'system' }, m.school_id, m.id, await ctxFor(m.school_id));
      sent += 1;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'bad_request') {
        // Nobody to send to any more (the audience changed): back to drafts, for a person to look at.
        await db.updateTable('messages').set({ status: 'draft', scheduled_for: null }).where('id', '=', m.id).where('status', '=', 'scheduled').execute();
      }
    }
  }
  return sent;
}

/** The context for a send the server makes by itself (scheduled): the school's name, zone and today. */
export async function sendContextFor(db: Db, schoolId: string, baseUrl: string, now: Date = new Date()): Promise<SendContext> {
  const school = await db.selectFrom('schools').select(['name', 'time_zone']).where('id', '=', schoolId).executeTakeFirstOrThrow();
  return { baseUrl, schoolName: school.name, today: localDate(now, school.time_zone), now };
}
