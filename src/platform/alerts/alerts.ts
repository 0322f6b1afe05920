import type { Kysely } from 'kysely';
import type { Database, StaffAlertTable, StaffRole } from '../../db/schema.ts';
import { newId } from '../ids.ts';
import { enqueue } from '../outbox/outbox.ts';
import { absoluteLink } from '../web/links.ts';

type Db = Kysely<Database>;

export type StaffAlert = {
  schoolId: string;
  staffIds: string[];
  kind: StaffAlertTable['kind'];
  /** One line, shown on the home page and as the email subject. Say what happened, not the details. */
  title: string;
  /** Where in Gatepost to look (a path like /meetings/…); the email carries the link, never the content. */
  link: string;
  /** Makes the email idempotent: the same alert for the same person is sent once. */
  key: string;
};

/**
 * Tell members of staff something they must see: a row on their home page and an email through the
 * outbox, in the caller's transaction. Emails say where to look, not what was written (a
 * safeguarding note never leaves Gatepost by email).
 */
export async function alertStaff(db: Db, alert: StaffAlert, now: Date, baseUrl: string): Promise<void> {
  const ids = [...new Set(alert.staffIds)];
  if (ids.length === 0) return;
  const at = now.toISOString();
  await db
    .insertInto('staff_alerts')
    .values(ids.map((staffId) => ({ id: newId(), school_id: alert.schoolId, staff_id: staffId, kind: alert.kind, title: alert.title, link: alert.link, created_at: at, seen_at: null })))
    .execute();
  const people = await db.selectFrom('staff').select(['id', 'email', 'given_name']).where('id', 'in', ids).where('archived_at', 'is', null).execute();
  await enqueue(
    db,
    people.map((p) => ({
      channel: 'email' as const,
      schoolId: alert.schoolId,
      key: `alert:${alert.key}:${p.id}`,
      payload: { to: p.email, subject: alert.title, text: `Dear ${p.given_name},\n\n${alert.title}.\n\nSee it in Gatepost: ${absoluteLink(baseUrl, alert.link)}\n` },
    })),
    now,
  );
}

/** Staff holding any of the roles (e.g. the head; the DSL and deputies), not archived. */
export async function staffWithRoles(db: Db, schoolId: string, roles: readonly StaffRole[]): Promise<string[]> {
  const rows = await db
    .selectFrom('staff_roles')
    .innerJoin('staff', 'staff.id', 'staff_roles.staff_id')
    .select('staff.id')
    .distinct()
    .where('staff_roles.school_id', '=', schoolId)
    .where('staff_roles.role', 'in', [...roles])
    .where('staff.archived_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

/** Unseen alerts for one member of staff, newest first. */
export async function unseenAlerts(db: Db, schoolId: string, staffId: string) {
  return db
    .selectFrom('staff_alerts')
    .select(['id', 'kind', 'title', 'link', 'created_at'])
    .where('school_id', '=', schoolId)
    .where('staff_id', '=', staffId)
    .where('seen_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute();
}

/** Opening the thing an alert points to marks it seen. */
export async function markAlertsSeen(db: Db, schoolId: string, staffId: string, link: string, now: Date): Promise<void> {
  await db
    .updateTable('staff_alerts')
    .set({ seen_at: now.toISOString() })
    .where('school_id', '=', schoolId)
    .where('staff_id', '=', staffId)
    .where('link', '=', link)
    .where('seen_at', 'is', null)
    .execute();
}
