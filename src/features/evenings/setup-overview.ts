import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { User } from '../../platform/access/roles.ts';
import { pupilsVisibleTo, type ScopeContext } from '../../platform/access/scope.ts';
import { carerMayHear } from '../../platform/access/hear.ts';
import { pupilMember, PUPIL_GROUP_LABELS, shareByGroup, type GroupShare } from '../people/index.ts';

/**
 * The evening at a glance for the office and leaders: how full each teacher is, and which families
 * of the evening's classes have not booked yet (so someone can ring them), and who has booked by group.
 */

export type TeacherCounts = { staffId: string; slots: number; unavailable: number; booked: number; held: number; free: number };

/** Per teacher: slots, unavailable, booked, held for someone (a "book for me" proposal), and free. */
export async function teacherCounts(db: Db, schoolId: string, eveningId: string, now: Date): Promise<Map<string, TeacherCounts>> {
  const slots = await db
    .selectFrom('evening_slots')
    .select(['staff_id', 'unavailable', (eb) => eb.fn.countAll<number>().as('n')])
    .where('evening_id', '=', eveningId)
    .where('school_id', '=', schoolId)
    .groupBy(['staff_id', 'unavailable'])
    .execute();
  const bookings = await db
    .selectFrom('evening_bookings')
    .select(['staff_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('evening_id', '=', eveningId)
    .where('school_id', '=', schoolId)
    .where('cancelled_at', 'is', null)
    .where((eb) => eb.or([eb('status', '=', 'booked'), eb('hold_expires_at', '>', now.toISOString())]))
    .groupBy(['staff_id', 'status'])
    .execute();
  const counts = new Map<string, TeacherCounts>();
  const of = (staffId: string) => {
    let c = counts.get(staffId);
    if (!c) counts.set(staffId, (c = { staffId, slots: 0, unavailable: 0, booked: 0, held: 0, free: 0 }));
    return c;
  };
  for (const s of slots) {
    const c = of(s.staff_id);
    c.slots += Number(s.n);
    if (Number(s.unavailable) === 1) c.unavailable += Number(s.n);
  }
  for (const b of bookings) of(b.staff_id)[b.status === 'booked' ? 'booked' : 'held'] += Number(b.n);
  for (const c of counts.values()) c.free = Math.max(0, c.slots - c.unavailable - c.booked - c.held);
  return counts;
}

/** The pupil (`pupils`) has an appointment booked (not only held) and not cancelled at this evening. */
function hasBooked(eb: ExpressionBuilder<Database, 'pupils'>, eveningId: string) {
  return eb.exists(
    eb
      .selectFrom('evening_bookings')
      .select(sql`1`.as('one'))
      .whereRef('evening_bookings.pupil_id', '=', 'pupils.id')
      .where('evening_bookings.evening_id', '=', eveningId)
      .where('evening_bookings.status', '=', 'booked')
      .where('evening_bookings.cancelled_at', 'is', null),
  );
}

export type WaitingFamily = {
  pupilId: string;
  pupilName: string;
  classId: string;
  className: string;
  carers: { id: string; name: string; mobile: string | null; email: string | null }[];
};

/**
 * Pupils of the evening's classes (that this person may see) with no appointment booked yet, and
 * the carers the school may contact about them (not those a restriction keeps away).
 */
export async function familiesNotBooked(db: Db, user: User, scope: ScopeContext, schoolId: string, eveningId: string): Promise<WaitingFamily[]> {
  const pupils = await db
    .selectFrom('pupils')
    .innerJoin('evening_classes', (j) => j.onRef('evening_classes.class_id', '=', 'pupils.class_id').on('evening_classes.evening_id', '=', eveningId))
    .innerJoin('classes', 'classes.id', 'pupils.class_id')
    .select(['pupils.id', 'pupils.given_name', 'pupils.preferred_name', 'pupils.family_name', 'classes.id as class_id', 'classes.name as class_name'])
    .where('pupils.school_id', '=', schoolId)
    .where('pupils.archived_at', 'is', null)
    .where(pupilsVisibleTo(user, scope.today, scope.teachersSeeAllPupils))
    .where((eb) => eb.not(hasBooked(eb, eveningId)))
    .orderBy('classes.name')
    .orderBy('pupils.family_name')
    .orderBy('pupils.given_name')
    .execute();
  if (pupils.length === 0) return [];
  const carers = await db
    .selectFrom('carer_pupils')
    .innerJoin('carers', 'carers.id', 'carer_pupils.carer_id')
    .innerJoin('pupils', 'pupils.id', 'carer_pupils.pupil_id')
    .innerJoin('evening_classes', (j) => j.onRef('evening_classes.class_id', '=', 'pupils.class_id').on('evening_classes.evening_id', '=', eveningId))
    .select(['carer_pupils.pupil_id', 'carers.id', 'carers.given_name', 'carers.family_name', 'carers.mobile', 'carers.email'])
    .where('carer_pupils.school_id', '=', schoolId)
    .where('carers.archived_at', 'is', null)
    .where((eb) => carerMayHear(eb, 'booking', scope.today))
    .orderBy('carer_pupils.contact_priority')
    .orderBy('carers.family_name')
    .execute();
  const byPupil = new Map<string, WaitingFamily['carers']>();
  for (const c of carers) {
    const list = byPupil.get(c.pupil_id) ?? [];
    list.push({ id: c.id, name: `${c.given_name} ${c.family_name}`, mobile: c.mobile, email: c.email });
    byPupil.set(c.pupil_id, list);
  }
  return pupils.map((p) => ({ pupilId: p.id, pupilName: `${p.preferred_name ?? p.given_name} ${p.family_name}`, classId: p.class_id, className: p.class_name, carers: byPupil.get(p.id) ?? [] }));
}

/**
 * Who has booked, by group of pupils (people's shareByGroup): the evening's pupils this person may
 * see, each counted in their year group, home language, SEND and EAL (people's pupilMember), and as
 * booked when they have an appointment booked (not held) that is not cancelled; the same pupils as
 * "not booked" counts.
 */
export async function bookedByGroup(db: Db, user: User, scope: ScopeContext, schoolId: string, eveningId: string): Promise<GroupShare[]> {
  const pupils = await db
    .selectFrom('pupils')
    .innerJoin('evening_classes', (j) => j.onRef('evening_classes.class_id', '=', 'pupils.class_id').on('evening_classes.evening_id', '=', eveningId))
    .select(['pupils.year_group', 'pupils.send_status', 'pupils.eal', 'pupils.home_language'])
    .select((eb) => eb.case().when(hasBooked(eb, eveningId)).then(1).else(0).end().as('booked'))
    .where('pupils.school_id', '=', schoolId)
    .where('pupils.archived_at', 'is', null)
    .where(pupilsVisibleTo(user, scope.today, scope.teachersSeeAllPupils))
    .execute();
  return shareByGroup(
    pupils.map((p) => pupilMember(p, Number(p.booked) === 1)),
    PUPIL_GROUP_LABELS,
  );
}

/** Up to this many families waiting, the whole list is shown; beyond it, the office finds a family or a class. */
export const WHOLE_LIST_UP_TO = 25;

export type NotBookedView = {
  /** Every family not booked, however many. */
  total: number;
  /** Each class with families not booked, and how many (a way into a long list). */
  classes: { id: string; name: string; count: number }[];
  /** What the office asked for: a name (a child's or a parent's) and a class (its id, and its name). */
  find: string;
  classId: string;
  className: string;
  /** The families to list: all of them when few, else those matching `find` and `className`. */
  shown: WaitingFamily[];
  /** Nothing asked for and too many to list: the page offers the classes and a search instead. */
  tooMany: boolean;
};

/**
 * The "families who have not booked" list, made usable when it is long: an office manager with a
 * parent on the phone needs that family, not 180 rows (44,000 pixels on a phone). A name matches a
 * child's or a parent's name, any part of it, ignoring case and accents.
 */
export function notBookedView(waiting: WaitingFamily[], query: { q?: unknown; class?: unknown }): NotBookedView {
  const find = typeof query.q === 'string' ? query.q.trim().slice(0, 100) : '';
  const classes = new Map<string, { id: string; name: string; count: number }>();
  for (const f of waiting) {
    const c = classes.get(f.classId) ?? { id: f.classId, name: f.className, count: 0 };
    c.count += 1;
    classes.set(f.classId, c);
  }
  const chosen = typeof query.class === 'string' ? classes.get(query.class) : undefined;
  const classId = chosen?.id ?? '';
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('en-GB');
  const words = fold(find).split(/\s+/).filter(Boolean);
  const matches = (f: WaitingFamily) => {
    const names = fold([f.pupilName, ...f.carers.map((c) => c.name)].join(' '));
    return words.every((w) => names.includes(w));
  };
  const narrowed = find !== '' || classId !== '';
  const tooMany = !narrowed && waiting.length > WHOLE_LIST_UP_TO;
  const shown = narrowed ? waiting.filter((f) => (classId === '' || f.classId === classId) && matches(f)) : tooMany ? [] : waiting;
  return { total: waiting.length, classes: [...classes.values()], find, classId, className: chosen?.name ?? '', shown, tooMany };
}
