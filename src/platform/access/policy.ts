import type { StaffRole } from '../../db/schema.ts';
import { hasAnyRole, STAFF_ROLES, type User } from './roles.ts';

/**
 * Every route declares who may use it. A route without a policy stops the app from starting.
 * - anyone: public pages (sign-in, health, assets)
 * - staff: signed-in staff holding one of the roles; `scope` says how far they reach
 *   ('school' = their own school; 'own_classes' = pupils they teach, or the school if it allows;
 *   'restricted' = details only head/DSL may read). Route params named pupilId or carerId are
 *   checked against the user's reach before the handler runs, and answer 404 when out of reach.
 * - carer: signed-in carers; scope 'own_children' (params checked the same way).
 * - provider: an outside service calling back (a text message provider's delivery receipts): no
 *   session and no CSRF token; the handler refuses anything without the provider's valid signature.
 */
export type Policy =
  | { who: 'anyone' }
  | { who: 'staff'; roles: readonly StaffRole[]; scope: 'school' | 'own_classes' | 'restricted' }
  | { who: 'carer'; scope: 'own_children' }
  | { who: 'signed_in' }
  | { who: 'provider' };

export const anyone: Policy = { who: 'anyone' };
export const signedIn: Policy = { who: 'signed_in' };
export const provider: Policy = { who: 'provider' };
export const carers: Policy = { who: 'carer', scope: 'own_children' };
export const allStaff = (scope: 'school' | 'own_classes' = 'school'): Policy => ({ who: 'staff', roles: STAFF_ROLES, scope });
export const staff = (roles: readonly StaffRole[], scope: 'school' | 'own_classes' | 'restricted' = 'school'): Policy => ({
  who: 'staff',
  roles,
  scope,
});

export type Decision = 'allow' | 'sign_in' | 'deny';

/** The first gate: is this kind of user allowed on this route at all? (Scope checks come next.) */
export function decide(policy: Policy, user: User | null): Decision {
  if (policy.who === 'anyone' || policy.who === 'provider') return 'allow';
  if (!user) return 'sign_in';
  if (policy.who === 'signed_in') return 'allow';
  if (policy.who === 'carer') return user.kind === 'carer' ? 'allow' : 'deny';
  return hasAnyRole(user, policy.roles) ? 'allow' : 'deny';
}

/** Which kinds of signed-in person a policy lets in: used by the access matrix test and docs. */
export function policyAllows(policy: Policy, who: StaffRole | 'carer' | 'anonymous'): boolean {
  if (policy.who === 'anyone' || policy.who === 'provider') return true;
  if (who === 'anonymous') return false;
  if (policy.who === 'signed_in') return true;
  if (policy.who === 'carer') return who === 'carer';
  return who !== 'carer' && policy.roles.includes(who);
}
