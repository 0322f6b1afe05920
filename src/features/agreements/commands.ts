import type { Kysely } from 'kysely';
import type { AgreementVersionTable, Database, LocalDate } from '../../db/schema.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { bilingualEmail } from '../../platform/i18n/email.ts';
import { ENGLISH, carerLanguage } from '../../platform/i18n/languages.ts';
import { textForSchool } from '../../platform/i18n/plugin.ts';
import { enqueue, type OutboxItem } from '../../platform/outbox/outbox.ts';
import { newId } from '../../platform/ids.ts';
import { whoMayHear } from '../../platform/access/hear.ts';
import { lines, type VersionInput } from './agreement.ts';
import { obligations, promisesOf, signingState, versionsOf } from './queries.ts';

type Db = Kysely<Database>;
export type Done = { ok: true } | { ok: false; field: string; message: string };

const STARTER = {
  title: 'Our home-school agreement',
  carers_text: 'Make sure your child comes to school on time, every day\nTell us about anything that may affect your child\nRead with your child at home',
  pupils_text: 'Be kind and listen to others\nTry my best\nLook after our school',
};

/**
 * A new draft: a copy of the current version (or a starter) to change. One draft at a time: asked
 * again, the draft already there is the answer.
 */
export async function startDraft(db: Db, actor: Actor & { kind: 'staff' }, now: Date): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const versions = await versionsOf(trx, actor.schoolId);
    const draft = versions.find((v) => v.status === 'draft');
    if (draft) return draft.id;
    const from = versions[0];
    const id = newId();
    const at = now.toISOString();
    await trx
      .insertInto('agreement_versions')
      .values({
        id,
        school_id: actor.schoolId,
        version: (from?.version ?? 0) + 1,
        status: 'draft',
        title: from?.title ?? STARTER.title,
        carers_text: from?.carers_text ?? STARTER.carers_text,
        pupils_text: from?.pupils_text ?? STARTER.pupils_text,
        asks_resigning: from ? 0 : 1,
        change_note: null,
        published_at: null,
        published_by: null,
        created_by: actor.id,
        created_at: at,
        updated_at: at,
      })
      .execute();
    const promises = from ? await promisesOf(trx, from.id) : [];
    if (promises.length)
      await trx
        .insertInto('agreement_promises')
        .values(promises.map((p) => ({ id: newId(), school_id: actor.schoolId, version_id: id, position: p.position, text: p.text, measure: p.measure })))
        .execute();
    await audit(
      trx,
      actor,
      { schoolId: actor.schoolId, action: 'agreement.drafted', entity: 'agreement_version', entityId: id, after: { version: (from?.version ?? 0) + 1, from: from?.id ?? null } },
      now,
    );
    return id;
  });
}

const draftGone = { ok: false as const, field: 'title', message: 'This version has been published, so it can no longer be changed. Start a new draft instead.' };

/** Save the draft's words and promises (a compare-and-set on the draft status). */
export async function saveDraft(db: Db, actor: Actor & { kind: 'staff' }, version: AgreementVersionTable, input: VersionInput, now: Date): Promise<Done> {
  return db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('agreement_versions')
      .set({ title: input.title, carers_text: input.carers_text, pupils_text: input.pupils_text, updated_at: now.toISOString() })
      .where('id', '=', version.id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return draftGone;
    const before = await promisesOf(trx, version.id);
    await trx.deleteFrom('agreement_promises').where('version_id', '=', version.id).execute();
    await trx
      .insertInto('agreement_promises')
      .values(input.promises.map((p, i) => ({ id: newId(), school_id: version.school_id, version_id: version.id, position: i + 1, text: p.text, measure: p.measure })))
      .execute();
    await audit(
      trx,
      actor,
      {
        schoolId: version.school_id,
        action: 'agreement.draft_saved',
        entity: 'agreement_version',
        entityId: version.id,
        before: { title: version.title, carers_text: version.carers_text, pupils_text: version.pupils_text, promises: before.map((p) => ({ text: p.text, measure: p.measure })) },
        after: input,
      },
      now,
    );
    return { ok: true };
  });
}

