import type { Counted, Rule } from './rate-limit.ts';

/**
 * Gatepost's sign-in limits (docs/security.md says the same in words). They count wrong guesses, not
 * people: a sign-in that works is never counted, and an emailed link or printed code that is right
 * always works, checked before any limit. Nobody is locked out; a guesser is made to wait longer and
 * longer. A network (see network.ts) may be a whole mobile network's worth of families at 18:00, so
 * its allowance is large; what it stops is one place making many wrong guesses.
 */
const minutes = (n: number) => n * 60;

export const LIMITS = {
  /** Wrong passwords for one account from one network: the guesser waits, the real person elsewhere does not. */
  passwordPair: { free: 5, windowMinutes: 60, firstWaitSeconds: 2, maxWaitSeconds: minutes(15) },
  /** Wrong passwords from one network, whatever the accounts (one place trying many accounts). */
  passwordNetwork: { free: 50, windowMinutes: 15, firstWaitSeconds: 1, maxWaitSeconds: 60 },
  /** Wrong two-step codes for one member of staff from one network. */
  totpPair: { free: 5, windowMinutes: 60, firstWaitSeconds: 2, maxWaitSeconds: minutes(15) },
  /** Links and codes that are not real, from one network (a used or expired real one is not a guess). */
  tokenNetwork: { free: 20, windowMinutes: 15, firstWaitSeconds: 1, maxWaitSeconds: 60 },
  /** A real link's selector with a wrong secret: someone is guessing at one carer's link. */
  linkAccount: { free: 5, windowMinutes: 60, firstWaitSeconds: 2, maxWaitSeconds: minutes(15) },
  /** Sign-in links asked for one email address (no mail-bombing): a few, then a wait. */
  linkRequestEmail: { free: 3, windowMinutes: 15, firstWaitSeconds: 60, maxWaitSeconds: minutes(15) },
  /** Sign-in links asked for from one network, for any addresses. */
  linkRequestNetwork: { free: 300, windowMinutes: 15, firstWaitSeconds: 1, maxWaitSeconds: 60 },
} satisfies Record<string, Rule>;

/**
 * Wrong passwords (or two-step codes) for one account from anywhere, in a day: not a limit (the real
 * person must still get in) but a warning, emailed to the account holder once when the count reaches
 * `free`. The count starts again a day after the first wrong guess: at most one warning a day.
 */
export const WARN_ACCOUNT_HOLDER: Rule = { free: 5, windowMinutes: 24 * 60, firstWaitSeconds: 0, maxWaitSeconds: 0 };

/** What each kind of attempt is counted against. */
export const counted = {
  password: (email: string, network: string): Counted[] => [
    { bucket: 'password:pair', key: `${email} ${network}`, rule: LIMITS.passwordPair },
    { bucket: 'password:network', key: network, rule: LIMITS.passwordNetwork },
  ],
  passwordAccount: (email: string): Counted => ({ bucket: 'password:account', key: email, rule: WARN_ACCOUNT_HOLDER }),
  totp: (staffId: string, network: string): Counted[] => [{ bucket: 'totp:pair', key: `${staffId} ${network}`, rule: LIMITS.totpPair }],
  totpAccount: (staffId: string): Counted => ({ bucket: 'totp:account', key: staffId, rule: WARN_ACCOUNT_HOLDER }),
  token: (network: string, carerId: string | null): Counted[] => [
    { bucket: 'token:network', key: network, rule: LIMITS.tokenNetwork },
    ...(carerId ? [{ bucket: 'link:account', key: carerId, rule: LIMITS.linkAccount }] : []),
  ],
  linkRequest: (email: string, network: string): Counted[] => [
    { bucket: 'link-request:email', key: email, rule: LIMITS.linkRequestEmail },
    { bucket: 'link-request:network', key: network, rule: LIMITS.linkRequestNetwork },
  ],
};

/** "Wait 8 seconds", "Wait 3 minutes": the wait in words a person reads. */
export function waitWords(seconds: number): string {
  if (seconds < 60) return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  const m = Math.ceil(seconds / 60);
  return `${m} ${m === 1 ? 'minute' : 'minutes'}`;
}
