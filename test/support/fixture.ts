import type { Db } from '../../src/db/database.ts';
import type { CarerPupilTable, CarerTable, PupilTable, Relationship, StaffRole, StaffTable, YearGroup } from '../../src/db/schema.ts';
import { newId } from '../../src/platform/ids.ts';
import { hashPassword } from '../../src/platform/auth/passwords.ts';

/**
 * A small school with the people from JOURNEYS.md, and a second school to prove that one school
 * never sees another's records. Every route and access test starts from this.
 */
export const FIXTURE_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

export type Fixture = Awaited<ReturnType<typeof makeFixture>>;

export async function makeFixture(db: Db) {
  passwordHash ??= hashPassword(FIXTURE_PASSWORD);
  const hash = await passwordHash;
  const now = '2026-11-23T09:00:00.000Z';

  const school = {
    id: newId(),
    name: 'Brookfield Primary School',
    urn: '100001',
    phase: 'primary' as const,
    time_zone: 'Europe/London',
    colour: '#005ea5',
    teachers_see_all_pupils: 0 as const,
    created_at: now,
  };
  const other = {
    id: newId(),
    name: 'Other Primary School',
    urn: '100002',
    phase: 'primary' as const,
    time_zone: 'Europe/London',
    colour: '#00703c',
    teachers_see_all_pupils: 0 as const,
    created_at: now,
  };
  await db.insertInto('schools').values([school, other]).execute();
  await db
    .insertInto('school_terms')
    .values([
      { id: newId(), school_id: school.id, name: 'Autumn term 2026', starts_on: '2026-09-02', ends_on: '2026-12-18' },
      { id: newId(), school_id: school.id, name: 'Spring term 2027', starts_on: '2027-01-05', ends_on: '2027-03-26' },
    ])
    .execute();

  const addStaff = (schoolId: string, email: string, title: string, given: string, family: string, roles: StaffRole[]) =>
    insertStaff(db, staffRow(now, { school_id: schoolId, email, title, given_name: given, family_name: family, job_title: roles.join(', '), password_hash: hash }), roles);

  const staff = {
    head: await addStaff(school.id, 'patel@brookfield.test', 'Mrs', 'Anita', 'Patel', ['head']),
    senior_leader: await addStaff(school.id, 'green@brookfield.test', 'Mr', 'David', 'Green', ['senior_leader']),
    teacher: await addStaff(school.id, 'okafor@brookfield.test', 'Mr', 'Chidi', 'Okafor', ['teacher']),
    teacher2: await addStaff(school.id, 'hall@brookfield.test', 'Ms', 'Jo', 'Hall', ['teacher']),
    teacher3: await addStaff(school.id, 'bell@brookfield.test', 'Ms', 'Amy', 'Bell', ['teacher']),
    office: await addStaff(school.id, 'byrne@brookfield.test', 'Ms', 'Siobhan', 'Byrne', ['office']),
    dsl: await addStaff(school.id, 'adeyemi@brookfield.test', 'Mrs', 'Funmi', 'Adeyemi', ['dsl']),
    deputy_dsl: await addStaff(school.id, 'clarke@brookfield.test', 'Mr', 'Tom', 'Clarke', ['deputy_dsl']),
    senco: await addStaff(school.id, 'hughes@brookfield.test', 'Mr', 'Rhys', 'Hughes', ['senco']),
    family_liaison: await addStaff(school.id, 'lewis@brookfield.test', 'Ms', 'Carys', 'Lewis', ['family_liaison']),
    governor: await addStaff(school.id, 'shah@brookfield.test', 'Dr', 'Priya', 'Shah', ['governor']),
    otherHead: await addStaff(other.id, 'head@other.test', 'Mr', 'Sam', 'Other', ['head']),
  };

  async function addClass(schoolId: string, name: string, year: YearGroup, teacherId: string | null) {
    const id = newId();
    await db.insertInto('classes').values({ id, school_id: schoolId, name, year_group: year, archived_at: null }).execute();
    if (teacherId) await db.insertInto('class_teachers').values({ class_id: id, staff_id: teacherId, school_id: schoolId }).execute();
    return id;
  }
  const classes = {
    y3: await addClass(school.id, '3 Okafor', '3', staff.teacher),
    y4: await addClass(school.id, '4 Hall', '4', staff.teacher2),
    reception: await addClass(school.id, 'Reception Robins', 'R', staff.teacher3),
    nursery: await addClass(school.id, 'Nursery', 'N', null),
    other: await addClass(other.id, 'Other 3', '3', null),
  };

  let upn = 100;
  async function addPupil(
    schoolId: string,
    given: string,
    family: string,
    year: YearGroup,
    classId: string,
    extra: { home_language?: string; send_status?: 'none' | 'sen_support' | 'ehcp'; dob?: string } = {},
  ) {
    upn += 1;
    const row = pupilRow(now, {
      school_id: schoolId,
      upn: `A8230000${upn}`.slice(0, 12) + String(upn % 10),
      given_name: given,
      family_name: family,
      date_of_birth: extra.dob ?? '2019-05-01',
      year_group: year,
      class_id: classId,
      send_status: extra.send_status ?? 'none',
      eal: extra.home_language ? 1 : 0,
      home_language: extra.home_language ?? null,
    });
    await db.insertInto('pupils').values(row).execute();
    return row.id;
  }
  const pupils = {
    kuba: await addPupil(school.id, 'Jakub', 'Nowak', '3', classes.y3, { home_language: 'Polish' }),
    ola: await addPupil(school.id, 'Aleksandra', 'Nowak', 'R', classes.reception, { home_language: 'Polish', dob: '2021-09-10' }),
    lily: await addPupil(school.id, 'Lily', 'Dean', '3', classes.y3),
    leo: await addPupil(school.id, 'Leo', 'Mensah', '4', classes.y4, { send_status: 'ehcp', dob: '2018-03-02' }),
    ayaan: await addPupil(school.id, 'Ayaan', 'Warsame', 'N', classes.nursery, { home_language: 'Somali', dob: '2022-11-01' }),
    otherPupil: await addPupil(other.id, 'Olly', 'Other', '3', classes.other),
  };

  async function addCarer(schoolId: string, given: string, family: string, contact: { email?: string; mobile?: string; language?: string; paper?: boolean }) {
    const row = carerRow(now, {
      school_id: schoolId,
      given_name: given,
      family_name: family,
      email: contact.email ?? null,
      mobile: contact.mobile ?? null,
      address_line1: `${Math.floor(Math.random() * 90) + 1} High Street`,
      town: 'Brookfield',
      postcode: 'BF1 2AB',
      preferred_language: contact.language ?? 'English',
      channel_sms: contact.mobile ? 1 : 0,
      paper_copies: contact.paper ? 1 : 0,
    });
    await db.insertInto('carers').values(row).execute();
    return row.id;
  }
  const carers = {
    marta: await addCarer(school.id, 'Marta', 'Nowak', { email: 'marta@families.test', mobile: '07700900001', language: 'Polish' }),
    tomasz: await addCarer(school.id, 'Tomasz', 'Nowak', { email: 'tomasz@families.test', mobile: '07700900002' }),
    mark: await addCarer(school.id, 'Mark', 'Dean', { email: 'mark@families.test', mobile: '07700900003' }),
    sarah: await addCarer(school.id, 'Sarah', 'Dean', { email: 'sarah@families.test' }),
    grace: await addCarer(school.id, 'Grace', 'Mensah', { email: 'grace@families.test' }),
    socialWorker: await addCarer(school.id, 'Helen', 'Ward', { email: 'h.ward@council.test' }),
    faduma: await addCarer(school.id, 'Faduma', 'Warsame', { mobile: '07700900005', language: 'Somali', paper: true }),
    otherCarer: await addCarer(other.id, 'Olga', 'Other', { email: 'olga@families.test' }),
  };

  async function link(schoolId: string, carerId: string, pupilId: string, relationship: Relationship, o: { pr?: boolean; lives?: boolean; priority?: number; info?: boolean; copies?: boolean } = {}) {
    await db
      .insertInto('carer_pupils')
      .values(
        carerLink({
          school_id: schoolId,
          carer_id: carerId,
          pupil_id: pupilId,
          relationship,
          parental_responsibility: o.pr === false ? 0 : 1,
          lives_with_pupil: o.lives === false ? 0 : 1,
          contact_priority: o.priority ?? 1,
          may_receive_information: o.info === false ? 0 : 1,
          wants_copies: o.copies ? 1 : 0,
        }),
      )
      .execute();
  }
  await link(school.id, carers.marta, pupils.kuba, 'mother');
  await link(school.id, carers.marta, pupils.ola, 'mother');
  await link(school.id, carers.tomasz, pupils.kuba, 'father', { lives: false, priority: 2, copies: true });
  await link(school.id, carers.tomasz, pupils.ola, 'father', { lives: false, priority: 2, copies: true });
  await link(school.id, carers.sarah, pupils.lily, 'mother');
  await link(school.id, carers.mark, pupils.lily, 'father', { lives: false, priority: 2 });
  await link(school.id, carers.grace, pupils.leo, 'foster_carer', { pr: false });
  await link(school.id, carers.socialWorker, pupils.leo, 'social_worker', { lives: false, priority: 2 });
  await link(school.id, carers.faduma, pupils.ayaan, 'grandparent');
  await link(other.id, carers.otherCarer, pupils.otherPupil, 'mother');

  const restriction = newId();
  await db
    .insertInto('restrictions')
    .values({
      id: restriction,
      school_id: school.id,
      pupil_id: pupils.lily,
      carer_id: carers.mark,
      kind: 'court_order',
      stops_information: 1,
      stops_collection: 1,
      stops_contact: 1,
      details: 'Prohibited steps order, Family Court at Brookfield, case BF26P00123: no contact, no information.',
      starts_on: '2026-01-15',
      ends_on: null,
      lifted_at: null,
      created_by: staff.head,
      created_at: now,
    })
    .execute();

  return { school, other, staff, classes, pupils, carers, restriction };
}

