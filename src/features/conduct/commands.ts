import type { Db } from '../../db/database.ts';
import type { ConductArrangementKind, LocalDate } from '../../db/schema.ts';
import { audit } from '../../platform/audit/audit.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { newId } from '../../platform/ids.ts';
import { banLetter, type CarerLetterIn, closureLetter, contactLetter, reviewProblem } from './conduct.ts';
import { carerOf, contactChoices, inForce, staffNameOf } from './queries.ts';

/**
 * Changes to a carer's conduct record. Each writes its audit entry in the same transaction (the
 * facts and dates, never the words typed about the carer) and each letter goes through the outbox
 * in that transaction: by email when the carer takes emails, otherwise it is kept to print. A letter is
 * in the carer's language with the English beneath (concerns' lettersAboutCarer, given through Ctx), and so is the copy kept to print.
 */
export type By = { staffId: string; schoolId: string; ip?: string | null };
/**
 * Sends a carer's letter in their language with the English beneath, by email when they take emails,
 * otherwise kept to print: concerns' lettersAboutCarer, given by src/app.ts (conduct cannot import concerns).
 */
export type CarerLetters = (db: Db, c: { schoolId: string; schoolName: string; today: LocalDate; carerId: string; ref: string; key: string; now: Date }, letter: CarerLetterIn) => Promise<Written>;
export type Written = { sentBy: 'email' | 'paper'; subject: string; text: string; send: (trx: Db, now: Date) => Promise<void> };
/**
 * Sends a public complainant's letter (a complaint from the public form has no carer): by email to the
 * address they gave, in English (concerns' lettersToPublicComplainant, given by the caller).
 */
export type PublicLetters = (db: Db, c: { schoolId: string; schoolName: string; publicComplaintId: string; ref: string; key: string; now: Date }, letter: CarerLetterIn) => Promise<Written>;
/** `letters` only for the commands that write to the carer; `publicLetters` for closing a public complainant's complaint. */
export type Ctx = { now: Date; letters: CarerLetters; publicLetters?: PublicLetters };
/** Whose complaint: a carer's (by id), or a public complainant's (their public complaint's id). */
export type Complainant = string | { publicComplaintId: string };
type Now = { now: Date };
export type Done = { ok: true; id: string; sentBy?: 'email' | 'paper' } | { ok: false; field: string; message: string };

const actor = (by: By) => ({ kind: 'staff' as const, id: by.staffId, schoolId: by.schoolId, ip: by.ip ?? null });

async function todayOf(db: Db, schoolId: string, now: Date): Promise<{ today: LocalDate; schoolName: string }> {
  const school = await db.selectFrom('schools').select(['name', 'time_zone']).where('id', '=', schoolId).executeTakeFirstOrThrow();
  return { today: localDate(now, school.time_zone), schoolName: school.name };
}

/** A conduct letter, prepared before the transaction (what the head wrote may be machine translated). */
const prepare = (db: Db, schoolId: string, schoolName: string, today: LocalDate, carerId: string, ref: string, key: string, letter: CarerLetterIn, ctx: Ctx) =>
  ctx.letters(db, { schoolId, schoolName, today, carerId, ref, key, now: ctx.now }, letter);

async function send(trx: Db, w: Written, now: Date): Promise<'email' | 'paper'> {
  await w.send(trx, now);
  return w.sentBy;
}

export async function recordIncident(db: Db, by: By, carerId: string, input: { happened_on: LocalDate; what: string }, ctx: Now): Promise<Done> {
  const { today } = await todayOf(db, by.schoolId, ctx.now);
  if (input.happened_on > today) return { ok: false, field: 'happened_on', message: 'The date it happened must be today or before' };
  const id = newId();
  const at = ctx.now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('conduct_incidents')
      .values({ id, school_id: by.schoolId, carer_id: carerId, happened_on: input.happened_on, what: input.what, recorded_by: by.staffId, created_at: at })
      .execute();
    await audit(
      trx,
      actor(by),
      { schoolId: by.schoolId, action: 'conduct.incident_recorded', entity: 'carer', entityId: carerId, after: { incident_id: id, happened_on: input.happened_on } },
      ctx.now,
    );
  });
  return { ok: true, id };
}