/**
 * Publish the draft. The first version always asks everyone to sign; a later one only when the
 * school says the change matters (then signatures on older versions stay where they are, and no
 * longer count). Saying what changed is required for a later version.
 */
export async function publish(db: Db, actor: Actor & { kind: 'staff' }, version: AgreementVersionTable, input: { asks_resigning: 'yes' | 'no'; change_note: string }, now: Date): Promise<Done> {
  if (version.version > 1 && input.change_note === '') return { ok: false, field: 'change_note', message: 'Say what changed in this version' };
  const asks = version.version === 1 || input.asks_resigning === 'yes' ? 1 : 0;
  return db.transaction().execute(async (trx) => {
    const promises = await promisesOf(trx, version.id);
    if (promises.length === 0) return { ok: false, field: 'asks_resigning', message: 'Write at least one thing the school will do before publishing' };
    const changed = await trx
      .updateTable('agreement_versions')
      .set({ status: 'published', asks_resigning: asks, change_note: input.change_note || null, published_at: now.toISOString(), published_by: actor.id, updated_at: now.toISOString() })
      .where('id', '=', version.id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return { ok: false, field: 'asks_resigning', message: 'This version has already been published.' };
    await audit(
      trx,
      actor,
      {
        schoolId: version.school_id,
        action: 'agreement.published',
        entity: 'agreement_version',
        entityId: version.id,
        before: { status: 'draft' },
        after: { status: 'published', version: version.version, asks_resigning: asks, change_note: input.change_note || null },
      },
      now,
    );
    return { ok: true };
  });
}

/**
 * A carer signs, in the portal, for the children chosen: only children they may hear about
 * (platform/access, purpose 'portal'), only on the current version; a signature already there is
 * kept (a double click signs once).
 */
export async function signAsCarer(
  db: Db,
  carer: { id: string; schoolId: string; ip?: string | null },
  pupilIds: string[],
  ctx: { language: string; today: LocalDate; now: Date },
): Promise<Done & { signed?: number }> {
  const state = await signingState(db, carer.schoolId);
  if (!state.current) return { ok: false, field: 'agree', message: 'There is no agreement to sign yet.' };
  const may = new Set((await whoMayHear(db, { schoolId: carer.schoolId, pupilIds, purpose: 'portal', today: ctx.today, carerIds: [carer.id] })).filter((a) => a.decision.may).map((a) => a.pupilId));
  const chosen = [...new Set(pupilIds)].filter((id) => may.has(id));
  if (chosen.length === 0) return { ok: false, field: 'pupil_ids', message: 'Choose the children you are signing for' };
  const version = state.current;
  return db.transaction().execute(async (trx) => {
    const already = new Set(
      (
        await trx
          .selectFrom('agreement_signatures')
          .select('pupil_id')
          .where('version_id', '=', version.id)
          .where('signer', '=', 'carer')
          .where('carer_id', '=', carer.id)
          .where('pupil_id', 'in', chosen)
          .execute()
      ).map((r) => r.pupil_id),
    );
    const rows = chosen
      .filter((id) => !already.has(id))
      .map((pupilId) => ({
        id: newId(),
        school_id: carer.schoolId,
        version_id: version.id,
        pupil_id: pupilId,
        signer: 'carer' as const,
        carer_id: carer.id,
        how: 'portal' as const,
        recorded_by: null,
        language: ctx.language,
        signed_on: ctx.today,
        created_at: ctx.now.toISOString(),
      }));
    if (rows.length === 0) return { ok: true, signed: 0 };
    await trx.insertInto('agreement_signatures').values(rows).execute();
    await audit(
      trx,
      { kind: 'carer', id: carer.id, schoolId: carer.schoolId, ip: carer.ip ?? null },
      {
        schoolId: carer.schoolId,
        action: 'agreement.signed',
        entity: 'agreement_version',
        entityId: version.id,
        after: { version: version.version, pupils: rows.map((r) => r.pupil_id), how: 'portal', language: ctx.language },
      },
      ctx.now,
    );
    return { ok: true, signed: rows.length };
  });
}

/** The office records a carer's paper signature: who signed, the date on the paper, and who recorded it. */
export async function recordPaper(db: Db, actor: Actor & { kind: 'staff' }, pupilId: string, input: { carer: string; signed_on: LocalDate }, ctx: { today: LocalDate; now: Date }): Promise<Done> {
  if (input.signed_on > ctx.today) return { ok: false, field: 'signed_on', message: 'The date on the paper copy cannot be in the future' };
  const state = await signingState(db, actor.schoolId);
  if (!state.current) return { ok: false, field: 'carer', message: 'There is no published agreement to sign yet.' };
  const answer = (await whoMayHear(db, { schoolId: actor.schoolId, pupilIds: [pupilId], purpose: 'portal', today: ctx.today, carerIds: [input.carer] }))[0];
  if (!answer?.decision.may) return { ok: false, field: 'carer', message: 'Choose one of the carers asked to sign for this child' };
  const version = state.current;
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('agreement_signatures')
      .select('id')
      .where('version_id', '=', version.id)
      .where('signer', '=', 'carer')
      .where('carer_id', '=', input.carer)
      .where('pupil_id', '=', pupilId)
      .executeTakeFirst();
    if (existing) return { ok: false, field: 'carer', message: 'This carer has already signed this version' };
    const id = newId();
    await trx
      .insertInto('agreement_signatures')
      .values({
        id,
        school_id: actor.schoolId,
        version_id: version.id,
        pupil_id: pupilId,
        signer: 'carer',
        carer_id: input.carer,
        how: 'paper',
        recorded_by: actor.id,
        language: 'English',
        signed_on: input.signed_on,
        created_at: ctx.now.toISOString(),
      })
      .execute();
    await audit(
      trx,
      actor,
      {
        schoolId: actor.schoolId,
        action: 'agreement.paper_signature_recorded',
        entity: 'agreement_signature',
        entityId: id,
        after: { version: version.version, pupil_id: pupilId, carer_id: input.carer, signed_on: input.signed_on },
      },
      ctx.now,
    );
    return { ok: true };
  });
}