/** Who a member of staff is; any other column may be given too. */
type StaffPerson = Pick<StaffTable, 'school_id' | 'email' | 'title' | 'given_name' | 'family_name' | 'job_title'> & Partial<StaffTable>;

/**
 * A staff row for tests and benchmarks: a new id, no password, no two-step sign-in, not archived,
 * created and updated at `at`, unless the person given says otherwise.
 */
export function staffRow(at: string, person: StaffPerson): StaffTable {
  return { id: newId(), password_hash: null, totp_secret: null, totp_enabled_at: null, archived_at: null, created_at: at, updated_at: at, ...person };
}

/** Writes a member of staff and their roles (none is allowed); gives back their id. */
export async function insertStaff(db: Db, row: StaffTable, roles: StaffRole[]): Promise<string> {
  await db.insertInto('staff').values(row).execute();
  if (roles.length > 0)
    await db
      .insertInto('staff_roles')
      .values(roles.map((role) => ({ staff_id: row.id, school_id: row.school_id, role })))
      .execute();
  return row.id;
}

/** Who a carer is; any other column may be given too. */
type CarerPerson = Pick<CarerTable, 'school_id' | 'given_name' | 'family_name'> & Partial<CarerTable>;

/**
 * A carer row for tests and benchmarks: a new id; no title, contact details or address; English; hears
 * by email when they have an address, and in the app; no paper copies; not archived; created and
 * updated at `at`, unless the person given says otherwise.
 */
