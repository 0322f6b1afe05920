import type { Kysely } from 'kysely';
import type { Database, LocalDate, MessageTable } from '../../db/schema.ts';
import type { Dialect } from '../../db/database.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { bilingualEmail } from '../../platform/i18n/email.ts';
import { carerLanguage, ENGLISH } from '../../platform/i18n/languages.ts';
import { textForSchool } from '../../platform/i18n/plugin.ts';
import { languageName } from '../../platform/i18n/names.ts';
import { newId } from '../../platform/ids.ts';
import { enqueue } from '../../platform/outbox/outbox.ts';
import { absoluteLink } from '../../platform/web/links.ts';
import { lockMessageForChange } from './translation-queries.ts';
import { translationsOpen } from './translation.ts';
import { volunteerPageState, volunteerRefusal, type PupilName, type VolunteerPageState } from './volunteer-translation.ts';

type Db = Kysely<Database>;
type StaffActor = Actor & { kind: 'staff' };
type CarerActor = Actor & { kind: 'carer' };

/**
 * The translating volunteers who may be asked into a language today (volunteering's translatorsFor,
 * handed in by app.ts: messages cannot import volunteering, whose events import messages).
 */
export type TranslatorsFor = (
  db: Db,
  schoolId: string,
  language: string,
  today: LocalDate,
  volunteerId?: string,
) => Promise<{ volunteerId: string; carerId: string; name: string; email: string | null }[]>;

/** The school's pupils' names (not archived), to see whether a message names one. */
export async function pupilNamesOf(db: Db, schoolId: string): Promise<PupilName[]> {
  return db.selectFrom('pupils').select(['given_name', 'preferred_name', 'family_name']).where('school_id', '=', schoolId).where('archived_at', 'is', null).execute();
}

/** The request asked most recently for a message's language, with the volunteer's name (for the staff page). */
export async function latestRequest(db: Db, schoolId: string, messageId: string, language: string) {
  return db
    .selectFrom('translation_requests as r')
    .innerJoin('carers', (j) => j.onRef('carers.id', '=', 'r.carer_id').onRef('carers.school_id', '=', 'r.school_id'))
    .select(['r.id', 'r.status', 'r.asked_at', 'r.answered_at', 'r.volunteer_id', 'carers.given_name', 'carers.family_name'])
    .where('r.school_id', '=', schoolId)
    .where('r.message_id', '=', messageId)
    .where('r.language', '=', language)
    .orderBy('r.asked_at', 'desc')
    .orderBy('r.id', 'desc')
    .executeTakeFirst();
}

export type AskResult = { ok: true; requestId: string } | { ok: false; problem: string };

/**
 * Ask a translating volunteer to translate a message into a language: the message must still be open,
 * name no pupil, and have no checked translation in that language, and the volunteer must be offered
 * today (volunteering's translatorsFor). A volunteer asked before for the same language is told no
 * more (their request is cancelled). Records the request (audited), marks the translation requested,
 * and emails the volunteer a link through the outbox, all in one transaction.
 */
