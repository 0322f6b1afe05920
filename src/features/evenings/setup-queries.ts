import { DateTime } from 'luxon';
import type { Db } from '../../db/database.ts';
import { yearOrder } from '../people/index.ts';
import type { Session } from './slots.ts';
import { parseModes, type EveningInput, type SchoolClasses, type TeacherPlace } from './setup.ts';

/**
 * What setting up a parents' evening reads: the classes and teachers the form offers, one evening
 * as it stands (and as the form's input, to change it), the school's evenings and those a member of
 * staff meets families at. The changes themselves are in setup-commands.ts.
 */

/** "Mr Okafor" */
export const staffName = (s: { title: string; family_name: string }) => `${s.title} ${s.family_name}`.trim();

/** The school's classes (with their teachers) and the staff who could meet families: what the form offers. */
export async function setupChoices(db: Db, schoolId: string) {
  const classes = await db.selectFrom('classes').select(['id', 'name', 'year_group']).where('school_id', '=', schoolId).where('archived_at', 'is', null).orderBy('name').execute();
  const links = await db
    .selectFrom('class_teachers')
    .innerJoin('staff', 'staff.id', 'class_teachers.staff_id')
    .select(['class_teachers.class_id', 'staff.id'])
    .where('class_teachers.school_id', '=', schoolId)
    .where('staff.archived_at', 'is', null)
    .execute();
  const teachers = await db
    .selectFrom('staff')
    .select(['staff.id', 'staff.title', 'staff.family_name', 'staff.given_name'])
    .where('staff.school_id', '=', schoolId)
    .where('staff.archived_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('staff_roles').select('staff_roles.staff_id').whereRef('staff_roles.staff_id', '=', 'staff.id').where('staff_roles.role', '=', 'teacher')),
        eb.exists(eb.selectFrom('class_teachers').select('class_teachers.staff_id').whereRef('class_teachers.staff_id', '=', 'staff.id')),
      ]),
    )
    .orderBy('staff.family_name')
    .orderBy('staff.given_name')
    .execute();
  const staffNames = new Map(teachers.map((t) => [t.id, staffName(t)]));
  const withTeachers = classes.map((c) => {
    const teacherIds = links.filter((l) => l.class_id === c.id).map((l) => l.id);
    return { ...c, teacherIds, teacherNames: teacherIds.map((id) => staffNames.get(id) ?? '') };
  });
  return { classes: withTeachers, teachers: teachers.map((t) => ({ id: t.id, name: staffName(t) })), staffNames } satisfies SchoolClasses & Record<string, unknown>;
}

/** An evening with its sessions (in time order), classes and teachers (with rooms and links). */
export async function getEvening(db: Db, schoolId: string, eveningId: string) {
  const evening = await db.selectFrom('evenings').selectAll().where('id', '=', eveningId).where('school_id', '=', schoolId).executeTakeFirst();
  if (!evening) return undefined;
  const sessionRows = await db.selectFrom('evening_sessions').selectAll().where('evening_id', '=', eveningId).where('school_id', '=', schoolId).orderBy('date').orderBy('starts').execute();
  const sessions = sessionRows.map((s) => ({ id: s.id, date: s.date, starts: s.starts, ends: s.ends, slotMinutes: s.slot_minutes, breaks: JSON.parse(s.breaks_json) as Session['breaks'] }));
  const classes = await db
    .selectFrom('evening_classes')
    .innerJoin('classes', 'classes.id', 'evening_classes.class_id')
    .select(['classes.id', 'classes.name', 'classes.year_group'])
    .where('evening_classes.evening_id', '=', eveningId)
    .where('evening_classes.school_id', '=', schoolId)
    .orderBy('classes.name')
    .execute();
  const teacherRows = await db
    .selectFrom('evening_teachers')
    .innerJoin('staff', 'staff.id', 'evening_teachers.staff_id')
    .select(['staff.id', 'staff.title', 'staff.given_name', 'staff.family_name', 'evening_teachers.room', 'evening_teachers.video_link'])
    .where('evening_teachers.evening_id', '=', eveningId)
    .where('evening_teachers.school_id', '=', schoolId)
    .orderBy('staff.family_name')
    .orderBy('staff.given_name')
    .execute();
  const teachers: TeacherPlace[] = teacherRows.map((t) => ({ staffId: t.id, name: staffName(t), room: t.room, videoLink: t.video_link }));
  return { evening, modes: parseModes(evening.modes), sessions, classes: classes.sort((a, b) => yearOrder(a.year_group) - yearOrder(b.year_group)), teachers };
}
export type EveningDetail = NonNullable<Awaited<ReturnType<typeof getEvening>>>;

/** The evening as the form's typed input, to change it (booking times back in school time). */
export function inputOf(detail: EveningDetail, timeZone: string, chosenTeachers: boolean): EveningInput {
  const local = (at: string) => {
    const d = DateTime.fromISO(at, { zone: 'utc' }).setZone(timeZone);
    return { date: d.toISODate()!, time: d.toFormat('HH:mm') };
  };
  return {
    name: detail.evening.name,
    sessions: detail.sessions.map(({ id: _id, ...s }) => s),
    classIds: detail.classes.map((c) => c.id),
    teacherIds: chosenTeachers ? detail.teachers.map((t) => t.staffId) : [],
    modes: detail.modes,
    travelGapMinutes: detail.evening.travel_gap_minutes,
    separatedCarers: detail.evening.separated_carers,
    bookingOpens: local(detail.evening.booking_opens_at),
    bookingCloses: local(detail.evening.booking_closes_at),
  };
}

/** The school's evenings, the latest first, with their first and last dates. */
export async function listEvenings(db: Db, schoolId: string) {
  const rows = await db
    .selectFrom('evenings')
    .select(['evenings.id', 'evenings.name', 'evenings.published_at', 'evenings.booking_opens_at', 'evenings.booking_closes_at'])
    .select((eb) => [
      eb
        .selectFrom('evening_sessions')
        .select((s) => s.fn.min('evening_sessions.date').as('d'))
        .whereRef('evening_sessions.evening_id', '=', 'evenings.id')
        .as('first_date'),
      eb
        .selectFrom('evening_sessions')
        .select((s) => s.fn.max('evening_sessions.date').as('d'))
        .whereRef('evening_sessions.evening_id', '=', 'evenings.id')
        .as('last_date'),
    ])
    .where('evenings.school_id', '=', schoolId)
    .execute();
  return rows.map((r) => ({ ...r, first_date: (r.first_date as string | null) ?? '', last_date: (r.last_date as string | null) ?? '' })).sort((a, b) => b.first_date.localeCompare(a.first_date));
}

/** The evenings a member of staff meets families at (to link their schedule). */
export async function eveningsTaughtBy(db: Db, schoolId: string, staffId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('evening_teachers').select('evening_id').where('school_id', '=', schoolId).where('staff_id', '=', staffId).execute();
  return new Set(rows.map((r) => r.evening_id));
}
