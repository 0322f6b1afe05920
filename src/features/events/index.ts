// The events feature's public face: what other features may use.
export { eventRoutes, EVENT_ROLES } from './routes.ts';
export { carerEventRoutes } from './carer-routes.ts';
export { EVENT_KIND_LABELS } from './event.ts';

import type { Db } from '../../db/database.ts';

/** Published events of the school with a session still to come, soonest first (for putting a volunteer on one). */
export async function comingEvents(db: Db, schoolId: string, now: string): Promise<{ id: string; title: string; startsAt: string }[]> {
  const rows = await db
    .selectFrom('events')
    .innerJoin('event_sessions', (j) => j.onRef('event_sessions.event_id', '=', 'events.id').onRef('event_sessions.school_id', '=', 'events.school_id'))
    .select(['events.id', 'events.title', 'event_sessions.starts_at'])
    .where('events.school_id', '=', schoolId)
    .where('events.status', '=', 'published')
    .where('event_sessions.starts_at', '>', now)
    .orderBy('event_sessions.starts_at')
    .execute();
  const seen = new Map<string, { id: string; title: string; startsAt: string }>();
  for (const r of rows) if (!seen.has(r.id)) seen.set(r.id, { id: r.id, title: r.title, startsAt: r.starts_at });
  return [...seen.values()];
}
