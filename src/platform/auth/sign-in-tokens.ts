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

/**
 * What using a link or code came to: signed in; or refused, saying whether it was a guess (no such
 * link or code, or a real link's selector with the wrong secret) or a real one that was used or had
 * run out (a person with an old letter or email, not a guesser). `carerId`: whose link was guessed at.
 */
export type Redemption = { ok: true; carerId: string; schoolId: string } | { ok: false; guess: boolean; carerId: string | null };

type TokenRow = { id: string; carer_id: string; school_id: string; expires_at: string; used_at: string | null };

/** Check the token and mark it used in one compare-and-set: only one request can ever win. */
async function redeem(db: Kysely<Database>, row: TokenRow, now: Date): Promise<Redemption> {
  const spent = { ok: false as const, guess: false, carerId: row.carer_id };
  if (row.used_at || row.expires_at <= now.toISOString()) return spent;
  const result = await db.updateTable('sign_in_tokens').set({ used_at: now.toISOString() }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? { ok: true, carerId: row.carer_id, schoolId: row.school_id } : spent;
}

const guess = (carerId: string | null = null): Redemption => ({ ok: false, guess: true, carerId });

export async function useSignInLink(db: Kysely<Database>, token: string, now: Date): Promise<Redemption> {
  const [selector, verifier] = token.split('.');
  if (!selector || !verifier || selector.length > 64) return guess();
  const row = await db.selectFrom('sign_in_tokens').selectAll().where('id', '=', selector).where('kind', '=', 'link').executeTakeFirst();
  if (!row) return guess();
  if (!safeEqual(row.verifier_hash, sha256(verifier))) return guess(row.carer_id);
  return redeem(db, row, now);
}

export async function useSignInCode(db: Kysely<Database>, typed: string, now: Date): Promise<Redemption> {
  const code = normaliseCode(typed);
  if (code.length !== 14) return guess();
  const row = await db.selectFrom('sign_in_tokens').selectAll().where('verifier_hash', '=', sha256(code)).where('kind', '=', 'code').executeTakeFirst();
  if (!row) return guess();
  return redeem(db, row, now);
}

const signedIn = (r: Redemption): Redeemed => (r.ok ? { carerId: r.carerId, schoolId: r.schoolId } : null);

/**
 * Whose live link this is (right secret, unused, in time), without using it: the page that asks them
 * to press "Sign in" speaks their language. Null for anything else (that page stays in English).
 */
export async function whoseSignInLink(db: Kysely<Database>, token: string, now: Date): Promise<{ carerId: string; schoolId: string; language: string } | null> {
  const [selector, verifier] = token.split('.');
  if (!selector || !verifier || selector.length > 64) return null;
  const row = await db
    .selectFrom('sign_in_tokens')
    .innerJoin('carers', 'carers.id', 'sign_in_tokens.carer_id')
    .select(['sign_in_tokens.verifier_hash', 'sign_in_tokens.used_at', 'sign_in_tokens.expires_at', 'sign_in_tokens.school_id', 'carers.id as carer_id', 'carers.preferred_language'])
    .where('sign_in_tokens.id', '=', selector)
    .where('sign_in_tokens.kind', '=', 'link')
    .executeTakeFirst();
  if (!row || !safeEqual(row.verifier_hash, sha256(verifier)) || row.used_at || row.expires_at <= now.toISOString()) return null;
  return { carerId: row.carer_id, schoolId: row.school_id, language: row.preferred_language };
}

/** Who a link signs in, or null (for callers that need no reason). */
export async function redeemSignInLink(db: Kysely<Database>, token: string, now: Date): Promise<Redeemed> {
  return signedIn(await useSignInLink(db, token, now));
}

/** Who a printed code signs in, or null. */
export async function redeemSignInCode(db: Kysely<Database>, typed: string, now: Date): Promise<Redeemed> {
  return signedIn(await useSignInCode(db, typed, now));
}
