import type { StaffRole } from '../../db/schema.ts';

export const STAFF_ROLES: readonly StaffRole[] = ['head', 'senior_leader', 'teacher', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison', 'governor'] as const;

export const ROLE_LABELS: Record<StaffRole, string> = {
  head: 'Head teacher',
  senior_leader: 'Senior leader',
  teacher: 'Teacher',
  office: 'Office',
  dsl: 'Designated Safeguarding Lead',
  deputy_dsl: 'Deputy DSL',
  senco: 'SENCO',
  family_liaison: 'Family liaison officer',
  governor: 'Governor',
};

export type StaffUser = {
  kind: 'staff';
  id: string;
  schoolId: string;
  roles: StaffRole[];
  name: string;
  email: string;
};

export type CarerUser = {
  kind: 'carer';
  id: string;
  schoolId: string;
  name: string;
  email: string | null;
  /** The language the school recorded for them ("Polish"): their pages are in it when Gatepost has it. */
  language?: string;
  /** What the school holds to reach them, as read with their session (the carer home page shows it). */
  contact?: { email: string | null; mobile: string | null; preferred_language: string | null };
};

export type User = StaffUser | CarerUser;

/** Roles that see every pupil of their school (pastoral, office and leadership work needs it). */
export const WHOLE_SCHOOL_ROLES: readonly StaffRole[] = ['head', 'senior_leader', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison'];

/** Things a staff member may do beyond seeing; each names the roles that may. */
export const CAPABILITIES = {
  /** Edit pupils, carers and their links. */
  editPeople: ['head', 'senior_leader', 'office'],
  /** Upload the records system's export. */
  importRecords: ['head', 'office'],
  /** Read what a restriction (court order) says; others only see that one is in force. */
  readRestrictionDetails: ['head', 'dsl'],
  /** Record or lift a restriction. */
  manageRestrictions: ['head', 'dsl'],
  /** Give a carer with no email a printed one-time sign-in code. */
  issueSignInCodes: ['head', 'office'],
  /** Read the audit log. */
  readAudit: ['head'],
  /** See which families the school has reached and record calls and words at the gate. */
  readReach: ['head', 'senior_leader', 'office', 'family_liaison', 'dsl', 'deputy_dsl', 'senco'],
  /** Set up parents' evenings and book for any family. */
  leadEvenings: ['head', 'senior_leader', 'office'],
  /** Write up a parents' evening appointment as a meeting record. */
  recordBookings: ['head', 'senior_leader', 'teacher'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Capability = keyof typeof CAPABILITIES;

export const REACH_ROLES: readonly StaffRole[] = CAPABILITIES.readReach;
export const EVENING_LEADERS: readonly StaffRole[] = CAPABILITIES.leadEvenings;
export const BOOKING_RECORD_ROLES: readonly StaffRole[] = CAPABILITIES.recordBookings;

export function hasAnyRole(user: User | null | undefined, roles: readonly StaffRole[]): boolean {
  return !!user && user.kind === 'staff' && user.roles.some((r) => roles.includes(r));
}

export function can(user: User | null | undefined, capability: Capability): boolean {
  return hasAnyRole(user, CAPABILITIES[capability]);
}

/** Whether a staff member sees all pupils of the school or only their own classes (or none). */
export function pupilReach(user: StaffUser, teachersSeeAllPupils: boolean): 'school' | 'own_classes' | 'none' {
  if (hasAnyRole(user, WHOLE_SCHOOL_ROLES)) return 'school';
  if (user.roles.includes('teacher')) return teachersSeeAllPupils ? 'school' : 'own_classes';
  return 'none';
}