/** A single point of contact: replaces one already in force (ended in the same transaction); the carer is told who it is. */
export async function setSingleContact(db: Db, by: By, carerId: string, input: { contact: string; reason: string; review_on: LocalDate }, ctx: Ctx): Promise<Done> {
  const { today, schoolName } = await todayOf(db, by.schoolId, ctx.now);
  const choices = await contactChoices(db, by.schoolId);
  const contact = choices.find((s) => s.id === input.contact);
  if (!contact) return { ok: false, field: 'contact', message: 'Choose someone on the staff from the list' };
  const problem = reviewProblem(input.review_on, today);
  if (problem) return { ok: false, field: 'review_on', message: problem };
  const carer = await carerOf(db, by.schoolId, carerId);
  if (!carer) return { ok: false, field: 'contact', message: 'This parent or carer is no longer on the school’s records' };
  const headName = (await staffNameOf(db, by.schoolId, by.staffId)) ?? '';
  const id = newId();
  const letter = await prepare(
    db,
    by.schoolId,
    schoolName,
    today,
    carerId,
    id,
    `conduct-contact:${id}`,
    contactLetter({ schoolName, headName, contactName: contact.name, reviewOn: input.review_on }),
    ctx,
  );
  const at = ctx.now.toISOString();
  const sentBy = await db.transaction().execute(async (trx) => {
    const previous = await inForce(trx, by.schoolId, carerId, 'single_contact');
    if (previous) {
      await trx.updateTable('conduct_arrangements').set({ ended_at: at, ended_by: by.staffId, updated_at: at }).where('id', '=', previous.id).where('ended_at', 'is', null).execute();
      await audit(
        trx,
        actor(by),
        { schoolId: by.schoolId, action: 'conduct.arrangement_ended', entity: 'carer', entityId: carerId, before: { arrangement_id: previous.id, kind: previous.kind }, after: { replaced_by: id } },
        ctx.now,
      );
    }
    const sent = await send(trx, letter, ctx.now);
    await trx
      .insertInto('conduct_arrangements')
      .values(row(id, by, carerId, 'single_contact', { contact: input.contact, reason: input.reason, startsOn: today, reviewOn: input.review_on, letter, sentBy: sent, at }))
      .execute();
    await audit(
      trx,
      actor(by),
      {
        schoolId: by.schoolId,
        action: 'conduct.single_contact_set',
        entity: 'carer',
        entityId: carerId,
        after: { arrangement_id: id, contact_staff_id: input.contact, review_on: input.review_on, letter_sent_by: sent },
      },
      ctx.now,
    );
    return sent;
  });
  return { ok: true, id, sentBy };
}

/** A ban from the premises, where safety was threatened: the head's letter is kept, sent by email when the carer takes emails, and printable. */
export async function recordBan(db: Db, by: By, carerId: string, input: { reason: string; starts_on: LocalDate; review_on: LocalDate; letter: string }, ctx: Ctx): Promise<Done> {
  const { today, schoolName } = await todayOf(db, by.schoolId, ctx.now);
  if (input.starts_on < today) return { ok: false, field: 'starts_on', message: 'The ban cannot start before today: the letter must reach them first' };
  const problem = reviewProblem(input.review_on, today);
  if (problem) return { ok: false, field: 'review_on', message: problem };
  if (input.review_on <= input.starts_on) return { ok: false, field: 'review_on', message: 'The review date must be after the ban starts' };
  const carer = await carerOf(db, by.schoolId, carerId);
  if (!carer) return { ok: false, field: 'reason', message: 'This parent or carer is no longer on the school’s records' };
  if (await inForce(db, by.schoolId, carerId, 'premises_ban')) return { ok: false, field: 'reason', message: 'A ban is already in force: review it instead' };
  const id = newId();
  const letter = await prepare(db, by.schoolId, schoolName, today, carerId, id, `conduct-ban:${id}`, banLetter({ schoolName, startsOn: input.starts_on, letter: input.letter }), ctx);
  const at = ctx.now.toISOString();
  try {
    const sentBy = await db.transaction().execute(async (trx) => {
      const sent = await send(trx, letter, ctx.now);
      await trx
        .insertInto('conduct_arrangements')
        .values(row(id, by, carerId, 'premises_ban', { contact: null, reason: input.reason, startsOn: input.starts_on, reviewOn: input.review_on, letter, sentBy: sent, at }))
        .execute();
      await audit(
        trx,
        actor(by),
        {
          schoolId: by.schoolId,
          action: 'conduct.premises_ban_recorded',
          entity: 'carer',
          entityId: carerId,
          after: { arrangement_id: id, starts_on: input.starts_on, review_on: input.review_on, letter_sent_by: sent },
        },
        ctx.now,
      );
      return sent;
    });
    return { ok: true, id, sentBy };
  } catch (error) {
    // Two heads pressing at once: the unique index on bans in force lets one through.
    if (await inForce(db, by.schoolId, carerId, 'premises_ban')) return { ok: false, field: 'reason', message: 'A ban is already in force: review it instead' };
    throw error;
  }
}

