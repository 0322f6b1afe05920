import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { verifyPassword } from './passwords.ts';

/**
 * Who is signing in with an email and password: a staff member, or a carer who chose a password.
 * One email may belong to staff records in several schools (a trust's staff) and to carer records
 * in several schools: the password chooses. Every candidate's password is checked, whether or not
 * an earlier one matched, so the time taken says nothing about how many schools know the address;
 * when the same password opens several records, staff come before carers and the earliest record
 * (the school the person joined first) wins. docs/security.md says so.
 */
export type PasswordSignIn =
  { ok: true; kind: 'staff'; id: string; schoolId: string; needsTotp: boolean } | { ok: true; kind: 'carer'; id: string; schoolId: string; needsTotp: false } | { ok: false };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function checkPassword(db: Kysely<Database>, email: string, password: string): Promise<PasswordSignIn> {
  const address = normaliseEmail(email);
  const staff = await db
    .selectFrom('staff')
    .select(['id', 'school_id', 'password_hash', 'totp_enabled_at'])
    .where('email', '=', address)
    .where('archived_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const carers = await db
    .selectFrom('carers')
    .select(['id', 'school_id', 'password_hash'])
    .where('email', '=', address)
    .where('password_hash', 'is not', null)
    .where('archived_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  if (staff.length === 0 && carers.length === 0) {
    await verifyPassword(null, password);
    return { ok: false };
  }
  let found: PasswordSignIn = { ok: false };
  for (const row of staff) {
    if ((await verifyPassword(row.password_hash, password)) && !found.ok) found = { ok: true, kind: 'staff', id: row.id, schoolId: row.school_id, needsTotp: !!row.totp_enabled_at };
  }
  // A staff address is checked against carer records only when no staff record has it (as before).
  if (staff.length > 0) return found;
  for (const row of carers) {
    if ((await verifyPassword(row.password_hash, password)) && !found.ok) found = { ok: true, kind: 'carer', id: row.id, schoolId: row.school_id, needsTotp: false };
  }
  return found;
}
