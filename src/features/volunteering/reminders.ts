import { DateTime } from 'luxon';
import type { Db } from '../../db/database.ts';
import type { StaffRole } from '../../db/schema.ts';
import { enqueue, type OutboxItem } from '../../platform/outbox/outbox.ts';
import { absoluteLink } from '../../platform/web/links.ts';

/** How many days before a volunteer's review date the office is reminded of it. */
export const REVIEW_NOTICE_DAYS = 14;
/** Who is reminded: the office, who record volunteers' checks, and the head. */
const REMINDED: readonly StaffRole[] = ['office', 'head'];

/**
 * Approved volunteers in a role still open whose review is within REVIEW_NOTICE_DAYS or past (a
 * role the school has closed needs no reviews; opened again, its reviews are reminded): one email to each office
 * member and the head, through the outbox. The idempotency key names the volunteer and the review
 * date, so the periodic job may run as often as it likes: once per volunteer per review date (a new
 * review date after the review gets its own reminder). Returns how many emails were asked for.
 */
export async function sendVolunteerReviewReminders(db: Db, now: Date, baseUrl: string): Promise<number> {
  const schools = await db.selectFrom('schools').select(['id', 'time_zone']).execute();
  let sent = 0;
  for (const school of schools) {
    const horizon = DateTime.fromJSDate(now, { zone: school.time_zone }).plus({ days: REVIEW_NOTICE_DAYS }).toISODate()!;
    const due = await db
      .selectFrom('volunteers')
      .innerJoin('carers', (j) => j.onRef('carers.id', '=', 'volunteers.carer_id').onRef('carers.school_id', '=', 'volunteers.school_id'))
      .innerJoin('volunteer_opportunities as o', (j) => j.onRef('o.id', '=', 'volunteers.opportunity_id').onRef('o.school_id', '=', 'volunteers.school_id'))
      .select(['volunteers.id', 'volunteers.review_on', 'carers.given_name', 'carers.family_name', 'o.title'])
      .where('volunteers.school_id', '=', school.id)
      .where('volunteers.status', '=', 'approved')
      .where('o.status', '=', 'open')
      .where('volunteers.review_on', 'is not', null)
      .where('volunteers.review_on', '<=', horizon)
      .execute();
    if (due.length === 0) continue;
    const people = await db
      .selectFrom('staff')
      .innerJoin('staff_roles', (j) => j.onRef('staff_roles.staff_id', '=', 'staff.id').onRef('staff_roles.school_id', '=', 'staff.school_id'))
      .select(['staff.id', 'staff.email', 'staff.given_name'])
      .distinct()
      .where('staff.school_id', '=', school.id)
      .where('staff_roles.role', 'in', REMINDED)
      .where('staff.archived_at', 'is', null)
      .execute();
    const items: OutboxItem[] = due.flatMap((v) => {
      const when = DateTime.fromISO(v.review_on!).toFormat('d LLLL yyyy');
      const subject = `${v.given_name} ${v.family_name}’s volunteer review is due on ${when}`;
      const link = absoluteLink(baseUrl, `/volunteering/volunteers/${v.id}`);
      return people.map((p): OutboxItem => ({
        channel: 'email',
        schoolId: school.id,
        key: `volunteer-review:${v.id}:${v.review_on}:${p.id}`,
        ref: v.id,
        payload: {
          to: p.email,
          subject,
          text: `Dear ${p.given_name},\n\n${subject} (${v.title}). Until the review is recorded they cannot be put on activities after that date.\n\nSee it in Gatepost: ${link}\n`,
        },
      }));
    });
    await enqueue(db, items, now);
    sent += items.length;
  }
  return sent;
}
