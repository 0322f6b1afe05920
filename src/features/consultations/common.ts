// What the policy register, the comments and the sending share: who acts, what a command answers, the rows it acts on.
import type { Kysely } from 'kysely';
import type { ConsultationTable, Database, PolicyTable, Selectable } from './types.ts';
import type { Actor } from '../../platform/audit/audit.ts';

export type Db = Kysely<Database>;
export type Policy = Omit<Selectable<PolicyTable>, 'document_base64'>;
export type Consultation = Selectable<ConsultationTable>;
export type Done = { ok: true; id: string } | { ok: false; field: string; message: string };
export type SendContext = { baseUrl: string; schoolName: string; today: string; now: Date };
export type StaffActor = { staffId: string; schoolId: string; ip?: string | null };

export const staffActor = (by: StaffActor): Actor => ({ kind: 'staff', id: by.staffId, schoolId: by.schoolId, ip: by.ip ?? null });
