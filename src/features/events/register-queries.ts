import type { Db } from '../../db/database.ts';
import { whoMayHear } from '../../platform/access/hear.ts';
import { pupilReach, type StaffUser } from '../../platform/access/roles.ts';
import { pupilsVisibleTo, type ScopeContext } from '../../platform/access/scope.ts';
import { doorChild, familyMatches, type DoorChild } from './register.ts';
import { carerNames } from './queries.ts';

/**
 * What the register at the door reads besides the invitations: the children each family may be known
 * by, the families who came without being asked (walk-ins), and the school's families a search finds.
 * Whether a carer may hear about a child is asked of the one rule (platform/access/hear.ts, for the
 * portal, as the invitation was sent); whether this member of staff may see the child, of the staff
 * scope (platform/access/scope.ts): a teacher who sees only their own classes sees only those children.
 */
type Family = { carerId: string; pupilIds: readonly string[] };
const CHUNK = 900; // ids per IN (...) list: under SQLite's bind limit

/** For each family, the children of those given that the carer may hear about and this person may see. */
export async function doorChildren(db: Db, user: StaffUser, scope: ScopeContext, families: readonly Family[]): Promise<Map<string, DoorChild[]>> {
  const wanted = new Set(families.flatMap((f) => f.pupilIds.map((p) => `${f.carerId}:${p}`)));
  const answers = await whoMayHear(db, {
    schoolId: user.schoolId,
    pupilIds: families.flatMap((f) => f.pupilIds),
    purpose: 'portal',
    today: scope.today,
    carerIds: families.map((f) => f.carerId),
  });
  const may = answers.filter((a) => a.decision.may && wanted.has(`${a.carerId}:${a.pupilId}`));
  const ids = [...new Set(may.map((a) => a.pupilId))];
  const pupils = new Map<string, DoorChild>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('pupils')
      .select(['pupils.id', 'pupils.given_name', 'pupils.preferred_name', 'pupils.family_name', 'pupils.year_group'])
      .where('pupils.school_id', '=', user.schoolId)
      .where('pupils.id', 'in', ids.slice(i, i + CHUNK))
      .where('pupils.archived_at', 'is', null)
      .where(pupilsVisibleTo(user, scope.today, scope.teachersSeeAllPupils))
      .execute();
    for (const p of rows) pupils.set(p.id, doorChild(p));
  }
  const children = new Map<string, DoorChild[]>();
  for (const a of may) {
    const child = pupils.get(a.pupilId);
    if (child) children.set(a.carerId, [...(children.get(a.carerId) ?? []), child]);
  }
  for (const list of children.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  return children;
}

/**
 * Families ticked on a session who were not asked to the event (walk-ins), each with all their
 * children: the event's audience did not cover them (or they joined since it was sent), and the door
 * found them by these names, so the register finds them by the same names (doorChildren still leaves
 * out any child the carer may not hear about).
 */
export async function walkInFamilies(db: Db, schoolId: string, carerIds: readonly string[]): Promise<(Family & { name: string })[]> {
  if (carerIds.length === 0) return [];
  const names = await carerNames(db, schoolId, [...carerIds]);
  const links: { carer_id: string; pupil_id: string }[] = [];
  for (let i = 0; i < carerIds.length; i += CHUNK)
    links.push(
      ...(await db
        .selectFrom('carer_pupils')
        .select(['carer_id', 'pupil_id'])
        .where('school_id', '=', schoolId)
        .where('carer_id', 'in', carerIds.slice(i, i + CHUNK))
        .execute()),
    );
  return carerIds.map((carerId) => ({
    carerId,
    name: names.get(carerId)?.name ?? 'A carer',
    pupilIds: links.filter((l) => l.carer_id === carerId).map((l) => l.pupil_id),
  }));
}

export type FoundFamily = { carerId: string; name: string; children: DoorChild[] };

/**
 * The school's families (current carers this person may see) that a search at the door finds by the
 * carer's name or a child's, leaving out those already on the register: at most `limit`, and whether
 * there were more. A child the carer may not hear about is neither shown nor matched.
 */
export async function familiesFound(db: Db, user: StaffUser, scope: ScopeContext, q: string, onRegister: ReadonlySet<string>, limit: number): Promise<{ families: FoundFamily[]; more: boolean }> {
  if (!q) return { families: [], more: false };
  const [carers, links] = await Promise.all([
    db.selectFrom('carers').select(['id', 'given_name', 'family_name']).where('school_id', '=', user.schoolId).where('archived_at', 'is', null).execute(),
    db
      .selectFrom('carer_pupils')
      .innerJoin('pupils', (j) => j.onRef('pupils.id', '=', 'carer_pupils.pupil_id').onRef('pupils.school_id', '=', 'carer_pupils.school_id'))
      .select(['carer_pupils.carer_id', 'pupils.id', 'pupils.given_name', 'pupils.preferred_name', 'pupils.family_name', 'pupils.year_group'])
      .where('carer_pupils.school_id', '=', user.schoolId)
      .where('pupils.archived_at', 'is', null)
      .where(pupilsVisibleTo(user, scope.today, scope.teachersSeeAllPupils))
      .execute(),
  ]);
  const linked = new Map<string, typeof links>();
  for (const l of links) linked.set(l.carer_id, [...(linked.get(l.carer_id) ?? []), l]);
  // A whole-school role may find any family; a teacher who sees only their classes, those families.
  const everyone = pupilReach(user, scope.teachersSeeAllPupils) === 'school';
  // First any family the words fit, then only through children the carer may hear about.
  const candidates = carers
    .filter((c) => !onRegister.has(c.id) && (everyone || linked.has(c.id)))
    .map((c) => ({ carerId: c.id, name: `${c.given_name} ${c.family_name}`, pupilIds: (linked.get(c.id) ?? []).map((l) => l.id), all: (linked.get(c.id) ?? []).map(doorChild) }))
    .filter((c) => familyMatches({ name: c.name, children: c.all }, q));
  const children = await doorChildren(db, user, scope, candidates);
  const found = candidates
    .map((c) => ({ carerId: c.carerId, name: c.name, children: children.get(c.carerId) ?? [] }))
    .filter((f) => familyMatches(f, q))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { families: found.slice(0, limit), more: found.length > limit };
}
