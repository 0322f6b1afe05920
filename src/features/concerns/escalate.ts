import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { alertStaff, staffWithRoles } from '../../platform/alerts/alerts.ts';
import { audit } from '../../platform/audit/audit.ts';
import { schoolCalendar } from '../../platform/calendar/calendar-queries.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { requiredDate } from '../../platform/calendar/typed.ts';
import { newId } from '../../platform/ids.ts';
import { text } from '../../platform/web/forms.ts';
import { mayEscalate, stageOneTimeline } from './complaint-timeline.ts';
import { complaintReceived, TRIAGERS } from './concerns.ts';
import { prepareLetter, sendLetter, type NotifyContext } from './notify.ts';
import { childName, pupilOf, type Concern } from './queries.ts';
import { concernLink } from './safeguarding.ts';
import { settingsFor } from './complaints/queries.ts';
import { carerComplaintLink } from './complaints/links.ts';

/**
 * A concern becomes a formal complaint (stage 1): by the carer when it is not resolved, or by the
 * head or a senior leader. Its dates come from the school calendar in school days (the DfE's
 * default limits); one raised more than three months after the last incident is flagged for the
 * head. The complainant is told the dates; the head and senior leaders are alerted. What is still
 * unresolved is an entry of the concern, so it can be marked as safeguarding like anything else.
 */
export const EscalateForm = z.object({
  last_incident_on: requiredDate('Enter the date of the last thing that happened'),
  unresolved: text('what is still unresolved', 5_000),
});
export type EscalateInput = z.output<typeof EscalateForm>;
export type EscalateBy = { kind: 'carer'; carerId: string; ip?: string | null } | { kind: 'staff'; staffId: string; ip?: string | null };

export async function escalateConcern(
  db: Db,
  by: EscalateBy,
  concern: Concern,
  input: EscalateInput,
  ctx: Omit<NotifyContext, 'today'>,
): Promise<{ ok: true; id: string; late: boolean } | { ok: false; field: 'last_incident_on' | 'unresolved'; message: string }> {
  if (!mayEscalate(concern.status, concern.reopened_count, by.kind)) {
    return {
      ok: false,
      field: 'unresolved',
      message: by.kind === 'carer' ? 'You can make a formal complaint once the school has answered your concern and it is not resolved' : 'This concern is resolved',
    };
  }
  const existing = await db.selectFrom('complaints').select('id').where('school_id', '=', concern.school_id).where('concern_id', '=', concern.id).executeTakeFirst();
  if (existing) return { ok: false, field: 'unresolved', message: 'A formal complaint has already been made about this concern' };
  const school = await db.selectFrom('schools').select(['name', 'time_zone']).where('id', '=', concern.school_id).executeTakeFirstOrThrow();
  const today = localDate(ctx.now, school.time_zone);
  if (input.last_incident_on > today) return { ok: false, field: 'last_incident_on', message: 'The date of the last thing that happened must be today or before' };
  const [calendar, pupil, settings] = await Promise.all([schoolCalendar(db, concern.school_id), pupilOf(db, concern.school_id, concern.pupil_id), settingsFor(db, concern.school_id)]);
  // The school's own time limits (Complaints procedure), the DfE's defaults until it sets them.
  const dates = stageOneTimeline(calendar, { receivedOn: today, lastIncidentOn: input.last_incident_on, yearGroup: pupil.year_group }, settings.limits);
  const id = newId();
  const at = ctx.now.toISOString();
  const letter = await prepareLetter(
    db,
    { ...ctx, today },
    {
      schoolId: concern.school_id,
      schoolName: school.name,
      concernId: concern.id,
      carerId: concern.carer_id,
      pupilId: concern.pupil_id,
      key: `complaint-received:${id}`,
      path: carerComplaintLink(id),
    },
    complaintReceived({ childName: childName(pupil), schoolName: school.name, ...dates, earlyYearsOutcomeBy: dates.earlyYearsOutcomeBy ?? null }),
  );
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('complaints')
      .values({
        id,
        school_id: concern.school_id,
        concern_id: concern.id,
        pupil_id: concern.pupil_id,
        carer_id: concern.carer_id,
        stage: 'stage_1',
        made_by_kind: by.kind,
        made_by_staff: by.kind === 'staff' ? by.staffId : null,
        received_on: today,
        counts_from: dates.countsFrom,
        acknowledge_by: dates.acknowledgeBy,
        respond_by: dates.respondBy,
        last_incident_on: input.last_incident_on,
        late: dates.late ? 1 : 0,
        early_years_outcome_by: dates.earlyYearsOutcomeBy,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await trx
      .insertInto('concern_entries')
      .values({
        id: newId(),
        school_id: concern.school_id,
        concern_id: concern.id,
        kind: 'escalated',
        body: input.unresolved,
        contact_how: null,
        safeguarding: 0,
        written_by_kind: by.kind,
        staff_id: by.kind === 'staff' ? by.staffId : null,
        carer_id: by.kind === 'carer' ? by.carerId : null,
        created_at: at,
      })
      .execute();
    await trx.updateTable('concerns').set({ updated_at: at }).where('id', '=', concern.id).where('school_id', '=', concern.school_id).execute();
    const actor =
      by.kind === 'carer'
        ? { kind: 'carer' as const, id: by.carerId, schoolId: concern.school_id, ip: by.ip ?? null }
        : { kind: 'staff' as const, id: by.staffId, schoolId: concern.school_id, ip: by.ip ?? null };
    await audit(
      trx,
      actor,
      {
        schoolId: concern.school_id,
        action: 'complaint.made',
        entity: 'complaint',
        entityId: id,
        after: {
          concern_id: concern.id,
          stage: 'stage_1',
          acknowledge_by: dates.acknowledgeBy,
          respond_by: dates.respondBy,
          late: dates.late,
          early_years_outcome_by: dates.earlyYearsOutcomeBy,
          told: letter.channel,
        },
      },
      ctx.now,
    );
    await sendLetter(trx, letter, ctx.now);
    const leaders = (await staffWithRoles(trx, concern.school_id, TRIAGERS)).filter((s) => by.kind !== 'staff' || s !== by.staffId);
    const title = dates.late
      ? 'A formal complaint was made more than three months after the last incident: decide whether to accept it'
      : 'A formal complaint was made: choose an investigating officer not connected with the matter';
    await alertStaff(trx, { schoolId: concern.school_id, staffIds: leaders, kind: 'referral', title, link: concernLink(concern.id), key: `complaint-made:${id}` }, ctx.now, ctx.baseUrl);
  });
  return { ok: true, id, late: dates.late };
}

export async function complaintOf(db: Db, concern: Pick<Concern, 'id' | 'school_id'>) {
  return db.selectFrom('complaints').selectAll().where('school_id', '=', concern.school_id).where('concern_id', '=', concern.id).executeTakeFirst();
}
