import type { Kysely } from 'kysely';
import type { Database, Instant, MeetingMode } from '../../db/schema.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { english, type Text } from '../../platform/i18n/catalog.ts';
import { instantIn } from '../../platform/i18n/dates.ts';
import { bilingualEmail } from '../../platform/i18n/email.ts';
import { textForCarer, textForSchool } from '../../platform/i18n/plugin.ts';
import { whereForCarer } from './carer-words.ts';
import { enqueue } from '../../platform/outbox/outbox.ts';
import { eligibleCarers, meetingCarersOf } from './meetings-queries.ts';
import { absoluteLink } from '../../platform/web/links.ts';

type Db = Kysely<Database>;

/**
 * Emails about meetings, written into the outbox inside the caller's transaction. They say when,
 * where and with whom, and link to Gatepost; they never carry a safety plan, a note or an outline.
 */
export type MailContext = { schoolId: string; schoolName: string; timeZone: string; baseUrl: string; now: Date };
export type Recipient = { id: string; given_name: string; email: string | null; preferred_language?: string | null };

/**
 * An email's words, written once per language: the carer's, then the school's English beneath.
 * `ref`: the record it is about, kept in the outbox row's indexed `ref` so its sends are found
 * without walking the outbox.
 */
export type CarerMail = { key: string; path: string; ref?: string } & ({ subject: string; lines: string[] } | { build: (t: Text) => { subject: string; lines: string[] } });

/**
 * The family members on a meeting who may still hear about the child: a restriction that stops
 * information or contact, made since they were invited, stops every email about it to them.
 */
export async function familyToTell(db: Db, ctx: MailContext, meeting: { id: string; pupil_id: string | null }) {
  const carers = await meetingCarersOf(db, meeting.id);
  if (!meeting.pupil_id) return carers;
  const allowed = new Set((await eligibleCarers(db, ctx.schoolId, meeting.pupil_id, localDate(ctx.now, ctx.timeZone))).map((c) => c.id));
  return carers.filter((c) => allowed.has(c.id));
}

/** "When: …", "Where: …", "With: …" lines for a family, in school time, in the reader's words. */
export function meetingLines(
  m: { starts_at: Instant | null; mode: MeetingMode; place: string | null; video_link: string | null },
  withWhom: string | null,
  timeZone: string,
  t: Text = english,
): string[] {
  return [
    m.starts_at ? t('meetings.email.when', { when: instantIn(t.code, m.starts_at, timeZone) }) : null,
    t('meetings.email.where', { where: whereForCarer(m, t) }),
    withWhom ? t('meetings.email.with', { who: withWhom }) : null,
  ].filter((l): l is string => !!l);
}

/**
 * One email to each family member who has an address; `key` makes each one idempotent per person.
 * With `build`, each is written in the carer's language with the school's English beneath it.
 */
export async function emailCarers(db: Db, ctx: MailContext, to: Recipient[], mail: CarerMail): Promise<number> {
  const withEmail = to.filter((c): c is Recipient & { email: string } => !!c.email);
  const inEnglish = await textForSchool(db, ctx.schoolId, 'en', ctx.now);
  const items = await Promise.all(
    withEmail.map(async (c) => {
      const own = 'build' in mail ? await textForCarer(db, ctx.schoolId, c.preferred_language, ctx.now) : english;
      const write = (t: Text) => {
        const { subject, lines } = 'build' in mail ? mail.build(t) : mail;
        const text = [t('meetings.email.dear', { name: c.given_name }), '', ...lines, '', t('meetings.email.see', { link: absoluteLink(ctx.baseUrl, mail.path) }), '', ctx.schoolName, ''].join('\n');
        return { subject, text };
      };
      return {
        channel: 'email' as const,
        schoolId: ctx.schoolId,
        key: `${mail.key}:${c.id}`,
        ...(mail.ref ? { ref: mail.ref } : {}),
        payload: { to: c.email, ...bilingualEmail(own, write, inEnglish) },
      };
    }),
  );
  await enqueue(db, items, ctx.now);
  return items.length;
}

/** A short email to members of staff: what happened and where to look, nothing more. */
export async function emailStaff(db: Db, ctx: MailContext, staffIds: string[], mail: { key: string; subject: string; path: string }): Promise<void> {
  const ids = [...new Set(staffIds)];
  if (ids.length === 0) return;
  const people = await db.selectFrom('staff').select(['id', 'email', 'given_name']).where('id', 'in', ids).where('school_id', '=', ctx.schoolId).where('archived_at', 'is', null).execute();
  await enqueue(
    db,
    people.map((p) => ({
      channel: 'email' as const,
      schoolId: ctx.schoolId,
      key: `${mail.key}:${p.id}`,
      payload: { to: p.email, subject: mail.subject, text: `Dear ${p.given_name},\n\n${mail.subject}.\n\nSee it in Gatepost: ${absoluteLink(ctx.baseUrl, mail.path)}\n` },
    })),
    ctx.now,
  );
}

export async function mailContext(db: Db, schoolId: string, baseUrl: string, now: Date): Promise<MailContext> {
  const school = await db.selectFrom('schools').select(['name', 'time_zone']).where('id', '=', schoolId).executeTakeFirstOrThrow();
  return { schoolId, schoolName: school.name, timeZone: school.time_zone, baseUrl, now };
}
