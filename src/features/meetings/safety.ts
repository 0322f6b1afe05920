import type { Kysely } from 'kysely';
import type { Database, MeetingSafetyPlanTable } from '../../db/schema.ts';
import { alertStaff, staffWithRoles } from '../../platform/alerts/alerts.ts';
import { audit } from '../../platform/audit/audit.ts';
import { formatInstantDate } from '../../platform/calendar/time.ts';
import type { FieldErrors } from '../../platform/web/forms.ts';
import { meetingStaffChoices, meetingStaffOf, staffName } from './meetings-queries.ts';
import type { SendOptions, StaffActor } from './meetings-schedule.ts';

type Db = Kysely<Database>;

/**
 * Difficult meetings: the safety plan. Staff only, never shown to a family or put in their email.
 * Saving it marks the meeting possibly difficult and tells the head once (on the first save).
 */
export type SafetyPlanInput = {
  colleagueId: string;
  presence: MeetingSafetyPlanTable['colleague_presence'];
  room: string;
  clearRouteOut: boolean;
  neutralAndPrivate: boolean;
  notes: string | null;
};

export type SafetyResult = { ok: true; headTold: boolean } | { ok: false; errors: FieldErrors } | { ok: false; conflict: string };

export async function saveSafetyPlan(db: Db, actor: StaffActor, meetingId: string, input: SafetyPlanInput, opts: SendOptions): Promise<SafetyResult> {
  const meeting = await db.selectFrom('meetings').select(['id', 'status', 'starts_at']).where('id', '=', meetingId).where('school_id', '=', actor.schoolId).executeTakeFirst();
  if (!meeting) return { ok: false, conflict: 'Page not found' };
  if (meeting.status === 'cancelled') return { ok: false, conflict: 'This meeting was cancelled.' };
  const [choices, members] = await Promise.all([meetingStaffChoices(db, actor.schoolId), meetingStaffOf(db, meetingId)]);
  const colleague = choices.find((s) => s.id === input.colleagueId);
  if (!colleague) return { ok: false, errors: { colleague_id: 'Choose the colleague who will be there' } };
  if (members.some((m) => m.role === 'lead' && m.id === colleague.id)) return { ok: false, errors: { colleague_id: 'Choose a colleague other than the person leading the meeting' } };

  const at = opts.now.toISOString();
  const plan = {
    colleague_id: colleague.id,
    colleague_presence: input.presence,
    room: input.room,
    clear_route_out: input.clearRouteOut ? (1 as const) : (0 as const),
    neutral_and_private: input.neutralAndPrivate ? (1 as const) : (0 as const),
    notes: input.notes,
    updated_at: at,
  };
  const me = await db.selectFrom('staff').select(['title', 'family_name']).where('id', '=', actor.id).executeTakeFirstOrThrow();
  const heads = await staffWithRoles(db, actor.schoolId, ['head']);
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('meeting_safety_plans').selectAll().where('meeting_id', '=', meetingId).executeTakeFirst();
    await trx
      .insertInto('meeting_safety_plans')
      .values({ meeting_id: meetingId, school_id: actor.schoolId, ...plan, head_told_at: null, created_by: actor.id })
      .onConflict((oc) => oc.column('meeting_id').doUpdateSet(plan))
      .execute();
    await trx.updateTable('meetings').set({ possibly_difficult: 1, updated_at: at }).where('id', '=', meetingId).execute();
    await trx
      .insertInto('meeting_staff')
      .values({ meeting_id: meetingId, staff_id: colleague.id, school_id: actor.schoolId, role: 'colleague' })
      .onConflict((oc) => oc.columns(['meeting_id', 'staff_id']).doNothing())
      .execute();
    await audit(
      trx,
      actor,
      {
        schoolId: actor.schoolId,
        action: 'meeting.safety_plan_saved',
        entity: 'meeting',
        entityId: meetingId,
        before: before ? { colleague_id: before.colleague_id, colleague_presence: before.colleague_presence, room: before.room } : undefined,
        after: { colleague_id: plan.colleague_id, colleague_presence: plan.colleague_presence, room: plan.room },
      },
      opts.now,
    );
    // The head is told once per meeting, whoever saves first (compare-and-set on head_told_at).
    const told = await trx.updateTable('meeting_safety_plans').set({ head_told_at: at }).where('meeting_id', '=', meetingId).where('head_told_at', 'is', null).executeTakeFirst();
    const headTold = Number(told.numUpdatedRows) === 1;
    if (headTold) {
      const when = meeting.starts_at
        ? ` on ${formatInstantDate(meeting.starts_at, (await trx.selectFrom('schools').select('time_zone').where('id', '=', actor.schoolId).executeTakeFirstOrThrow()).time_zone)}`
        : '';
      await alertStaff(
        trx,
        {
          schoolId: actor.schoolId,
          staffIds: heads,
          kind: 'difficult_meeting',
          title: `${staffName(me)} marked a meeting${when} as possibly difficult`,
          link: `/meetings/${meetingId}`,
          key: `difficult:${meetingId}`,
        },
        opts.now,
        opts.baseUrl,
      );
    }
    return { ok: true as const, headTold };
  });
}
