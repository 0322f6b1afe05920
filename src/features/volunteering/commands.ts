import type { Db } from '../../db/database.ts';
import type { LocalDate, VolunteerOpportunityTable } from '../../db/schema.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import { isBannedFromPremises } from '../conduct/index.ts';
import { mayPutOn, type ApprovalInput } from './volunteer.ts';

type StaffActor = Actor & { kind: 'staff' };

export async function addOpportunity(db: Db, actor: StaffActor, input: { kind: VolunteerOpportunityTable['kind']; title: string; description: string; needsDbs: boolean }, now: Date): Promise<string> {
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('volunteer_opportunities')
      .values({
        id,
        school_id: actor.schoolId,
        kind: input.kind,
        title: input.title,
        description: input.description,
        needs_dbs: input.needsDbs ? 1 : 0,
        status: 'open',
        created_by: actor.id,
        created_at: now.toISOString(),
      })
      .execute();
    await audit(trx, actor, { schoolId: actor.schoolId, action: 'volunteering.opportunity_added', entity: 'volunteer_opportunity', entityId: id, after: input }, now);
  });
  return id;
}

/** A carer offers themselves for an open role; a second offer for the same role is the first (unique key). */
export async function offer(db: Db, actor: Actor & { kind: 'carer' }, opportunityId: string, note: string | null, now: Date): Promise<boolean> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const role = await trx.selectFrom('volunteer_opportunities').select('status').where('school_id', '=', actor.schoolId).where('id', '=', opportunityId).executeTakeFirst();
    if (role?.status !== 'open') return false;
    const id = newId();
    const added = await trx
      .insertInto('volunteers')
      .values({
        id,
        school_id: actor.schoolId,
        opportunity_id: opportunityId,
        carer_id: actor.id,
        status: 'offered',
        offer_note: note,
        supervised: null,
        dbs_certificate: null,
        dbs_checked_on: null,
        barred_list_checked: 0,
        risk_assessment: null,
        risk_assessed_on: null,
        approved_on: null,
        approved_by: null,
        review_on: null,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.columns(['school_id', 'opportunity_id', 'carer_id']).doNothing())
      .executeTakeFirst();
    if (Number(added.numInsertedOrUpdatedRows ?? 0) === 1)
      await audit(trx, actor, { schoolId: actor.schoolId, action: 'volunteering.offered', entity: 'volunteer', entityId: id, after: { opportunityId, note } }, now);
    return true;
  });
}

/** Record the checks and approve, from 'offered' only (compare-and-set): the rules were checked by readApproval. */
/** Why an approval was refused: the offer was not taken up, or the carer is banned from the school premises (features/conduct). */
export type ApproveResult = 'approved' | 'closed' | 'banned';
/** A volunteer works on the school site: a carer banned from the premises today cannot be approved (the ban is asked of features/conduct), except as a translator, who works from home. */
export async function approve(db: Db, actor: StaffActor, volunteerId: string, a: ApprovalInput, today: LocalDate, now: Date): Promise<ApproveResult> {
  const who = await db
    .selectFrom('volunteers')
    .innerJoin('volunteer_opportunities as o', (j) => j.onRef('o.id', '=', 'volunteers.opportunity_id').onRef('o.school_id', '=', 'volunteers.school_id'))
    .select(['volunteers.carer_id', 'o.kind'])
    .where('volunteers.school_id', '=', actor.schoolId)
    .where('volunteers.id', '=', volunteerId)
    .executeTakeFirst();
  if (!who) return 'closed';
  // Translating is done from home, not on the school site: a ban from the premises does not stand in its way.
  if (who.kind !== 'translating' && (await isBannedFromPremises(db, actor.schoolId, who.carer_id, today))) return 'banned';
  return db.transaction().execute(async (trx): Promise<ApproveResult> => {
    const changed = await trx
      .updateTable('volunteers')
      .set({
        status: 'approved',
        supervised: a.supervised,
        dbs_certificate: a.dbsCertificate,
        dbs_checked_on: a.dbsCheckedOn,
        barred_list_checked: a.barredListChecked,
        risk_assessment: a.riskAssessment,
        risk_assessed_on: a.riskAssessedOn,
        approved_on: today,
        approved_by: actor.id,
        review_on: a.reviewOn,
        updated_at: now.toISOString(),
      })
      .where('school_id', '=', actor.schoolId)
      .where('id', '=', volunteerId)
      .where('status', 'in', ['offered', 'approved'])
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return 'closed';
    // A translating volunteer's languages are the ones this approval names (a review may change them).
    const before = await trx.selectFrom('volunteer_languages').select('language').where('school_id', '=', actor.schoolId).where('volunteer_id', '=', volunteerId).execute();
    const languages = a.languages ?? [];
    if (before.length || languages.length) {
      await trx.deleteFrom('volunteer_languages').where('school_id', '=', actor.schoolId).where('volunteer_id', '=', volunteerId).execute();
      if (languages.length)
        await trx
          .insertInto('volunteer_languages')
          .values(languages.map((language) => ({ id: newId(), school_id: actor.schoolId, volunteer_id: volunteerId, language })))
          .execute();
    }
    // The certificate number stays out of the audit log: that it was seen, and when, is enough there.
    await audit(
      trx,
      actor,
      { schoolId: actor.schoolId, action: 'volunteering.approved', entity: 'volunteer', entityId: volunteerId, after: { ...a, dbsCertificate: a.dbsCertificate ? 'seen' : null } },
      now,
    );
    return 'approved';
  });
}

