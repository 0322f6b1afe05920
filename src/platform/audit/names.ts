import type { Db } from '../../db/database.ts';
import { languageByCode } from '../i18n/languages.ts';

/**
 * The names behind the ids an audit entry holds (pupils, carers, staff, classes, messages, evenings,
 * meetings, groups, concerns) and languages ("pl" → "Polish"), in one school, so the log reads "Jakub Nowak",
 * never "01a2…". An id that names nothing here (deleted, or another kind of record) is left out and
 * shown as "a record".
 */
export async function namesOf(db: Db, schoolId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return names;
  const add = (rows: { id: string; name: string }[]) => rows.forEach((r) => names.set(r.id, r.name));
  const [pupils, carers, staff, classes, messages, evenings, meetings, groups, concerns] = await Promise.all([
    db.selectFrom('pupils').select(['id', 'given_name', 'preferred_name', 'family_name']).where('school_id', '=', schoolId).where('id', 'in', wanted).execute(),
    db.selectFrom('carers').select(['id', 'given_name', 'family_name']).where('school_id', '=', schoolId).where('id', 'in', wanted).execute(),
    db.selectFrom('staff').select(['id', 'title', 'family_name']).where('school_id', '=', schoolId).where('id', 'in', wanted).execute(),
    db.selectFrom('classes').select(['id', 'name']).where('school_id', '=', schoolId).where('id', 'in', wanted).execute(),
    db.selectFrom('messages').select(['id', 'subject as name']).where('school_id', '=', schoolId).where('id', 'in', wanted).execute(),
    db.selectFrom('evenings').select(['id', 'name']).where('school_id', '=', schoolId).where('id', 'in', wanted).execute(),
    db.selectFrom('meetings').select(['id', 'topic as name']).where('school_id', '=', schoolId).where('id', 'in', wanted).execute(),
    db.selectFrom('carer_groups').select(['id', 'name']).where('school_id', '=', schoolId).where('id', 'in', wanted).execute(),
    db
      .selectFrom('concerns')
      .innerJoin('pupils', 'pupils.id', 'concerns.pupil_id')
      .select(['concerns.id', 'pupils.given_name', 'pupils.preferred_name', 'pupils.family_name'])
      .where('concerns.school_id', '=', schoolId)
      .where('concerns.id', 'in', wanted)
      .execute(),
  ]);
  add(pupils.map((p) => ({ id: p.id, name: `${p.preferred_name ?? p.given_name} ${p.family_name}` })));
  add(carers.map((c) => ({ id: c.id, name: `${c.given_name} ${c.family_name}` })));
  add(staff.map((s) => ({ id: s.id, name: `${s.title} ${s.family_name}`.trim() })));
  add(classes);
  add(messages.map((m) => ({ id: m.id, name: `“${m.name}”` })));
  add(evenings);
  add(meetings.map((m) => ({ id: m.id, name: `“${m.name}”` })));
  add(groups);
  add(concerns.map((c) => ({ id: c.id, name: `about ${c.preferred_name ?? c.given_name} ${c.family_name}` })));
  for (const id of wanted) {
    const language = languageByCode(id);
    if (language) names.set(id, language.name);
  }
  return names;
}
