import type { Db } from '../../db/database.ts';
import type { ConcernContactBy, ConcernReceivedVia, Flag } from '../../db/schema.ts';
import { alertStaff, staffWithRoles } from '../../platform/alerts/alerts.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { schoolCalendar } from '../../platform/calendar/calendar-queries.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { newId } from '../../platform/ids.ts';
import { acknowledgement, dueOn, replyBy, RESOLVE_SCHOOL_DAYS, TRIAGERS } from './concerns.ts';
import { alertLeadsAbout, concernLink } from './safeguarding.ts';
import { prepareLetter, sendLetter, type NotifyContext, type PreparedLetter } from './notify.ts';
import { carerMayHearAbout, childName, headOf, pupilOf, staffName, staffNameOf } from './queries.ts';
import { routeFromCarer } from '../community/index.ts';

/**
 * A concern is raised: by the carer on Gatepost, or by a member of staff for them (a phone call, an
 * email, a word at the gate). In one transaction: the concern (new, due to be resolved within
 * RESOLVE_SCHOOL_DAYS school days, with the head as the person who makes sure it is dealt with),
 * what happened and what they would like as its first entries, the audit entry (never the words),
 * the carer's acknowledgement in the outbox (both dates: the first reply and the aim to resolve), and an alert to the head and senior leaders to pass it on. Words a
 * member of staff marks as safeguarding alert the DSL at once.
 */
export type Raiser = { kind: 'carer'; carerId: string; ip?: string | null } | { kind: 'staff'; staffId: string; ip?: string | null };
export type RaiseInput = {
  schoolId: string;
  pupilId: string;
  carerId: string;
  receivedVia: ConcernReceivedVia;
  contactBy: ConcernContactBy;
  whatHappened: string;
  wouldLike: string;
  safeguarding: Flag;
};
export type RaiseResult = { ok: true; id: string; told: PreparedLetter['channel'] } | { ok: false; field: 'pupil' | 'carer'; message: string };

export const actorOf = (schoolId: string, by: Raiser): Actor =>
  by.kind === 'carer' ? { kind: 'carer', id: by.carerId, schoolId, ip: by.ip ?? null } : { kind: 'staff', id: by.staffId, schoolId, ip: by.ip ?? null };

export async function raiseConcern(db: Db, by: Raiser, input: RaiseInput, ctx: Omit<NotifyContext, 'today'>): Promise<RaiseResult> {
  const school = await db.selectFrom('schools').select(['name', 'time_zone']).where('id', '=', input.schoolId).executeTakeFirstOrThrow();
  const today = localDate(ctx.now, school.time_zone);
  if (!(await carerMayHearAbout(db, input.schoolId, input.carerId, input.pupilId, today))) {
    return by.kind === 'carer'
      ? { ok: false, field: 'pupil', message: 'Choose one of your children' }
      : { ok: false, field: 'carer', message: 'This parent or carer may not be told about this child (see their link and any restriction): choose someone who may' };
  }
  const [calendar, pupil, head, route] = await Promise.all([
    schoolCalendar(db, input.schoolId),
    pupilOf(db, input.schoolId, input.pupilId),
    headOf(db, input.schoolId),
    // A carer with a single point of contact (features/conduct): their concern goes to that person, who owns it, rather than to the head.
    routeFromCarer(db, input.schoolId, input.carerId, () => staffWithRoles(db, input.schoolId, TRIAGERS)),
  ]);
  const dealtWithBy = route.contact ? await staffNameOf(db, input.schoolId, route.contact) : head ? staffName(head) : null;
  const due = dueOn(calendar, today, RESOLVE_SCHOOL_DAYS);
  const id = newId();
  const letter = await prepareLetter(
    db,
    { ...ctx, today },
    { schoolId: input.schoolId, schoolName: school.name, concernId: id, carerId: input.carerId, pupilId: input.pupilId, key: `concern-received:${id}` },
    acknowledgement({ childName: childName(pupil), dealtWithBy, replyBy: replyBy(calendar, today), dueOn: due, schoolName: school.name }),
  );
  const at = ctx.now.toISOString();
  const staffId = by.kind === 'staff' ? by.staffId : null;
  const entry = (kind: 'what_happened' | 'would_like', body: string) => ({
    id: newId(),
    school_id: input.schoolId,
    concern_id: id,
    kind,
    body,
    contact_how: null,
    safeguarding: input.safeguarding,
    written_by_kind: by.kind,
    staff_id: staffId,
    carer_id: by.kind === 'carer' ? by.carerId : null,
    created_at: at,
  });
  const entries = [entry('what_happened', input.whatHappened), entry('would_like', input.wouldLike)];
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('concerns')
      .values({
        id,
        school_id: input.schoolId,
        pupil_id: input.pupilId,
        carer_id: input.carerId,
        received_via: input.receivedVia,
        contact_by: input.contactBy,
        logged_by: staffId,
        status: 'new',
        owner_id: route.contact ?? head?.id ?? null,
        category: null,
        raised_on: today,
        due_on: due,
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
    await trx.insertInto('concern_entries').values(entries).execute();
    await audit(
      trx,
      actorOf(input.schoolId, by),
      {
        schoolId: input.schoolId,
        action: 'concern.raised',
        entity: 'concern',
        entityId: id,
        after: { pupil_id: input.pupilId, carer_id: input.carerId, received_via: input.receivedVia, contact_by: input.contactBy, due_on: due, safeguarding: input.safeguarding, told: letter.channel },
      },
      ctx.now,
    );
    await sendLetter(trx, letter, ctx.now);
    const title = route.contact ? 'A concern from a family you are the single point of contact for: it is yours to deal with' : 'A new concern from a family: please pass it to someone to deal with';
    await alertStaff(
      trx,
      { schoolId: input.schoolId, staffIds: route.to.filter((s) => s !== staffId), kind: 'referral', title, link: concernLink(id), key: `concern-new:${id}` },
      ctx.now,
      ctx.baseUrl,
    );
    if (input.safeguarding) await alertLeadsAbout(trx, input.schoolId, id, entries[0]!.id, staffId, ctx);
  });
  return { ok: true, id, told: letter.channel };
}
