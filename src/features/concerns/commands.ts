import type { Db } from '../../db/database.ts';
import { alertStaff } from '../../platform/alerts/alerts.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { schoolCalendar } from '../../platform/calendar/calendar-queries.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { newId } from '../../platform/ids.ts';
import { closingSummary, dueOn, passedOn, type CloseInput, type EntryInput, type TriageInput } from './concerns.ts';
import { prepareLetter, sendLetter, type NotifyContext } from './notify.ts';
import { childName, possibleOwners, pupilOf, staffNameOf, type Concern } from './queries.ts';
import { alertLeadsAbout, concernLink } from './safeguarding.ts';

/**
 * Working on a concern: triage (owner, category, due date in school days), contacts and notes,
 * marking words as safeguarding, closing with a summary to the family. Each is one transaction with
 * its audit entry (never the words); state changes are compare-and-set. They trust the caller to
 * have checked the person may do it (the routes do; the demo loader calls them directly).
 */
export type StaffBy = { staffId: string; schoolId: string; ip?: string | null };
export type Failure<F extends string> = { ok: false; field: F; message: string };
type Ctx = Omit<NotifyContext, 'today'>;

const actor = (by: StaffBy): Actor => ({ kind: 'staff', id: by.staffId, schoolId: by.schoolId, ip: by.ip ?? null });
const RACE = 'Someone changed this concern at the same moment. Check it and try again';

async function schoolOf(db: Db, schoolId: string, now: Date) {
  const school = await db.selectFrom('schools').select(['name', 'time_zone']).where('id', '=', schoolId).executeTakeFirstOrThrow();
  return { ...school, today: localDate(now, school.time_zone) };
}

/** Pass it to an owner, with a category and a due date `school_days` school days from today. The family hears who and by when. */
export async function triageConcern(db: Db, by: StaffBy, concern: Concern, input: TriageInput, ctx: Ctx): Promise<{ ok: true; dueOn: string } | Failure<'owner' | 'school_days'>> {
  if (concern.status === 'closed' || concern.status === 'resolved') return { ok: false, field: 'owner', message: 'This concern is closed. If the family says it is not resolved, it opens again' };
  const owners = await possibleOwners(db, by.schoolId);
  if (!owners.some((o) => o.id === input.owner)) return { ok: false, field: 'owner', message: 'Choose a member of staff to deal with it' };
  const school = await schoolOf(db, by.schoolId, ctx.now);
  const due = dueOn(await schoolCalendar(db, by.schoolId), school.today, input.school_days);
  const [pupil, ownerName] = await Promise.all([pupilOf(db, by.schoolId, concern.pupil_id), staffNameOf(db, by.schoolId, input.owner)]);
  const tell = concern.owner_id !== input.owner || concern.due_on !== due || concern.status === 'new';
  const at = ctx.now.toISOString();
  const letter = tell
    ? await prepareLetter(
        db,
        { ...ctx, today: school.today },
        { schoolId: by.schoolId, schoolName: school.name, concernId: concern.id, carerId: concern.carer_id, pupilId: concern.pupil_id, key: `concern-passed-on:${concern.id}:${at}` },
        passedOn({ childName: childName(pupil), ownerName: ownerName!, dueOn: due, schoolName: school.name }),
      )
    : null;
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('concerns')
      .set({ status: 'open', owner_id: input.owner, category: input.category, due_on: due, triaged_by: by.staffId, triaged_at: at, updated_at: at })
      .where('id', '=', concern.id)
      .where('school_id', '=', by.schoolId)
      .where('status', '=', concern.status)
      .where('updated_at', '=', concern.updated_at)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return { ok: false as const, field: 'owner' as const, message: RACE };
    await audit(
      trx,
      actor(by),
      {
        schoolId: by.schoolId,
        action: 'concern.passed_on',
        entity: 'concern',
        entityId: concern.id,
        before: { status: concern.status, owner_id: concern.owner_id, category: concern.category, due_on: concern.due_on },
        after: { status: 'open', owner_id: input.owner, category: input.category, due_on: due, school_days: input.school_days, told: letter?.channel ?? 'no change to tell' },
      },
      ctx.now,
    );
    if (letter) await sendLetter(trx, letter, ctx.now);
    if (input.owner !== by.staffId && input.owner !== concern.owner_id) {
      await alertStaff(
        trx,
        {
          schoolId: by.schoolId,
          staffIds: [input.owner],
          kind: 'referral',
          title: 'A concern from a family was passed to you to deal with',
          link: concernLink(concern.id),
          key: `concern-owner:${concern.id}:${at}`,
        },
        ctx.now,
        ctx.baseUrl,
      );
    }
    return { ok: true as const, dueOn: due };
  });
}