/** The class teacher records that a pupil (Year 3 up) signed with them. */
export async function recordPupil(db: Db, actor: Actor & { kind: 'staff' }, pupilId: string, input: { signed_on: LocalDate }, ctx: { today: LocalDate; now: Date }): Promise<Done> {
  if (input.signed_on > ctx.today) return { ok: false, field: 'signed_on', message: 'The date cannot be in the future' };
  const state = await signingState(db, actor.schoolId);
  if (!state.current) return { ok: false, field: 'signed_on', message: 'There is no published agreement to sign yet.' };
  const version = state.current;
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('agreement_signatures').select('id').where('version_id', '=', version.id).where('signer', '=', 'pupil').where('pupil_id', '=', pupilId).executeTakeFirst();
    if (existing) return { ok: false, field: 'signed_on', message: 'This pupil has already signed this version' };
    const id = newId();
    await trx
      .insertInto('agreement_signatures')
      .values({
        id,
        school_id: actor.schoolId,
        version_id: version.id,
        pupil_id: pupilId,
        signer: 'pupil',
        carer_id: null,
        how: 'in_class',
        recorded_by: actor.id,
        language: 'English',
        signed_on: input.signed_on,
        created_at: ctx.now.toISOString(),
      })
      .execute();
    await audit(
      trx,
      actor,
      { schoolId: actor.schoolId, action: 'agreement.pupil_signed', entity: 'agreement_signature', entityId: id, after: { version: version.version, pupil_id: pupilId, signed_on: input.signed_on } },
      ctx.now,
    );
    return { ok: true };
  });
}

/** "Kuba and Ola", "Kuba i Ola": the children's names joined as the reader's language joins a list. */
function together(t: Text, names: string[]): string {
  return new Intl.ListFormat(t.code === ENGLISH ? 'en-GB' : t.code, { type: 'conjunction' }).format(names);
}

/**
 * Remind every carer with a child they have not signed for: an email (or a text when they have no
 * email) through the outbox, at most one a day each, in the carer's language with the school's own
 * words (the English beneath in an email). Carers with neither are counted for a paper copy.
 */
