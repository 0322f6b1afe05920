import type { StaffRole } from '../../../db/schema.ts';

/**
 * Confidentiality (issue 14, point 8): only the case team sees a complaint — the investigating
 * officer, the panel, the clerk, and the head unless the complaint is about them (then the person the
 * settings route it to, usually the chair of governors; a complaint about a governor goes to the
 * clerk/chair). Nobody else on the staff, however senior, and nobody named in it.
 */
export type CaseFacts = {
  about: 'matter' | 'head' | 'governor';
  officerId: string | null;
  panel: readonly string[];
  named: readonly string[];
  clerkId: string | null;
  headComplaintsTo: string | null;
  governorComplaintsTo: string | null;
};
export type Reader = { id: string; roles: readonly StaffRole[] };

export type CaseRole = 'lead' | 'officer' | 'panel' | 'clerk';

/** This person's part in the case, or null when they may not see it at all. The lead appoints people and sends letters. */
export function caseRole(reader: Reader, c: CaseFacts): CaseRole | null {
  if (c.named.includes(reader.id) && c.officerId !== reader.id) return null;
  const lead = c.about === 'head' ? c.headComplaintsTo === reader.id : c.about === 'governor' ? c.governorComplaintsTo === reader.id : reader.roles.includes('head');
  if (lead) return 'lead';
  if (c.officerId === reader.id) return 'officer';
  if (c.panel.includes(reader.id)) return 'panel';
  if (c.clerkId === reader.id) return 'clerk';
  return null;
}
