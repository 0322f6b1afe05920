import type { Db } from '../../src/db/database.ts';
import type { CarerPupilTable, CarerTable, ClassTable, ClassTeacherTable, PupilTable, StaffRoleTable, StaffTable, YearGroup } from '../../src/db/schema.ts';
import { insertInChunks } from '../../src/db/insert-in-chunks.ts';
import { newId } from '../../src/platform/ids.ts';
import { carerLink, carerRow, pupilRow, staffRow } from '../../test/support/fixture.ts';
import { createEvening, publishEvening, setPlaces } from '../../src/features/evenings/setup-commands.ts';

/**
 * The booking rush's school: 2,000 pupils in 60 classes, one teacher each; families of one, two
 * and three children (siblings in different classes), two carers per family. The first carer of each
 * family books. Rows are written directly: the import is measured by its own benchmark.
 */
export const PUPILS = 2000;
export const TEACHERS = 60;
const YEARS: YearGroup[] = ['R', '1', '2', '3', '4', '5', '6'];

export type RushSchool = { schoolId: string; headId: string; classIds: string[]; bookers: string[]; pupilsPerBooker: number };

export async function makeRushSchool(db: Db, now: Date): Promise<RushSchool> {
  const at = now.toISOString();
  const schoolId = newId();
  await db
    .insertInto('schools')
    .values({ id: schoolId, name: 'Rush Academy', urn: '199998', phase: 'primary', time_zone: 'Europe/London', colour: '#1d70b8', teachers_see_all_pupils: 0, created_at: at })
    .execute();
  const person = (email: string, family: string) => staffRow(at, { school_id: schoolId, email, title: 'Ms', given_name: 'Sam', family_name: family, job_title: 'Teacher' });
  const head = person('head@rush.test', 'Head');
  const staff: StaffTable[] = [head];
  const roles: StaffRoleTable[] = [{ staff_id: head.id, school_id: schoolId, role: 'head' }];
  const classes: ClassTable[] = [];
  const classTeachers: ClassTeacherTable[] = [];
  for (let i = 0; i < TEACHERS; i++) {
    const teacher = person(`teacher${i}@rush.test`, `Teacher${i}`);
    const year = YEARS[i % YEARS.length]!;
    const cls: ClassTable = { id: newId(), school_id: schoolId, name: `${year} ${i}`, year_group: year, archived_at: null };
    staff.push(teacher);
    roles.push({ staff_id: teacher.id, school_id: schoolId, role: 'teacher' });
    classes.push(cls);
    classTeachers.push({ class_id: cls.id, staff_id: teacher.id, school_id: schoolId });
  }
  const pupils: PupilTable[] = [];
  const carers: CarerTable[] = [];
  const links: CarerPupilTable[] = [];
  const bookers: string[] = [];
  let family: { carers: string[] } | null = null;
  for (let i = 0; i < PUPILS; i++) {
    // Families of one, two and three children in turn.
    const startsFamily = [0, 1, 3].includes(i % 6);
    if (startsFamily || !family) {
      family = { carers: [] };
      for (const parent of [0, 1]) {
        const carer = carerRow(at, {
          school_id: schoolId,
          title: parent ? 'Mr' : 'Mrs',
          given_name: parent ? 'Piotr' : 'Anna',
          family_name: `Family${i}`,
          email: `carer${i}.${parent}@families.test`,
        });
        carers.push(carer);
        family.carers.push(carer.id);
      }
      bookers.push(family.carers[0]!);
    }
    const cls = classes[i % TEACHERS]!;
    const pupil = pupilRow(at, {
      school_id: schoolId,
      upn: `R${String(800000000000 + i)}`,
      given_name: `Child${i}`,
      family_name: `Family${i}`,
      date_of_birth: '2018-01-01',
      year_group: cls.year_group,
      class_id: cls.id,
    });
    pupils.push(pupil);
    family.carers.forEach((carerId, parent) =>
      links.push(carerLink({ school_id: schoolId, carer_id: carerId, pupil_id: pupil.id, relationship: parent ? 'father' : 'mother', contact_priority: parent + 1 })),
    );
  }
  await db.transaction().execute(async (trx) => {
    await insertInChunks(trx, 'staff', staff);
    await insertInChunks(trx, 'staff_roles', roles);
    await insertInChunks(trx, 'classes', classes);
    await insertInChunks(trx, 'class_teachers', classTeachers);
    await insertInChunks(trx, 'pupils', pupils);
    await insertInChunks(trx, 'carers', carers);
    await insertInChunks(trx, 'carer_pupils', links);
  });
  return { schoolId, headId: head.id, classIds: classes.map((c) => c.id), bookers, pupilsPerBooker: PUPILS / bookers.length };
}

/** A published evening for the whole school on two days (afternoon, then early evening), open for booking now. */
export async function openEvening(db: Db, school: RushSchool, [first, second]: [string, string], now: Date): Promise<string> {
  const today = now.toISOString().slice(0, 10);
  const created = await createEvening(
    db,
    { kind: 'system' },
    school.schoolId,
    {
      name: 'Spring parents’ evening',
      sessions: [
        { date: first, starts: '13:00', ends: '16:00', slotMinutes: 10, breaks: [] },
        { date: second, starts: '16:00', ends: '19:00', slotMinutes: 10, breaks: [] },
      ],
      classIds: school.classIds,
      teacherIds: [],
      modes: ['in_person'],
      travelGapMinutes: 5,
      separatedCarers: 'join',
      bookingOpens: { date: today, time: '00:00' },
      bookingCloses: { date: '2027-03-22', time: '12:00' },
    },
    now,
  );
  if (!created.ok) throw new Error(`The evening was not created: ${JSON.stringify(created.errors)}`);
  const teachers = await db.selectFrom('evening_teachers').select('staff_id').where('evening_id', '=', created.id).execute();
  if (teachers.length !== TEACHERS) throw new Error(`Expected ${TEACHERS} teachers, found ${teachers.length}`);
  await setPlaces(
    db,
    { kind: 'system' },
    school.schoolId,
    created.id,
    teachers.map((t, i) => ({ staffId: t.staff_id, room: `Room ${i + 1}`, videoLink: null })),
    now,
  );
  const published = await publishEvening(db, { kind: 'system' }, school.schoolId, created.id, now);
  if (published === 'missing' || !published.ok) throw new Error('The evening could not be published');
  return created.id;
}
