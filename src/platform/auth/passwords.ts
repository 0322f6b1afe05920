import { hash, verify, Algorithm } from '@node-rs/argon2';
import { english, type Text } from '../i18n/catalog.ts';

/** argon2id at OWASP's recommended minimum: 19 MiB memory, 2 iterations, 1 lane. */
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** A hash of a password nobody knows, checked when the account does not exist so timing tells nothing. */
let decoy: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  if (!storedHash) {
    decoy ??= hashPassword('not a real password, only here to spend the same time');
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}

/** Rules a person can read: at least 12 characters, not only spaces (in the reader's words, `t`). */
export function passwordProblem(password: string, t: Text = english): string | null {
  if (password.trim().length < 12) return t('auth.password.tooShort', { count: 12 });
  if (password.length > 200) return t('auth.password.tooLong', { count: 200 });
  return null;
}