/** A review: the arrangement continues to a new review date, or ends. A compare-and-set on "still in force". */
export async function reviewArrangement(db: Db, by: By, carerId: string, arrangementId: string, input: { decision: 'continue' | 'end'; review_on: LocalDate | null }, ctx: Now): Promise<Done> {
  const { today } = await todayOf(db, by.schoolId, ctx.now);
  if (input.decision === 'continue') {
    if (!input.review_on) return { ok: false, field: 'review_on', message: 'Enter the date of the next review' };
    const problem = reviewProblem(input.review_on, today);
    if (problem) return { ok: false, field: 'review_on', message: problem };
  }
  const at = ctx.now.toISOString();
  return db.transaction().execute(async (trx): Promise<Done> => {
    const before = await trx
      .selectFrom('conduct_arrangements')
      .select(['kind', 'review_on'])
      .where('school_id', '=', by.schoolId)
      .where('carer_id', '=', carerId)
      .where('id', '=', arrangementId)
      .executeTakeFirst();
    if (!before) return { ok: false, field: 'decision', message: 'There is no such arrangement for this parent or carer' };
    const changes =
      input.decision === 'end'
        ? { ended_at: at, ended_by: by.staffId, reviewed_at: at, reviewed_by: by.staffId, updated_at: at }
        : { review_on: input.review_on!, reviewed_at: at, reviewed_by: by.staffId, updated_at: at };
    const result = await trx
      .updateTable('conduct_arrangements')
      .set(changes)
      .where('school_id', '=', by.schoolId)
      .where('carer_id', '=', carerId)
      .where('id', '=', arrangementId)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return { ok: false, field: 'decision', message: 'This arrangement has already ended' };
    await audit(
      trx,
      actor(by),
      {
        schoolId: by.schoolId,
        action: input.decision === 'end' ? 'conduct.arrangement_ended' : 'conduct.arrangement_reviewed',
        entity: 'carer',
        entityId: carerId,
        before: { arrangement_id: arrangementId, kind: before.kind, review_on: before.review_on },
        after: input.decision === 'end' ? { ended: true } : { review_on: input.review_on },
      },
      ctx.now,
    );
    return { ok: true, id: arrangementId };
  });
}

/**
 * A complaint closed as serial or vexatious: the reason and the DfE route go to the complainant in a
 * letter. One closure per complaint. A carer's (their letter in their language) or, the same way, a
 * public complainant's (emailed in English through `ctx.publicLetters`).
 */
