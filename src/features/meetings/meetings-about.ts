import type { Kysely } from 'kysely';
import type { Database, Instant, MeetingKind, MeetingPurpose, MeetingStatus } from '../../db/schema.ts';

/** What other features may arrange a meeting for (the meetings form takes ?purpose= with ?topic=). */
export const MEETING_PURPOSES = ['attendance'] as const satisfies readonly MeetingPurpose[];

export type MeetingForPurpose = { kind: MeetingKind; status: MeetingStatus; purpose: MeetingPurpose | null; starts_at: Instant | null; created_at: Instant };

/**
 * The rule, once: a meeting with the family is arranged for this purpose since a moment when it was
 * arranged for that purpose (from the other page's link: stored as `purpose`, whatever its topic now
 * says), it is not cancelled and not a parents' evening appointment, and it starts at or after the
 * moment (or, for a request not yet given a time, was made at or after it). A held meeting counts:
 * the family has been met.
 */
export function arrangedFor(m: MeetingForPurpose, purpose: MeetingPurpose, since: Instant): boolean {
  if (m.purpose !== purpose || m.status === 'cancelled' || m.kind === 'parents_evening') return false;
  return m.starts_at === null ? m.created_at >= since : m.starts_at >= since;
}

/**
 * For another feature's list (attendance): for each of these pupils, the newest meeting arranged for
 * a purpose since a moment (`arrangedFor`). Only the status and the time: never the topic or the notes.
 */
export async function meetingsAbout(
  db: Kysely<Database>,
  q: { schoolId: string; pupilIds: readonly string[]; purpose: MeetingPurpose; since: Instant },
): Promise<Map<string, { meetingId: string; status: MeetingStatus; startsAt: Instant | null }>> {
  const found = new Map<string, { meetingId: string; status: MeetingStatus; startsAt: Instant | null }>();
  const ids = [...new Set(q.pupilIds)];
  for (let i = 0; i < ids.length; i += 900) {
    const rows = await db
      .selectFrom('meetings')
      .select(['id', 'pupil_id', 'kind', 'status', 'purpose', 'starts_at', 'created_at'])
      .where('school_id', '=', q.schoolId)
      .where('pupil_id', 'in', ids.slice(i, i + 900))
      .where('purpose', '=', q.purpose)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const r of rows) if (r.pupil_id && arrangedFor(r, q.purpose, q.since)) found.set(r.pupil_id, { meetingId: r.id, status: r.status, startsAt: r.starts_at });
  }
  return found;
}