export async function decline(db: Db, actor: StaffActor, volunteerId: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('volunteers')
      .set({ status: 'declined', updated_at: now.toISOString() })
      .where('school_id', '=', actor.schoolId)
      .where('id', '=', volunteerId)
      .where('status', '=', 'offered')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 1) await audit(trx, actor, { schoolId: actor.schoolId, action: 'volunteering.declined', entity: 'volunteer', entityId: volunteerId }, now);
  });
}

/** A carer takes back their own offer (offered or approved): compare-and-set, so a double click withdraws once. */
export async function withdraw(db: Db, actor: Actor & { kind: 'carer' }, opportunityId: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const mine = await trx
      .selectFrom('volunteers')
      .select(['id', 'status'])
      .where('school_id', '=', actor.schoolId)
      .where('opportunity_id', '=', opportunityId)
      .where('carer_id', '=', actor.id)
      .executeTakeFirst();
    if (!mine || (mine.status !== 'offered' && mine.status !== 'approved')) return false;
    const changed = await trx
      .updateTable('volunteers')
      .set({ status: 'withdrawn', updated_at: now.toISOString() })
      .where('school_id', '=', actor.schoolId)
      .where('id', '=', mine.id)
      .where('status', '=', mine.status)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return false;
    await audit(
      trx,
      actor,
      { schoolId: actor.schoolId, action: 'volunteering.withdrawn', entity: 'volunteer', entityId: mine.id, before: { status: mine.status }, after: { status: 'withdrawn' } },
      now,
    );
    return true;
  });
}

/** Put a volunteer on an event or a named activity: refused unless approved and not past review (volunteer.ts mayPutOn), checked inside the transaction. */
export async function putOn(
  db: Db,
  actor: StaffActor,
  volunteerId: string,
  input: { eventId: string | null; activity: string; onDate: LocalDate },
  today: LocalDate,
  now: Date,
): Promise<{ ok: true } | { ok: false; message: string }> {
  return db.transaction().execute(async (trx) => {
    const v = await trx.selectFrom('volunteers').select(['status', 'review_on', 'carer_id']).where('school_id', '=', actor.schoolId).where('id', '=', volunteerId).executeTakeFirst();
    if (!v) return { ok: false as const, message: 'No such volunteer' };
    const may = mayPutOn(v, today);
    if (!may.ok) return may;
    if (await isBannedFromPremises(trx, actor.schoolId, v.carer_id, input.onDate))
      return { ok: false as const, message: 'They are banned from the school premises on that date: they cannot volunteer at the school while the ban is in force' };
    if (input.eventId) {
      const event = await trx.selectFrom('events').select('id').where('school_id', '=', actor.schoolId).where('id', '=', input.eventId).executeTakeFirst();
      if (!event) return { ok: false as const, message: 'Choose an event from the list' };
    }
    const id = newId();
    await trx
      .insertInto('volunteer_assignments')
      .values({
        id,
        school_id: actor.schoolId,
        volunteer_id: volunteerId,
        event_id: input.eventId,
        activity: input.activity,
        on_date: input.onDate,
        assigned_by: actor.id,
        created_at: now.toISOString(),
      })
      .execute();
    await audit(trx, actor, { schoolId: actor.schoolId, action: 'volunteering.put_on', entity: 'volunteer', entityId: volunteerId, after: input }, now);
    return { ok: true as const };
  });
}
