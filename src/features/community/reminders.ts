import { DateTime } from 'luxon';
import type { Db } from '../../db/database.ts';
import { enqueue, type OutboxItem } from '../../platform/outbox/outbox.ts';
import { absoluteLink } from '../../platform/web/links.ts';
import { liaisonOrHead, matchesOf } from './queries.ts';

/**
 * Buddy matches due their four-week check-in (check_in_on reached, not checked in, not declined or
 * withdrawn): one email per match to the family liaison officer(s), or the head where the school has
 * none, through the outbox. The idempotency key names the match, so the periodic job may run as often
 * as it likes: each match is reminded once. Returns how many emails were asked for.
 */
export async function sendBuddyCheckInReminders(db: Db, now: Date, baseUrl: string): Promise<number> {
  const schools = await db.selectFrom('schools').select(['id', 'time_zone']).execute();
  let sent = 0;
  for (const school of schools) {
    const today = DateTime.fromJSDate(now, { zone: school.time_zone }).toISODate()!;
    const due = (await matchesOf(db, school.id)).filter((m) => !m.checked_in_at && !m.declined_at && m.check_in_on <= today);
    if (due.length === 0) continue;
    const people = await liaisonOrHead(db, school.id);
    const link = absoluteLink(baseUrl, '/community');
    const items: OutboxItem[] = due.flatMap((m) => {
      const subject = `Buddy match check-in due: ${m.newcomerName} and ${m.buddyName}`;
      return people.map((p): OutboxItem => ({
        channel: 'email',
        schoolId: school.id,
        key: `buddy-check-in:${m.id}:${p.id}`,
        ref: m.id,
        payload: {
          to: p.email,
          subject,
          text: `Dear ${p.given_name},\n\nThe buddy match between ${m.newcomerName} (new family) and ${m.buddyName} (buddy family) was recorded four weeks ago. Please check in with both families and record how it is going.\n\nSee it in Gatepost: ${link}\n`,
        },
      }));
    });
    await enqueue(db, items, now);
    sent += items.length;
  }
  return sent;
}
