import type { Kysely } from 'kysely';
import type { Database, SchoolRow, SessionTable } from '../../db/schema.ts';
import { prepared } from '../../db/prepared.ts';
import type { Config } from '../../config.ts';
import type { User } from '../access/roles.ts';
import { randomToken, sha256 } from './tokens.ts';

/**
 * Server-side sessions in the database (any app server can read them). The cookie holds a random
 * token; the database holds only its hash. Sessions end after an idle time and an absolute time.
 */
export type SessionRow = SessionTable;

export async function createSession(
  db: Kysely<Database>,
  user: { kind: 'staff' | 'carer'; id: string; schoolId: string },
  now: Date,
  secondFactorPending = false,
): Promise<{ token: string; session: SessionRow }> {
  const token = randomToken();
  const session: SessionRow = {
    id: sha256(token),
    user_kind: user.kind,
    user_id: user.id,
    school_id: user.schoolId,
    csrf_token: randomToken(24),
    second_factor_pending: secondFactorPending ? 1 : 0,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
  };
  await db.insertInto('sessions').values(session).execute();
  return { token, session };
}

export function sessionExpired(session: SessionRow, config: Config['sessions'], now: Date): boolean {
  const staff = session.user_kind === 'staff';
  const idleMs = (staff ? config.staffIdleMinutes : config.carerIdleMinutes) * 60_000;
  const absoluteMs = (staff ? config.staffAbsoluteHours : config.carerAbsoluteHours) * 3_600_000;
  const t = now.getTime();
  return t - Date.parse(session.last_seen_at) > idleMs || t - Date.parse(session.created_at) > absoluteMs;
}

export type LoadedSession = { session: SessionRow; user: User | null; school: SchoolRow };

/**
 * The session, the person and their school in one read: every signed-in request makes it, so it is
 * compiled once (see prepared) and is a single round trip on PostgreSQL, with its plan kept
 * (src/db/kept-plans.ts). A member of staff's roles come with it, one row each (no JSON aggregation,
 * the same on both databases; a carer, or staff with no role, is one row with no role): one round
 * trip less on every staff page. A carer's contact details come with it too (the carer home page
 * shows them): one round trip less on every carer home page.
 */
const signedIn = prepared(
  ['id'],
  (db, q) =>
    db
      .selectFrom('sessions as se')
      .innerJoin('schools as sc', 'sc.id', 'se.school_id')
      .leftJoin('carers as c', (j) => j.onRef('c.id', '=', 'se.user_id').onRef('c.school_id', '=', 'se.school_id').on('se.user_kind', '=', 'carer').on('c.archived_at', 'is', null))
      .leftJoin('staff as st', (j) => j.onRef('st.id', '=', 'se.user_id').onRef('st.school_id', '=', 'se.school_id').on('se.user_kind', '=', 'staff').on('st.archived_at', 'is', null))
      .leftJoin('staff_roles as sr', (j) => j.onRef('sr.staff_id', '=', 'st.id').onRef('sr.school_id', '=', 'st.school_id'))
      .select(['se.id', 'se.user_kind', 'se.user_id', 'se.school_id', 'se.csrf_token', 'se.second_factor_pending', 'se.created_at', 'se.last_seen_at'])
      .select(['sc.name as school_name', 'sc.urn', 'sc.phase', 'sc.time_zone', 'sc.colour', 'sc.teachers_see_all_pupils', 'sc.created_at as school_created_at'])
      .select([
        'c.id as carer_id',
        'c.given_name as carer_given_name',
        'c.family_name as carer_family_name',
        'c.email as carer_email',
        'c.preferred_language as carer_language',
        'c.mobile as carer_mobile',
      ])
      .select(['st.id as staff_id', 'st.title', 'st.family_name as staff_family_name', 'st.email as staff_email', 'sr.role'])
      .where('se.id', '=', q.id),
  { keepPlan: true },
);

