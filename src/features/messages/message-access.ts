import type { MessageTable } from '../../db/schema.ts';
import { hasAnyRole, WHOLE_SCHOOL_ROLES, type StaffUser } from '../../platform/access/roles.ts';

/** A message a member of staff may open (and download the reach of): leaders and pastoral staff see every message; others their own. */
export function mayOpenMessage(user: StaffUser, message: Pick<MessageTable, 'created_by'>): boolean {
  return message.created_by === user.id || hasAnyRole(user, WHOLE_SCHOOL_ROLES);
}
