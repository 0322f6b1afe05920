import { addDemoAttendance } from './attendance.ts';
import type { Db } from '../db/database.ts';
import type { ClassTeacherTable, ClassTable, StaffRoleTable, StaffTable, YearGroup } from '../db/schema.ts';
import { audit } from '../platform/audit/audit.ts';
import { hashPassword } from '../platform/auth/passwords.ts';
import { sha256 } from '../platform/auth/tokens.ts';
import { newId } from '../platform/ids.ts';
import { newPlan } from './builder.ts';
import { DEMO_CLOSURES, DEMO_SCHOOL, DEMO_TERMS } from './calendar.ts';
import { addGeneratedFamilies } from './families.ts';
import { insertInChunks } from '../db/insert-in-chunks.ts';
import { addJourneyFamilies, addNamedFamilies } from './journeys.ts';
import { addDemoTerm } from './messages.ts';
import { addDemoMeetings, deliveredAtTheTime } from './meetings.ts';
import { addDemoConcerns } from './concerns.ts';
import { addDemoComplaints } from './complaints.ts';
import { addDemoConduct } from './conduct.ts';
import { addDemoCommunity } from './community.ts';
import { addDemoSurveys } from './surveys.ts';
import { addDemoAgreement } from './agreements.ts';
import { addDemoEvents } from './events.ts';
import { addDemoConsultations } from './consultations.ts';
import { addDemoProfiles } from './profiles.ts';
import { DEMO_SIGN_IN_EMAILS, DEMO_STAFF, FADUMA_CODE } from './people.ts';
import { addHearingFamily } from './hearing.ts';
import { addDemoLanguages, addUrduFamily } from './languages.ts';
import { addDemoDslReport } from './tell-the-dsl.ts';
import { addDemoSubjectAccess } from './subject-access.ts';
import { addDemoRecordsPastTheirDate } from './retention.ts';
import { measureEveryTable } from '../db/statistics.ts';

/**
 * The demo school: Brookfield Primary, with the people from JOURNEYS.md and about 200 pupils and
 * 350 carers made from a fixed seed, so every demo has the same names, classes and links; then the
 * autumn term's messages (messages.ts). Loaded once, on the first start of an empty database: the
 * people in one transaction, then each message as it is sent.
 */
export type DemoSignIn = { who: string; email: string; how: string };
export type DemoSummary = { schoolId: string; pupils: number; carers: number; messages: number; signIns: DemoSignIn[] };

export const DEMO_PASSWORD = 'gatepost-demo-password';

/** The printed code lasts a school year. */
const CODE_LIFETIME_DAYS = 365;

let demoHash: Promise<string> | undefined;