export async function askVolunteer(
  db: Db,
  dialect: Dialect,
  actor: StaffActor,
  input: { messageId: string; language: string; volunteerId: string },
  ctx: { today: LocalDate; now: Date; baseUrl: string; schoolName: string; translatorsFor: TranslatorsFor },
): Promise<AskResult> {
  const at = ctx.now.toISOString();
  return db.transaction().execute(async (trx): Promise<AskResult> => {
    const message = (await lockMessageForChange(trx, dialect, input.messageId)) as MessageTable | undefined;
    if (!message || message.school_id !== actor.schoolId) return { ok: false, problem: 'No such message' };
    if (!translationsOpen(message.status)) return { ok: false, problem: 'This message has been sent, so its translations can no longer be changed.' };
    const refused = volunteerRefusal(message, await pupilNamesOf(trx, actor.schoolId));
    if (refused) return { ok: false, problem: refused };
    const existing = await trx.selectFrom('message_translations').selectAll().where('message_id', '=', message.id).where('language', '=', input.language).executeTakeFirst();
    if (existing?.status === 'checked') return { ok: false, problem: `The ${input.language} translation is checked already: it needs no volunteer.` };
    const [volunteer] = await ctx.translatorsFor(trx, actor.schoolId, input.language, ctx.today, input.volunteerId);
    if (!volunteer) return { ok: false, problem: `Choose a volunteer from the list: only approved translators into ${input.language}, not past their review, can be asked.` };

    const earlier = await trx
      .selectFrom('translation_requests')
      .select(['id', 'carer_id'])
      .where('school_id', '=', actor.schoolId)
      .where('message_id', '=', message.id)
      .where('language', '=', input.language)
      .where('status', '=', 'asked')
      .execute();
    for (const e of earlier) {
      await trx.updateTable('translation_requests').set({ status: 'cancelled', answered_at: at }).where('id', '=', e.id).where('status', '=', 'asked').execute();
      await audit(
        trx,
        actor,
        { schoolId: actor.schoolId, action: 'translation.volunteer_cancelled', entity: 'translation_request', entityId: e.id, before: { status: 'asked' }, after: { status: 'cancelled' } },
        ctx.now,
      );
    }

    const requestId = newId();
    await trx
      .insertInto('translation_requests')
      .values({
        id: requestId,
        school_id: actor.schoolId,
        message_id: message.id,
        language: input.language,
        volunteer_id: volunteer.volunteerId,
        carer_id: volunteer.carerId,
        status: 'asked',
        asked_by: actor.id,
        asked_at: at,
        answered_at: null,
      })
      .execute();
    if (!existing)
      await trx
        .insertInto('message_translations')
        .values({
          id: newId(),
          school_id: actor.schoolId,
          message_id: message.id,
          language: input.language,
          subject: '',
          body: '',
          source: 'person',
          status: 'requested',
          written_by: null,
          written_by_carer: null,
          checked_by: null,
          updated_at: at,
        })
        .execute();
    await audit(
      trx,
      actor,
      {
        schoolId: actor.schoolId,
        action: 'translation.volunteer_asked',
        entity: 'translation_request',
        entityId: requestId,
        after: { message_id: message.id, language: input.language, volunteer_id: volunteer.volunteerId, carer_id: volunteer.carerId },
      },
      ctx.now,
    );

    const carer = await trx.selectFrom('carers').select(['email', 'given_name', 'preferred_language']).where('school_id', '=', actor.schoolId).where('id', '=', volunteer.carerId).executeTakeFirst();
    if (carer?.email) {
      const link = absoluteLink(ctx.baseUrl, `/my-volunteering/translations/${requestId}`);
      const own = await textForSchool(trx, actor.schoolId, carerLanguage(carer.preferred_language).code, ctx.now);
      const inEnglish = await textForSchool(trx, actor.schoolId, ENGLISH, ctx.now);
      const email = bilingualEmail(
        own,
        (t) => ({
          subject: t('messages.volunteer.email.subject', { language: languageName(t.code, input.language, { inSentence: true }) }),
          text: [
            t('messages.volunteer.email.greeting', { name: carer.given_name }),
            t('messages.volunteer.email.body', { language: languageName(t.code, input.language, { inSentence: true }) }),
            `${t('messages.volunteer.email.link')} ${link}`,
            ctx.schoolName,
          ].join('\n\n'),
        }),
        inEnglish,
      );
      await enqueue(
        trx,
        [{ channel: 'email', schoolId: actor.schoolId, key: `translation-request:${requestId}`, ref: requestId, payload: { to: carer.email, subject: email.subject, text: email.text } }],
        ctx.now,
      );
    }
    return { ok: true, requestId };
  });
}

