import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { newId } from '../ids.ts';
import { normaliseCode, printableCode, randomToken, safeEqual, sha256 } from './tokens.ts';

/**
 * Carer sign-in without a password:
 * - an emailed link `selector.verifier`: the selector finds the row, the verifier's hash is compared
 *   in constant time; it has a lifetime and works once;
 * - a printed code for carers with no email, given by the office: long-lived, works once.
 */
export async function issueSignInLink(db: Kysely<Database>, carer: { id: string; schoolId: string }, now: Date, lifetimeMinutes: number): Promise<string> {
  const selector = newId();
  const verifier = randomToken();
  await db
    .insertInto('sign_in_tokens')
    .values({
      id: selector,
      school_id: carer.schoolId,
      carer_id: carer.id,
      kind: 'link',
      verifier_hash: sha256(verifier),
      expires_at: new Date(now.getTime() + lifetimeMinutes * 60_000).toISOString(),
      used_at: null,
      created_by: null,
      created_at: now.toISOString(),
    })
    .execute();
  return `${selector}.${verifier}`;
}

export async function issueSignInCode(db: Kysely<Database>, carer: { id: string; schoolId: string }, issuedBy: string, now: Date, lifetimeDays: number): Promise<{ code: string; expiresAt: string }> {
  const code = printableCode();
  const expiresAt = new Date(now.getTime() + lifetimeDays * 86_400_000).toISOString();
  // A new code replaces any earlier unused one for the same carer.
  await db.updateTable('sign_in_tokens').set({ used_at: now.toISOString() }).where('carer_id', '=', carer.id).where('kind', '=', 'code').where('used_at', 'is', null).execute();
  await db
    .insertInto('sign_in_tokens')
    .values({
      id: newId(),
      school_id: carer.schoolId,
      carer_id: carer.id,
      kind: 'code',
      verifier_hash: sha256(code),
      expires_at: expiresAt,
      used_at: null,
      created_by: issuedBy,
      created_at: now.toISOString(),
    })
    .execute();
  return { code, expiresAt };
}

export type Redeemed = { carerId: string; schoolId: string } | null;

/** Check the token and mark it used in one compare-and-set: only one request can ever win. */
async function redeem(db: Kysely<Database>, row: { id: string; carer_id: string; school_id: string; expires_at: string; used_at: string | null }, now: Date): Promise<Redeemed> {
  if (row.used_at || row.expires_at <= now.toISOString()) return null;
  const result = await db.updateTable('sign_in_tokens').set({ used_at: now.toISOString() }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? { carerId: row.carer_id, schoolId: row.school_id } : null;
}

export async function redeemSignInLink(db: Kysely<Database>, token: string, now: Date): Promise<Redeemed> {
  const [selector, verifier] = token.split('.');
  if (!selector || !verifier || selector.length > 64) return null;
  const row = await db.selectFrom('sign_in_tokens').selectAll().where('id', '=', selector).where('kind', '=', 'link').executeTakeFirst();
  if (!row || !safeEqual(row.verifier_hash, sha256(verifier))) return null;
  return redeem(db, row, now);
}

export async function redeemSignInCode(db: Kysely<Database>, typed: string, now: Date): Promise<Redeemed> {
  const code = normaliseCode(typed);
  if (code.length !== 14) return null;
  const row = await db.selectFrom('sign_in_tokens').selectAll().where('verifier_hash', '=', sha256(code)).where('kind', '=', 'code').executeTakeFirst();
  if (!row) return null;
  return redeem(db, row, now);
}