/** A contact with the family (how, what was said) or a note; either may be marked as safeguarding. */
export async function addEntry(db: Db, by: StaffBy, concern: Concern, input: EntryInput, ctx: Ctx): Promise<{ id: string }> {
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('concern_entries')
      .values({
        id,
        school_id: by.schoolId,
        concern_id: concern.id,
        kind: input.kind,
        body: input.body,
        contact_how: input.contactHow,
        safeguarding: input.safeguarding,
        written_by_kind: 'staff',
        staff_id: by.staffId,
        carer_id: null,
        created_at: ctx.now.toISOString(),
      })
      .execute();
    await trx.updateTable('concerns').set({ updated_at: ctx.now.toISOString() }).where('id', '=', concern.id).where('school_id', '=', by.schoolId).execute();
    const how = input.contactHow ? { contact_how: input.contactHow } : {};
    await audit(
      trx,
      actor(by),
      { schoolId: by.schoolId, action: `concern_entry.added`, entity: 'concern_entry', entityId: id, after: { concern_id: concern.id, kind: input.kind, ...how, safeguarding: input.safeguarding } },
      ctx.now,
    );
    if (input.safeguarding) await alertLeadsAbout(trx, by.schoolId, concern.id, id, by.staffId, ctx);
  });
  return { id };
}

/** Mark words already in the concern as safeguarding (once): the DSL is alerted, everyone else stops seeing them. */
export async function markEntrySafeguarding(db: Db, by: StaffBy, concernId: string, entryId: string, ctx: Ctx): Promise<'marked' | 'already' | 'missing'> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('concern_entries')
      .set({ safeguarding: 1 })
      .where('id', '=', entryId)
      .where('concern_id', '=', concernId)
      .where('school_id', '=', by.schoolId)
      .where('safeguarding', '=', 0)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      const exists = await trx.selectFrom('concern_entries').select('id').where('id', '=', entryId).where('concern_id', '=', concernId).where('school_id', '=', by.schoolId).executeTakeFirst();
      return exists ? 'already' : 'missing';
    }
    await audit(
      trx,
      actor(by),
      {
        schoolId: by.schoolId,
        action: 'concern_entry.marked_safeguarding',
        entity: 'concern_entry',
        entityId: entryId,
        before: { safeguarding: 0 },
        after: { safeguarding: 1, concern_id: concernId },
      },
      ctx.now,
    );
    await alertLeadsAbout(trx, by.schoolId, concernId, entryId, by.staffId, ctx);
    return 'marked';
  });
}

/** Close it: the outcome is kept and sent to the family, who are asked "resolved? yes / not yet". */
export async function closeConcern(db: Db, by: StaffBy, concern: Concern, input: CloseInput, ctx: Ctx): Promise<{ ok: true; told: string } | Failure<'outcome'>> {
  if (concern.status !== 'open') {
    return { ok: false, field: 'outcome', message: concern.status === 'new' ? 'Pass the concern to someone to deal with before closing it' : 'This concern is already closed' };
  }
  const school = await schoolOf(db, by.schoolId, ctx.now);
  const [pupil, ownerName] = await Promise.all([pupilOf(db, by.schoolId, concern.pupil_id), staffNameOf(db, by.schoolId, concern.owner_id ?? by.staffId)]);
  const at = ctx.now.toISOString();
  const letter = await prepareLetter(
    db,
    { ...ctx, today: school.today },
    { schoolId: by.schoolId, schoolName: school.name, concernId: concern.id, carerId: concern.carer_id, pupilId: concern.pupil_id, key: `concern-closed:${concern.id}:${concern.reopened_count}` },
    closingSummary({ childName: childName(pupil), ownerName: ownerName ?? null, outcome: input.outcome, schoolName: school.name }),
  );
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('concerns')
      .set({ status: 'closed', closed_at: at, closed_by: by.staffId, updated_at: at })
      .where('id', '=', concern.id)
      .where('school_id', '=', by.schoolId)
      .where('status', '=', 'open')
      .where('reopened_count', '=', concern.reopened_count)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return { ok: false as const, field: 'outcome' as const, message: RACE };
    const entryId = newId();
    await trx
      .insertInto('concern_entries')
      .values({
        id: entryId,
        school_id: by.schoolId,
        concern_id: concern.id,
        kind: 'outcome',
        body: input.outcome,
        contact_how: null,
        safeguarding: 0,
        written_by_kind: 'staff',
        staff_id: by.staffId,
        carer_id: null,
        created_at: at,
      })
      .execute();
    await audit(
      trx,
      actor(by),
      { schoolId: by.schoolId, action: 'concern.closed', entity: 'concern', entityId: concern.id, before: { status: 'open' }, after: { status: 'closed', told: letter.channel } },
      ctx.now,
    );
    await sendLetter(trx, letter, ctx.now);
    return { ok: true as const, told: letter.channel };
  });
}
