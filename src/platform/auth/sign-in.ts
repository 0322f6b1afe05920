import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { verifyPassword } from './passwords.ts';

/**
 * Who is signing in with an email and password: a staff member, or a carer who chose a password.
 * Staff emails are unique; a carer's email may belong to carer records in several schools, so the
 * first with a matching password wins.
 */
export type PasswordSignIn =
  { ok: true; kind: 'staff'; id: string; schoolId: string; needsTotp: boolean } | { ok: true; kind: 'carer'; id: string; schoolId: string; needsTotp: false } | { ok: false };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function checkPassword(db: Kysely<Database>, email: string, password: string): Promise<PasswordSignIn> {
  const address = normaliseEmail(email);
  const staff = await db.selectFrom('staff').select(['id', 'school_id', 'password_hash', 'totp_enabled_at']).where('email', '=', address).where('archived_at', 'is', null).executeTakeFirst();
  if (staff) {
    if (!(await verifyPassword(staff.password_hash, password))) return { ok: false };
    return { ok: true, kind: 'staff', id: staff.id, schoolId: staff.school_id, needsTotp: !!staff.totp_enabled_at };
  }
  const carers = await db
    .selectFrom('carers')
    .select(['id', 'school_id', 'password_hash'])
    .where('email', '=', address)
    .where('password_hash', 'is not', null)
    .where('archived_at', 'is', null)
    .execute();
  if (carers.length === 0) {
    await verifyPassword(null, password);
    return { ok: false };
  }
  for (const carer of carers) {
    if (await verifyPassword(carer.password_hash, password)) return { ok: true, kind: 'carer', id: carer.id, schoolId: carer.school_id, needsTotp: false };
  }
  return { ok: false };
}
