import { z } from 'zod';
import type { Db } from '../../../db/database.ts';
import { alertStaff, staffWithRoles } from '../../../platform/alerts/alerts.ts';
import { audit, type Actor } from '../../../platform/audit/audit.ts';
import { schoolCalendar } from '../../../platform/calendar/calendar-queries.ts';
import { localDate } from '../../../platform/calendar/time.ts';
import { requiredDate } from '../../../platform/calendar/typed.ts';
import { newId } from '../../../platform/ids.ts';
import { checkbox, text } from '../../../platform/web/forms.ts';
import { stageOneTimeline } from '../complaint-timeline.ts';
import { complaintReceived } from '../concerns.ts';
import { prepareLetter, sendLetter, type NotifyContext } from '../notify.ts';
import { carerMayHearAbout, childName, headOf, pupilOf } from '../queries.ts';
import { carerComplaintLink, complaintLink } from './links.ts';
import { settingsFor } from './queries.ts';

/**
 * A formal complaint made directly (issue 14, point 5): by a carer from their portal, or by staff on
 * a carer's behalf (a letter, an email, a call). What it is about is kept as the entries of a concern
 * record (so any of it can be marked as safeguarding, as everywhere else); the complaint carries its
 * dates in school days from the school's own limits. One about the head goes to whoever the settings
 * name (the chair of governors); one raised more than three months after the last incident is flagged.
 */
const incident = requiredDate('Enter the date of the last thing that happened');
const common = {
  pupil: z.string({ error: 'Choose which child it is about' }).trim().min(1, 'Choose which child it is about'),
  complaint: text('your complaint', 5_000),
  would_like: text('what would put it right', 2_000),
  last_incident_on: incident,
  about_head: checkbox,
};
export const CarerComplaintForm = z.object(common);
export const StaffComplaintForm = z.object({ ...common, carer: z.string({ error: 'Choose who is complaining' }).trim().min(1, 'Choose who is complaining'), safeguarding: checkbox });
export type ComplaintInput = z.output<typeof CarerComplaintForm> & { carer?: string; safeguarding?: 0 | 1 };
export type MadeBy = { kind: 'carer'; carerId: string; ip?: string | null } | { kind: 'staff'; staffId: string; ip?: string | null };

export type MakeResult = { ok: true; id: string; late: boolean; told: string } | { ok: false; field: string; message: string };

export async function makeComplaint(db: Db, schoolId: string, by: MadeBy, input: ComplaintInput, ctx: Omit<NotifyContext, 'today'>): Promise<MakeResult> {
  const school = await db.selectFrom('schools').select(['name', 'time_zone']).where('id', '=', schoolId).executeTakeFirstOrThrow();
  const today = localDate(ctx.now, school.time_zone);
  const carerId = by.kind === 'carer' ? by.carerId : (input.carer ?? '');
  if (input.last_incident_on > today) return { ok: false, field: 'last_incident_on', message: 'The date of the last thing that happened must be today or before' };
  if (!(await carerMayHearAbout(db, schoolId, carerId, input.pupil, today))) {
    return by.kind === 'carer'
      ? { ok: false, field: 'pupil', message: 'Choose one of your children' }
      : { ok: false, field: 'carer', message: 'This person may not be told about this child: choose someone who may' };
  }
  const [calendar, pupil, head, settings] = await Promise.all([schoolCalendar(db, schoolId), pupilOf(db, schoolId, input.pupil), headOf(db, schoolId), settingsFor(db, schoolId)]);
  const dates = stageOneTimeline(calendar, { receivedOn: today, lastIncidentOn: input.last_incident_on, yearGroup: pupil.year_group }, settings.limits);
  const [id, concernId] = [newId(), newId()];
  const at = ctx.now.toISOString();
  const about = input.about_head ? ('head' as const) : ('matter' as const);
  const letter = await prepareLetter(
    db,
    { ...ctx, today },
    { schoolId, schoolName: school.name, concernId, carerId, pupilId: input.pupil, key: `complaint-received:${id}`, path: carerComplaintLink(id) },
    complaintReceived({ childName: childName(pupil), schoolName: school.name, ...dates, earlyYearsOutcomeBy: dates.earlyYearsOutcomeBy ?? null }),
  );
  const staffId = by.kind === 'staff' ? by.staffId : null;
  const entry = (kind: 'what_happened' | 'would_like', body: string) => ({
    id: newId(),
    school_id: schoolId,
    concern_id: concernId,
    kind,
    body,
    contact_how: null,
    safeguarding: input.safeguarding ?? 0,
    written_by_kind: by.kind,
    staff_id: staffId,
    carer_id: by.kind === 'carer' ? by.carerId : null,
    created_at: at,
  });
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('concerns')
      .values({
        id: concernId,
        school_id: schoolId,
        pupil_id: input.pupil,
        carer_id: carerId,
        received_via: by.kind === 'carer' ? 'portal' : 'email',
        contact_by: 'email',
        logged_by: staffId,
        status: 'open',
        owner_id: about === 'head' ? null : (head?.id ?? null),
        category: about === 'head' ? 'staff_conduct' : null,
        raised_on: today,
        due_on: dates.respondBy,
        triaged_by: null,
        triaged_at: null,
        closed_at: null,
        closed_by: null,
        answered_at: null,
        reopened_count: 0,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await trx
      .insertInto('concern_entries')
      .values([entry('what_happened', input.complaint), entry('would_like', input.would_like)])
      .execute();
    await trx
      .insertInto('complaints')
      .values({
        id,
        school_id: schoolId,
        concern_id: concernId,
        pupil_id: input.pupil,
        carer_id: carerId,
        stage: 'stage_1',
        made_by_kind: by.kind,
        made_by_staff: staffId,
        received_on: today,
        counts_from: dates.countsFrom,
        acknowledge_by: dates.acknowledgeBy,
        respond_by: dates.respondBy,
        last_incident_on: input.last_incident_on,
        late: dates.late ? 1 : 0,
        early_years_outcome_by: dates.earlyYearsOutcomeBy,
        created_at: at,
        updated_at: at,
        about,
        direct: 1,
      })
      .execute();
    const actor: Actor = by.kind === 'carer' ? { kind: 'carer', id: by.carerId, schoolId, ip: by.ip ?? null } : { kind: 'staff', id: by.staffId, schoolId, ip: by.ip ?? null };
    await audit(
      trx,
      actor,
      { schoolId, action: 'complaint.made', entity: 'complaint', entityId: id, after: { direct: true, about, respond_by: dates.respondBy, late: dates.late, told: letter.channel } },
      ctx.now,
    );
    await sendLetter(trx, letter, ctx.now);
    // The case lead hears of it: the head, or for a complaint about the head whoever the settings name.
    const leads = about === 'head' ? [settings.headComplaintsTo].filter((s): s is string => !!s) : await staffWithRoles(trx, schoolId, ['head']);
    const title = dates.late
      ? 'A formal complaint was made more than three months after the last incident: decide whether to accept it'
      : 'A formal complaint was made: choose an investigating officer not connected with the matter';
    await alertStaff(trx, { schoolId, staffIds: leads.filter((s) => s !== staffId), kind: 'referral', title, link: complaintLink(id), key: `complaint-made:${id}` }, ctx.now, ctx.baseUrl);
  });
  return { ok: true, id, late: dates.late, told: letter.channel };
}
