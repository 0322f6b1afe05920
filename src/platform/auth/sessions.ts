import type { Kysely } from 'kysely';
import type { Database, SessionTable, StaffRole } from '../../db/schema.ts';
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

export type LoadedSession = { session: SessionRow; user: User | null };

/** Find the session for a cookie token and the person behind it; null when absent or expired. */
export async function loadSession(db: Kysely<Database>, token: string, config: Config['sessions'], now: Date): Promise<LoadedSession | null> {
  const session = await db.selectFrom('sessions').selectAll().where('id', '=', sha256(token)).executeTakeFirst();
  if (!session) return null;
  if (sessionExpired(session, config, now)) {
    await db.deleteFrom('sessions').where('id', '=', session.id).execute();
    return null;
  }
  // Touch at most once a minute: keeps the idle clock honest without a write per request.
  if (now.getTime() - Date.parse(session.last_seen_at) > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id', '=', session.id).execute();
  }
  if (session.second_factor_pending) return { session, user: null };
  const user = await loadUser(db, session.user_kind, session.user_id, session.school_id);
  return user ? { session, user } : null;
}

export async function loadUser(db: Kysely<Database>, kind: 'staff' | 'carer', id: string, schoolId: string): Promise<User | null> {
  if (kind === 'staff') {
    const staff = await db
      .selectFrom('staff')
      .select(['id', 'school_id', 'title', 'given_name', 'family_name', 'email'])
      .where('id', '=', id)
      .where('school_id', '=', schoolId)
      .where('archived_at', 'is', null)
      .executeTakeFirst();
    if (!staff) return null;
    const roles = await db.selectFrom('staff_roles').select('role').where('staff_id', '=', id).execute();
    return {
      kind: 'staff',
      id: staff.id,
      schoolId: staff.school_id,
      roles: roles.map((r) => r.role as StaffRole),
      name: `${staff.title} ${staff.family_name}`,
      email: staff.email,
    };
  }
  const carer = await db
    .selectFrom('carers')
    .select(['id', 'school_id', 'given_name', 'family_name', 'email'])
    .where('id', '=', id)
    .where('school_id', '=', schoolId)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  if (!carer) return null;
  return { kind: 'carer', id: carer.id, schoolId: carer.school_id, name: `${carer.given_name} ${carer.family_name}`, email: carer.email };
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