/** Find the session for a cookie token, the person behind it and their school; null when absent or expired. */
export async function loadSession(db: Kysely<Database>, token: string, config: Config['sessions'], now: Date): Promise<LoadedSession | null> {
  const rows = await signedIn(db, { id: sha256(token) });
  const row = rows[0];
  if (!row) return null;
  const session: SessionRow = {
    id: row.id,
    user_kind: row.user_kind,
    user_id: row.user_id,
    school_id: row.school_id,
    csrf_token: row.csrf_token,
    second_factor_pending: row.second_factor_pending,
    created_at: row.created_at,
    last_seen_at: row.last_seen_at,
  };
  if (sessionExpired(session, config, now)) {
    await db.deleteFrom('sessions').where('id', '=', session.id).execute();
    return null;
  }
  // Touch at most once a minute: keeps the idle clock honest without a write per request.
  if (now.getTime() - Date.parse(session.last_seen_at) > 60_000) touchSoon(db, session.id, now);
  const school: SchoolRow = {
    id: row.school_id,
    name: row.school_name,
    urn: row.urn,
    phase: row.phase,
    time_zone: row.time_zone,
    colour: row.colour,
    teachers_see_all_pupils: row.teachers_see_all_pupils,
    created_at: row.school_created_at,
  };
  if (session.second_factor_pending) return { session, user: null, school };
  let user: User | null = null;
  if (row.carer_id) {
    user = {
      kind: 'carer',
      id: row.carer_id,
      schoolId: row.school_id,
      name: `${row.carer_given_name} ${row.carer_family_name}`,
      email: row.carer_email,
      language: row.carer_language ?? 'English',
      contact: { email: row.carer_email, mobile: row.carer_mobile, preferred_language: row.carer_language },
    };
  } else if (row.staff_id) {
    const roles = rows.flatMap((r) => (r.role ? [r.role] : []));
    user = { kind: 'staff', id: row.staff_id, schoolId: row.school_id, roles, name: `${row.title} ${row.staff_family_name}`, email: row.staff_email! };
  }
  return user ? { session, user, school } : null;
}

export async function destroySession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
}

/** Sign a person out everywhere (after a password change, say). */
export async function destroySessionsOf(db: Kysely<Database>, userId: string, exceptSessionId?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptSessionId) q = q.where('id', '!=', exceptSessionId);
  await q.execute();
}

/**
 * The sessions seen since the last write, written together once a second: a session's idle clock is
 * honest to the second without a write, and a commit, on the way of the page asked for. When booking
 * opens, a thousand carers' first pages each touched their session (a commit each: on PostgreSQL a
 * flush of its log to disk while the carer waited). The time is kept to the second, so sessions seen
 * within the same second are written by one statement.
 */
const TOUCH_EVERY_MS = 1000;
const ONE_STATEMENT = 900; // ids per IN (...) list: under SQLite's bind limit
const touches = new WeakMap<Kysely<Database>, Map<string, string>>();

function touchSoon(db: Kysely<Database>, sessionId: string, now: Date): void {
  let seen = touches.get(db);
  if (!seen) touches.set(db, (seen = new Map()));
  if (seen.size === 0) setTimeout(() => void writeTouches(db), TOUCH_EVERY_MS).unref();
  seen.set(sessionId, new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString());
}

/** Write the sessions seen (also for tests, which need not wait a second). A failed write is dropped: the next request touches again. */
export async function writeTouches(db: Kysely<Database>): Promise<void> {
  const seen = touches.get(db);
  if (!seen || seen.size === 0) return;
  const bySecond = new Map<string, string[]>();
  for (const [id, at] of seen) bySecond.set(at, [...(bySecond.get(at) ?? []), id]);
  seen.clear();
  for (const [at, ids] of bySecond) {
    for (let i = 0; i < ids.length; i += ONE_STATEMENT) {
      await db
        .updateTable('sessions')
        .set({ last_seen_at: at })
        .where('id', 'in', ids.slice(i, i + ONE_STATEMENT))
        .execute()
        .catch(() => undefined);
    }
  }
}
