import type { Db } from '../../db/database.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import type { ScopeContext } from '../../platform/access/scope.ts';
import { staffWriterName, type PassedWords } from '../../platform/safeguarding/words.ts';
import { CONDUCT_READERS } from './conduct.ts';

/**
 * What staff wrote about a carer's behaviour towards them, for "Pass this to the DSL"
 * (features/safeguarding): an incident, and why an arrangement (a single point of contact, a ban
 * from the premises) was made. Found only for those who may open the carer's conduct page (the head
 * and senior leaders, CONDUCT_READERS); otherwise undefined, and the caller answers 404. No child
 * is chosen for the writer: the record is about an adult, whose children they choose from if it
 * concerns one. Reading the form is audited as reading the carer's conduct page is (conduct.viewed).
 */
const mayRead = (user: StaffUser) => user.roles.some((r) => CONDUCT_READERS.includes(r));

export async function conductIncidentForStaff(db: Db, user: StaffUser, _scope: ScopeContext, incidentId: string): Promise<PassedWords | undefined> {
  if (!mayRead(user)) return undefined;
  const i = await db
    .selectFrom('conduct_incidents as i')
    .leftJoin('staff as s', (j) => j.onRef('s.id', '=', 'i.recorded_by').onRef('s.school_id', '=', 'i.school_id'))
    .select(['i.id', 'i.carer_id', 'i.what', 'i.recorded_by', 'i.created_at', 's.title', 's.family_name'])
    .where('i.id', '=', incidentId)
    .where('i.school_id', '=', user.schoolId)
    .executeTakeFirst();
  if (!i) return undefined;
  return {
    source: 'conduct_incident',
    recordId: i.id,
    meetingId: null,
    pupilId: null,
    words: i.what,
    by: { kind: 'staff', id: i.recorded_by, name: staffWriterName(i) },
    writtenAt: i.created_at,
    link: `/carers/${i.carer_id}/conduct#incidents`,
    readAudit: { action: 'conduct.viewed', entity: 'carer', entityId: i.carer_id },
  };
}

export async function conductArrangementForStaff(db: Db, user: StaffUser, _scope: ScopeContext, arrangementId: string): Promise<PassedWords | undefined> {
  if (!mayRead(user)) return undefined;
  const a = await db
    .selectFrom('conduct_arrangements as a')
    .leftJoin('staff as s', (j) => j.onRef('s.id', '=', 'a.set_by').onRef('s.school_id', '=', 'a.school_id'))
    .select(['a.id', 'a.carer_id', 'a.reason', 'a.set_by', 'a.created_at', 's.title', 's.family_name'])
    .where('a.id', '=', arrangementId)
    .where('a.school_id', '=', user.schoolId)
    .executeTakeFirst();
  if (!a) return undefined;
  return {
    source: 'conduct_arrangement',
    recordId: a.id,
    meetingId: null,
    pupilId: null,
    words: a.reason,
    by: { kind: 'staff', id: a.set_by, name: staffWriterName(a) },
    writtenAt: a.created_at,
    link: `/carers/${a.carer_id}/conduct#arrangement-${a.id}`,
    readAudit: { action: 'conduct.viewed', entity: 'carer', entityId: a.carer_id },
  };
}