export function carerRow(at: string, person: CarerPerson): CarerTable {
  return {
    id: newId(),
    title: null,
    email: null,
    mobile: null,
    address_line1: null,
    address_line2: null,
    town: null,
    postcode: null,
    preferred_language: 'English',
    interpreter_needed: 0,
    channel_email: person.email ? 1 : 0,
    channel_sms: 0,
    channel_app: 1,
    paper_copies: 0,
    access_needs: null,
    password_hash: null,
    archived_at: null,
    created_at: at,
    updated_at: at,
    ...person,
  };
}

/**
 * A carer's link to a pupil for tests and benchmarks: a new id; mother, with parental responsibility,
 * living with the pupil, first to contact, may hear about them, no copies, unless the link given says otherwise.
 */
export function carerLink(link: Pick<CarerPupilTable, 'school_id' | 'carer_id' | 'pupil_id'> & Partial<CarerPupilTable>): CarerPupilTable {
  return { id: newId(), relationship: 'mother', parental_responsibility: 1, lives_with_pupil: 1, contact_priority: 1, may_receive_information: 1, wants_copies: 0, ...link };
}

/** Who a pupil is; any other column may be given too. */
type PupilPerson = Pick<PupilTable, 'school_id' | 'upn' | 'given_name' | 'family_name' | 'date_of_birth' | 'year_group' | 'class_id'> & Partial<PupilTable>;

/** A pupil row for tests and benchmarks: a new id; no preferred name, SEND, EAL or home language; on roll; created and updated at `at`, unless the pupil given says otherwise. */
export function pupilRow(at: string, pupil: PupilPerson): PupilTable {
  return { id: newId(), preferred_name: null, send_status: 'none', eal: 0, home_language: null, archived_at: null, created_at: at, updated_at: at, ...pupil };
}
