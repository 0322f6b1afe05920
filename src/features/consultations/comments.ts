// Comments on a consultation: carers' and staff's comments, their themes and the school's answers,
// English versions checked by a second person, and a carer changing or withdrawing their own.
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { staffActor, type Consultation, type Db, type Done, type StaffActor } from './common.ts';

export type Author = { kind: 'carer'; carerId: string; language: string } | { kind: 'staff'; staffId: string };

/**
 * A comment as it is quoted to the DSL: the writer's own words and, once there is one, the English
 * version beside them (a comment in Polish is passed on with what the school understood it to say).
 */
export const commentWords = (c: { body: string; english: string | null }) => (c.english ? `${c.body}\n\nIn English: ${c.english}` : c.body);

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