export async function closeComplaint(
  db: Db,
  by: By,
  who: Complainant,
  input: { complaint: string; grounds: 'serial' | 'vexatious'; reason: string; dfe_route: string; review_on: LocalDate },
  ctx: Ctx,
): Promise<Done> {
  const { today, schoolName } = await todayOf(db, by.schoolId, ctx.now);
  const carerId = typeof who === 'string' ? who : null;
  let found = db.selectFrom('complaints').select(['id', 'received_on']).where('school_id', '=', by.schoolId).where('id', '=', input.complaint);
  found = carerId ? found.where('carer_id', '=', carerId) : found.where('public_complaint_id', '=', (who as { publicComplaintId: string }).publicComplaintId);
  const complaint = await found.executeTakeFirst();
  if (!complaint) return { ok: false, field: 'complaint', message: carerId ? 'Choose one of this parent or carer’s complaints' : 'This complaint has not been taken on' };
  const problem = reviewProblem(input.review_on, today);
  if (problem) return { ok: false, field: 'review_on', message: problem };
  if (carerId && !(await carerOf(db, by.schoolId, carerId))) return { ok: false, field: 'complaint', message: 'This parent or carer is no longer on the school’s records' };
  const closed = await db.selectFrom('complaint_closures').select('id').where('school_id', '=', by.schoolId).where('complaint_id', '=', complaint.id).executeTakeFirst();
  if (closed) return { ok: false, field: 'complaint', message: 'This complaint has already been closed' };
  const headName = (await staffNameOf(db, by.schoolId, by.staffId)) ?? '';
  const id = newId();
  const words = closureLetter({ schoolName, headName, grounds: input.grounds, reason: input.reason, dfeRoute: input.dfe_route, receivedOn: complaint.received_on });
  const key = `complaint-closed:${complaint.id}`;
  const letter = carerId
    ? await prepare(db, by.schoolId, schoolName, today, carerId, complaint.id, key, words, ctx)
    : await ctx.publicLetters!(db, { schoolId: by.schoolId, schoolName, publicComplaintId: (who as { publicComplaintId: string }).publicComplaintId, ref: complaint.id, key, now: ctx.now }, words);
  try {
    const sentBy = await db.transaction().execute(async (trx) => {
      const sent = await send(trx, letter, ctx.now);
      await trx
        .insertInto('complaint_closures')
        .values({
          id,
          school_id: by.schoolId,
          complaint_id: complaint.id,
          carer_id: carerId,
          grounds: input.grounds,
          reason: input.reason,
          dfe_route: input.dfe_route,
          review_on: input.review_on,
          letter_sent_by: sent,
          decided_by: by.staffId,
          decided_on: today,
          reviewed_at: null,
          reviewed_by: null,
          created_at: ctx.now.toISOString(),
        })
        .execute();
      await audit(
        trx,
        actor(by),
        {
          schoolId: by.schoolId,
          action: 'complaint.closed_unreasonable',
          entity: 'complaint',
          entityId: complaint.id,
          after: {
            closure_id: id,
            grounds: input.grounds,
            review_on: input.review_on,
            letter_sent_by: sent,
            ...(carerId ? {} : { public_complaint_id: (who as { publicComplaintId: string }).publicComplaintId }),
          },
        },
        ctx.now,
      );
      return sent;
    });
    return { ok: true, id, sentBy };
  } catch (error) {
    if (await db.selectFrom('complaint_closures').select('id').where('school_id', '=', by.schoolId).where('complaint_id', '=', complaint.id).executeTakeFirst()) {
      return { ok: false, field: 'complaint', message: 'This complaint has already been closed' };
    }
    throw error;
  }
}

/** The closure was looked at again by its review date (the decision stands; a new complaint is a new complaint). */
export async function reviewClosure(db: Db, by: By, who: Complainant, closureId: string, ctx: Now): Promise<Done> {
  const at = ctx.now.toISOString();
  return db.transaction().execute(async (trx): Promise<Done> => {
    let update = trx
      .updateTable('complaint_closures')
      .set({ reviewed_at: at, reviewed_by: by.staffId })
      .where('school_id', '=', by.schoolId)
      .where('id', '=', closureId)
      .where('reviewed_at', 'is', null);
    update =
      typeof who === 'string'
        ? update.where('carer_id', '=', who)
        : update.where('complaint_id', 'in', trx.selectFrom('complaints').select('id').where('school_id', '=', by.schoolId).where('public_complaint_id', '=', who.publicComplaintId));
    const result = await update.executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return { ok: false, field: 'closure', message: 'This closure has already been reviewed' };
    const [entity, entityId] = typeof who === 'string' ? ['carer', who] : ['public_complaint', who.publicComplaintId];
    await audit(trx, actor(by), { schoolId: by.schoolId, action: 'complaint.closure_reviewed', entity, entityId, after: { closure_id: closureId } }, ctx.now);
    return { ok: true, id: closureId };
  });
}

function row(
  id: string,
  by: By,
  carerId: string,
  kind: ConductArrangementKind,
  a: { contact: string | null; reason: string; startsOn: LocalDate; reviewOn: LocalDate; letter: { subject: string; text: string }; sentBy: 'email' | 'paper'; at: string },
) {
  return {
    id,
    school_id: by.schoolId,
    carer_id: carerId,
    kind,
    contact_staff_id: a.contact,
    reason: a.reason,
    starts_on: a.startsOn,
    review_on: a.reviewOn,
    letter_subject: a.letter.subject,
    letter_text: a.letter.text,
    letter_sent_by: a.sentBy,
    set_by: by.staffId,
    reviewed_at: null,
    reviewed_by: null,
    ended_at: null,
    ended_by: null,
    created_at: a.at,
    updated_at: a.at,
  };
}