export async function loadDemoSchool(db: Db, options: { now?: Date } = {}): Promise<DemoSummary> {
  const now = options.now ?? new Date();
  const at = now.toISOString();
  demoHash ??= hashPassword(DEMO_PASSWORD);
  const passwordHash = await demoHash;

  const loaded = await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('schools').select('id').where('urn', '=', DEMO_SCHOOL.urn).executeTakeFirst();
    if (existing) {
      throw new Error(`The demo school (${DEMO_SCHOOL.name}, URN ${DEMO_SCHOOL.urn}) is already in this database; it is loaded only once.`);
    }

    const schoolId = newId();
    await trx
      .insertInto('schools')
      .values({ id: schoolId, ...DEMO_SCHOOL, created_at: at })
      .execute();
    await trx
      .insertInto('school_terms')
      .values(DEMO_TERMS.map((t) => ({ id: newId(), school_id: schoolId, ...t })))
      .execute();
    await trx
      .insertInto('school_closures')
      .values(DEMO_CLOSURES.map((c) => ({ id: newId(), school_id: schoolId, ...c })))
      .execute();

    const staffIds: Record<string, string> = {};
    const staff: StaffTable[] = [];
    const roles: StaffRoleTable[] = [];
    const classes: ClassTable[] = [];
    const classTeachers: ClassTeacherTable[] = [];
    const classIdByYear = new Map<YearGroup, string>();
    for (const s of DEMO_STAFF) {
      const id = newId();
      staffIds[s.key] = id;
      staff.push({
        id,
        school_id: schoolId,
        email: s.email,
        title: s.title,
        given_name: s.given,
        family_name: s.family,
        job_title: s.jobTitle,
        password_hash: passwordHash,
        totp_secret: null,
        totp_enabled_at: null,
        archived_at: null,
        created_at: at,
        updated_at: at,
      });
      for (const role of s.roles) roles.push({ staff_id: id, school_id: schoolId, role });
      if (s.teaches) {
        const classId = newId();
        classIdByYear.set(s.teaches.year, classId);
        classes.push({ id: classId, school_id: schoolId, name: s.teaches.className, year_group: s.teaches.year, archived_at: null });
        classTeachers.push({ class_id: classId, staff_id: id, school_id: schoolId });
      }
    }
    await insertInChunks(trx, 'staff', staff);
    await insertInChunks(trx, 'staff_roles', roles);
    await insertInChunks(trx, 'classes', classes);
    await insertInChunks(trx, 'class_teachers', classTeachers);

    const plan = newPlan(schoolId, at, classIdByYear, staffIds);
    const journey = addJourneyFamilies(plan);
    addNamedFamilies(plan);
    const handMade = plan.carers.length;
    addGeneratedFamilies(plan);
    const generatedEnd = plan.carers.length;
    // After the generated families, so they (and the term chosen from them) stay as they were.
    addHearingFamily(plan);
    addUrduFamily(plan);

    await insertInChunks(trx, 'pupils', plan.pupils);
    await insertInChunks(trx, 'carers', plan.carers);
    await insertInChunks(trx, 'carer_pupils', plan.links);
    await insertInChunks(trx, 'restrictions', plan.restrictions);

    // Faduma has no email: the office gave her a printed code (kept as its hash, like any code).
    await trx
      .insertInto('sign_in_tokens')
      .values({
        id: newId(),
        school_id: schoolId,
        carer_id: journey.faduma,
        kind: 'code',
        verifier_hash: sha256(FADUMA_CODE),
        expires_at: new Date(now.getTime() + CODE_LIFETIME_DAYS * 86_400_000).toISOString(),
        used_at: null,
        created_by: staffIds.office ?? null,
        created_at: at,
      })
      .execute();

    const summary = { pupils: plan.pupils.length, carers: plan.carers.length, staff: staff.length, links: plan.links.length };
    await audit(trx, { kind: 'system' }, { schoolId, action: 'demo.loaded', entity: 'school', entityId: schoolId, after: summary }, now);

    return { schoolId, plan, journey, handMade, generatedEnd };
  });

  // The term's messages go through the real sendMessage, which opens its own transactions.
  const term = await addDemoTerm(db, { ...loaded, now });
  // One parent's behaviour towards staff: an incident and a single point of contact (conduct.ts).
  await addDemoConduct(db, { ...loaded, now });
  // Surveys: the partnership baseline and follow-up, and Parent View, through the surveys feature (surveys.ts).
  await addDemoSurveys(db, loaded);
  // A term of concerns from families, through the concerns feature (concerns.ts).
  await addDemoConcerns(db, loaded);
  // The home-school agreement, signed by most families, with the school's side and its evidence (agreements.ts).
  await addDemoAgreement(db, loaded);
  // The policies register and a consultation on the behaviour policy with its "You said, we did" (consultations.ts).
  await addDemoConsultations(db, loaded);
  // Parents' evenings, appointments and their records, through the meetings features (meetings.ts); its
  // loader marks every email so far delivered at the time.
  await addDemoMeetings(db, { ...loaded, now });
  // Formal complaints (complaints.ts): one at stage 1 with Dr Shah investigating, one answered and at the panel
  // with its papers sent, one from the public form being investigated. After the
  // meetings, so that Gatepost knows who has met each family when it checks independence.
  await addDemoComplaints(db, loaded);
  await addDemoEvents(db, loaded); // a term of events with answers and registers, and volunteers (events.ts)
  // Pupil profiles for every pupil with SEND, and Kuba's written with Marta in Polish (profiles.ts).
  await addDemoProfiles(db, loaded);
  await addDemoCommunity(db, { ...loaded, now }); // key worker, buddy families, support directory, welcome checklists (community.ts)
  // Ms Hall told the DSL about Leo from "Tell the DSL": waiting, unread, for Mrs Adeyemi (tell-the-dsl.ts).
  await addDemoDslReport(db, { ...loaded, now });
  // Subject access and education record requests: one due in two school days, one from a restricted parent, one extended (subject-access.ts).
  await addDemoSubjectAccess(db, { ...loaded, now });
  // Records past their date: a complaint closed seven years ago and the newsletter of the summer before last (retention.ts).
  await addDemoRecordsPastTheirDate(db, { ...loaded, now });
  // Attendance imported twice by Ms Byrne: Kuba at 88%, a few others at or below 90%, one at 45% (attendance.ts).
  await addDemoAttendance(db, { ...loaded, now });
  await deliveredAtTheTime(db, loaded.schoolId);
  // Polish checked by a fluent speaker and the school's own Polish words (Settings → Languages).
  await addDemoLanguages(db, { schoolId: loaded.schoolId, staffIds: loaded.plan.staffIds, now });
  // A whole school arrived in seconds: PostgreSQL's planner statistics are gathered now, not in a minute.
  await measureEveryTable(db);
  return { schoolId: loaded.schoolId, pupils: loaded.plan.pupils.length, carers: loaded.plan.carers.length, messages: term.messages, signIns: DEMO_SIGN_IN_EMAILS };
}
