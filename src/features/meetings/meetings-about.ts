import type { Kysely } from 'kysely';
import type { Database, Instant, MeetingStatus } from '../../db/schema.ts';

/**
 * For another feature's list (attendance): for each of these pupils, the newest meeting with the
 * family whose topic mentions a word ("attendance"), not cancelled, and arranged or still to come
 * since a moment (its start, or for a request not yet given a time, when it was made). Only the
 * status and the time: never the topic or the notes.
 */
export async function meetingsAbout(
  db: Kysely<Database>,
  q: { schoolId: string; pupilIds: readonly string[]; topicWord: string; since: Instant },
): Promise<Map<string, { meetingId: string; status: MeetingStatus; startsAt: Instant | null }>> {
  const found = new Map<string, { meetingId: string; status: MeetingStatus; startsAt: Instant | null }>();
  const ids = [...new Set(q.pupilIds)];
  const word = `%${q.topicWord.toLowerCase().replace(/[%_\\]/g, '')}%`;
  for (let i = 0; i < ids.length; i += 900) {
    const rows = await db
      .selectFrom('meetings')
      .select(['id', 'pupil_id', 'status', 'starts_at', 'created_at'])
      .where('school_id', '=', q.schoolId)
      .where('pupil_id', 'in', ids.slice(i, i + 900))
      .where('status', '!=', 'cancelled')
      .where('kind', '!=', 'parents_evening')
      .where((eb) => eb(eb.fn('lower', ['topic']), 'like', word))
      .where((eb) => eb.or([eb('starts_at', '>=', q.since), eb.and([eb('starts_at', 'is', null), eb('created_at', '>=', q.since)])]))
      .orderBy('created_at')
      .execute();
    for (const r of rows) if (r.pupil_id) found.set(r.pupil_id, { meetingId: r.id, status: r.status, startsAt: r.starts_at });
  }
  return found;
}