/** A request as its volunteer sees it: only theirs (anyone else: undefined, so 404), with the message's English words. */
export async function requestForVolunteer(db: Db, schoolId: string, carerId: string, requestId: string) {
  const r = await db.selectFrom('translation_requests').selectAll().where('school_id', '=', schoolId).where('id', '=', requestId).where('carer_id', '=', carerId).executeTakeFirst();
  if (!r) return undefined;
  const message = await db.selectFrom('messages').select(['id', 'status', 'subject', 'body']).where('school_id', '=', schoolId).where('id', '=', r.message_id).executeTakeFirstOrThrow();
  const translation = await db.selectFrom('message_translations').selectAll().where('message_id', '=', r.message_id).where('language', '=', r.language).executeTakeFirst();
  return { r, message, translation };
}

/** Whether the volunteer may still be asked (approved, in date, not restricted) today. */
export async function volunteerState(
  db: Db,
  schoolId: string,
  loaded: NonNullable<Awaited<ReturnType<typeof requestForVolunteer>>>,
  today: LocalDate,
  translatorsFor: TranslatorsFor,
): Promise<VolunteerPageState> {
  const stillOffered = (await translatorsFor(db, schoolId, loaded.r.language, today, loaded.r.volunteer_id)).length === 1;
  return volunteerPageState(loaded.r, loaded.message, loaded.translation, stillOffered);
}

/**
 * The volunteer saves their translation: it becomes "written" by them (a carer, not staff: written_by
 * is null, written_by_carer is theirs), to be checked by a member of staff. Refused (the state says why)
 * once the message is sent, the translation checked, the request closed, or someone else wrote it.
 */
export async function volunteerWrites(
  db: Db,
  dialect: Dialect,
  actor: CarerActor,
  requestId: string,
  input: { subject: string; body: string },
  today: LocalDate,
  now: Date,
  translatorsFor: TranslatorsFor,
): Promise<VolunteerPageState> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx): Promise<VolunteerPageState> => {
    const loaded = await requestForVolunteer(trx, actor.schoolId, actor.id, requestId);
    if (!loaded) return 'cancelled';
    await lockMessageForChange(trx, dialect, loaded.message.id);
    const state = await volunteerState(trx, actor.schoolId, loaded, today, translatorsFor);
    if (state !== 'open') return state;
    const { r, translation } = loaded;
    const fields = { subject: input.subject, body: input.body, source: 'person' as const, status: 'written' as const, written_by: null, written_by_carer: actor.id, checked_by: null, updated_at: at };
    const id = translation?.id ?? newId();
    if (translation) await trx.updateTable('message_translations').set(fields).where('id', '=', id).execute();
    else
      await trx
        .insertInto('message_translations')
        .values({ id, school_id: actor.schoolId, message_id: r.message_id, language: r.language, ...fields })
        .execute();
    await trx.updateTable('translation_requests').set({ status: 'written', answered_at: at }).where('id', '=', r.id).execute();
    await audit(
      trx,
      actor,
      {
        schoolId: actor.schoolId,
        action: 'translation.written_by_volunteer',
        entity: 'message_translation',
        entityId: id,
        before: translation ? { status: translation.status, subject: translation.subject, body: translation.body } : undefined,
        after: { message_id: r.message_id, language: r.language, request_id: r.id, status: 'written', subject: input.subject, body: input.body, written_by_carer: actor.id },
      },
      now,
    );
    return 'open';
  });
}

/** "I can't do this one": the request is declined (compare-and-set from asked), audited; the school can ask someone else. */
export async function volunteerDeclines(db: Db, actor: CarerActor, requestId: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('translation_requests')
      .set({ status: 'declined', answered_at: now.toISOString() })
      .where('school_id', '=', actor.schoolId)
      .where('id', '=', requestId)
      .where('carer_id', '=', actor.id)
      .where('status', '=', 'asked')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return false;
    await audit(
      trx,
      actor,
      { schoolId: actor.schoolId, action: 'translation.volunteer_declined', entity: 'translation_request', entityId: requestId, before: { status: 'asked' }, after: { status: 'declined' } },
      now,
    );
    return true;
  });
}
