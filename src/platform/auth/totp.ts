import { Secret, TOTP } from 'otpauth';

/** Time-based one-time passwords (RFC 6238) for staff who turn on two-step sign-in. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, label: string): TOTP {
  return new TOTP({ issuer: 'Gatepost', label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
}

export function totpUri(secret: string, label: string): string {
  return totp(secret, label).toString();
}

/** Accepts the current code and one either side (clock drift). */
export function checkTotp(secret: string, code: string): boolean {
  const clean = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(clean)) return false;
  return totp(secret, 'check').validate({ token: clean, window: 1 }) !== null;
}

export function currentTotp(secret: string): string {
  return totp(secret, 'now').generate();
}