export async function sendReminders(
  db: Db,
  actor: Actor & { kind: 'staff' },
  ctx: { today: LocalDate; now: Date; baseUrl: string; schoolName: string },
): Promise<{ sent: number; paper: number } | null> {
  const state = await signingState(db, actor.schoolId);
  if (!state.current) {
    await audit(
      db,
      actor,
      { schoolId: actor.schoolId, action: 'agreement.reminders_sent', entity: 'agreement_version', entityId: null, after: { reminded: 0, paper: 0, on: ctx.today, reason: 'nothing published' } },
      ctx.now,
    );
    return null;
  }
  const owing = new Map<string, string[]>();
  for (const o of await obligations(db, actor.schoolId, ctx.today)) {
    if (o.signer === 'carer' && !o.signed && o.carerId) owing.set(o.carerId, [...(owing.get(o.carerId) ?? []), o.pupilName.split(' ')[0]!]);
  }
  const carers = await db
    .selectFrom('carers')
    .select(['id', 'email', 'mobile', 'preferred_language'])
    .where('school_id', '=', actor.schoolId)
    .where('id', 'in', [...owing.keys()])
    .execute();
  const link = `${ctx.baseUrl.replace(/\/$/, '')}/agreement`;
  const texts = new Map<string, Text>();
  const textFor = async (code: string) => {
    if (!texts.has(code)) texts.set(code, await textForSchool(db, actor.schoolId, code, ctx.now));
    return texts.get(code)!;
  };
  const inEnglish = await textFor(ENGLISH);
  const items: OutboxItem[] = [];
  let paper = 0;
  for (const c of carers) {
    const own = await textFor(carerLanguage(c.preferred_language).code);
    const words = (t: Text) => ({ school: ctx.schoolName, children: together(t, owing.get(c.id)!), link });
    const key = `agreement-reminder:${state.current.id}:${c.id}:${ctx.today}`;
    if (c.email)
      items.push({
        channel: 'email',
        schoolId: actor.schoolId,
        key,
        ref: state.current.id,
        payload: {
          to: c.email,
          ...bilingualEmail(
            own,
            (t) => ({
              subject: t('agreement.reminder.subject', words(t)),
              text: [t('agreement.reminder.asks', words(t)), '', t('agreement.reminder.link', words(t)), '', t('agreement.paper')].join('\n'),
            }),
            inEnglish,
          ),
        },
      });
    else if (c.mobile)
      items.push({
        channel: 'sms',
        schoolId: actor.schoolId,
        key,
        ref: state.current.id,
        payload: { to: c.mobile, text: own('agreement.reminder.sms', words(own)) },
      });
    else paper += 1;
  }
  await db.transaction().execute(async (trx) => {
    await enqueue(trx, items, ctx.now);
    await audit(
      trx,
      actor,
      { schoolId: actor.schoolId, action: 'agreement.reminders_sent', entity: 'agreement_version', entityId: state.current!.id, after: { reminded: items.length, paper, on: ctx.today } },
      ctx.now,
    );
  });
  return { sent: items.length, paper };
}

/** The governors' yearly review, recorded against the version current on the day it is recorded. */
export async function recordReview(
  db: Db,
  actor: Actor & { kind: 'staff' },
  input: { reviewed_on: LocalDate; reviewers: string; minutes: string; changes: string },
  ctx: { today: LocalDate; now: Date },
): Promise<Done> {
  if (input.reviewed_on > ctx.today) return { ok: false, field: 'reviewed_on', message: 'The date of the review cannot be in the future' };
  const state = await signingState(db, actor.schoolId);
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('agreement_reviews')
      .values({ id, school_id: actor.schoolId, version_id: state.current?.id ?? null, ...input, recorded_by: actor.id, created_at: ctx.now.toISOString() })
      .execute();
    await audit(
      trx,
      actor,
      { schoolId: actor.schoolId, action: 'agreement.reviewed', entity: 'agreement_review', entityId: id, after: { ...input, version: state.current?.version ?? null } },
      ctx.now,
    );
  });
  return { ok: true };
}

export { lines };
