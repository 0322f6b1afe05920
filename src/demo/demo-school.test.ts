import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestDb, type TestDb } from '../../test/support/db.ts';
import type { Db } from '../db/database.ts';
import { pupilsVisibleTo } from '../platform/access/scope.ts';
import { STAFF_ROLES } from '../platform/access/roles.ts';
import { verifyPassword } from '../platform/auth/passwords.ts';
import { redeemSignInCode } from '../platform/auth/sign-in-tokens.ts';
import { upnCheckLetter } from './builder.ts';
import { birthRange, PRIMARY_YEARS } from './calendar.ts';
import { DEMO_PASSWORD, loadDemoSchool, type DemoSummary } from './demo-school.ts';
import { DEMO_SIGN_IN_EMAILS, FADUMA_CODE } from './people.ts';
import { monitoringReport } from '../features/monitoring/report.ts';
import { bannedFromPremises, reviewsDue, singlePointOfContact } from '../features/conduct/index.ts';
import { compareSurveys } from '../features/surveys/comparison.ts';
import { scheduleToday } from '../features/retention/service.ts';
import { eraseClosedComplaints } from '../features/concerns/index.ts';
import { eraseWholeSchoolMessages } from '../features/messages/index.ts';

const NOW = new Date('2026-11-23T08:30:00.000Z');
const TODAY = '2026-11-23';

async function carerByEmail(db: Db, email: string) {
  return db.selectFrom('carers').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
}

async function linksOf(db: Db, carerId: string) {
  return db
    .selectFrom('carer_pupils')
    .innerJoin('pupils', 'pupils.id', 'carer_pupils.pupil_id')
    .select([
      'pupils.id as pupil_id',
      'pupils.given_name',
      'pupils.preferred_name',
      'pupils.family_name',
      'pupils.year_group',
      'carer_pupils.relationship',
      'carer_pupils.parental_responsibility',
      'carer_pupils.lives_with_pupil',
      'carer_pupils.wants_copies',
      'carer_pupils.may_receive_information',
    ])
    .where('carer_pupils.carer_id', '=', carerId)
    .orderBy('pupils.given_name')
    .execute();
}

async function pupilsSeenBy(db: Db, carer: { id: string; school_id: string; email: string | null }) {
  const user = { kind: 'carer' as const, id: carer.id, schoolId: carer.school_id, name: '', email: carer.email };
  return (
    await db
      .selectFrom('pupils')
      .select('given_name')
      .where(pupilsVisibleTo(user, TODAY, false))
      .orderBy('given_name')
      .execute()
  ).map((p) => p.given_name);
}

async function pupilList(db: Db) {
  return (await db.selectFrom('pupils').select(['upn', 'given_name', 'family_name', 'year_group', 'date_of_birth']).orderBy('upn').execute()).map(
    (p) => `${p.upn} ${p.given_name} ${p.family_name} ${p.year_group} ${p.date_of_birth}`,
  );
}

async function carerNames(db: Db) {
  return (await db.selectFrom('carers').select(['given_name', 'family_name', 'email']).execute()).map((c) => `${c.given_name} ${c.family_name} ${c.email}`).sort();
}

/** Who received, read and acknowledged what, by name: the same on every load. */
async function termFacts(db: Db) {
  const rows = await db
    .selectFrom('message_recipients')
    .innerJoin('messages', 'messages.id', 'message_recipients.message_id')
    .innerJoin('carers', 'carers.id', 'message_recipients.carer_id')
    .select([
      'messages.subject',
      'messages.sent_at',
      'carers.email',
      'carers.given_name',
      'carers.family_name',
      'message_recipients.pupil_names',
      'message_recipients.channels',
      'message_recipients.read_at',
      'message_recipients.acknowledged_at',
    ])
    .execute();
  const failed = await db.selectFrom('outbox').select(['recipient', 'last_error']).where('status', '=', 'failed').execute();
  const calls = await db
    .selectFrom('contact_log')
    .innerJoin('carers', 'carers.id', 'contact_log.carer_id')
    .select(['carers.given_name', 'carers.family_name', 'contact_log.at', 'contact_log.note'])
    .execute();
  const groups = await db
    .selectFrom('carer_group_members')
    .innerJoin('carer_groups', 'carer_groups.id', 'carer_group_members.group_id')
    .innerJoin('carers', 'carers.id', 'carer_group_members.carer_id')
    .select(['carer_groups.name', 'carers.given_name', 'carers.family_name'])
    .execute();
  return {
    received: rows.map((r) => JSON.stringify(r)).sort(),
    failed,
    calls: calls.map((c) => JSON.stringify(c)).sort(),
    groups: groups.map((g) => `${g.name}: ${g.given_name} ${g.family_name}`).sort(),
  };
}

describe.each(dialects)('the demo school on %s', (dialect) => {
  let t: TestDb;
  let db: Db;
  let summary: DemoSummary;
  let closed = false;

  beforeAll(async () => {
    t = await openTestDb(dialect);
    db = t.db;
    summary = await loadDemoSchool(db, { now: NOW }); // how long it takes: npm run bench -- demo-school
  });
  afterAll(async () => {
    if (!closed) await t?.close();
  });

  it('loads in one go, and says so in the audit log', async () => {
    const entries = await db.selectFrom('audit_log').selectAll().where('action', '=', 'demo.loaded').execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor_kind: 'system', school_id: summary.schoolId, entity_id: summary.schoolId });
  });

  it('has a term of concerns: most resolved within days, one reopened, Kuba twice this term, one waiting to be passed on', async () => {
    // Not the records of complaints made directly (see the complaints test below).
    const direct = new Set((await db.selectFrom('complaints').select('concern_id').where('school_id', '=', summary.schoolId).where('direct', '=', 1).execute()).map((c) => c.concern_id));
    const concerns = (await db.selectFrom('concerns').selectAll().where('school_id', '=', summary.schoolId).execute()).filter((c) => !direct.has(c.id));
    const status = (s: string) => concerns.filter((c) => c.status === s);
    expect(status('resolved').length).toBeGreaterThanOrEqual(4);
    expect(status('resolved').every((c) => c.answered_at! < `${c.due_on}T23:59`)).toBe(true); // settled before their dates
    expect(concerns.filter((c) => c.reopened_count > 0)).toHaveLength(1);
    expect(status('new')).toHaveLength(1);
    const kuba = await db.selectFrom('pupils').select('id').where('school_id', '=', summary.schoolId).where('given_name', '=', 'Jakub').executeTakeFirstOrThrow();
    expect(concerns.filter((c) => c.pupil_id === kuba.id && c.raised_on >= '2026-09-02')).toHaveLength(2);
    expect(concerns.some((c) => c.logged_by !== null && c.received_via === 'phone')).toBe(true);
    // Written through the feature: every change is in the audit log.
    const audited = await db.selectFrom('audit_log').select('action').where('school_id', '=', summary.schoolId).where('action', 'like', 'concern%').execute();
    expect(audited.filter((a) => a.action === 'concern.raised')).toHaveLength(concerns.length);
    expect(audited.some((a) => a.action === 'concern.reopened')).toBe(true);
  });

  it('has a policies register with statutory policies, and the behaviour policy consulted on, answered and adopted with "You said, we did"', async () => {
    const policies = await db.selectFrom('policies').selectAll().where('school_id', '=', summary.schoolId).execute();
    const titles = policies.map((p) => p.title);
    for (const title of ['Behaviour policy', 'Complaints procedure', 'SEND information report', 'Charging and remissions policy', 'Home-school agreement']) expect(titles).toContain(title);
    expect(policies.filter((p) => p.statutory_yearly === 1).length).toBeGreaterThanOrEqual(3);
    const behaviour = policies.find((p) => p.title === 'Behaviour policy')!;
    expect(behaviour).toMatchObject({ last_reviewed_on: '2026-11-10', next_review_on: '2027-11-10' });
    expect(behaviour.body).toContain('Phones stay in pupils’ bags');
    const consultation = await db.selectFrom('consultations').selectAll().where('policy_id', '=', behaviour.id).executeTakeFirstOrThrow();
    expect(consultation.status).toBe('adopted');
    const themes = await db.selectFrom('consultation_themes').select(['title', 'answer']).where('consultation_id', '=', consultation.id).execute();
    expect(themes.length).toBeGreaterThanOrEqual(3);
    expect(themes.every((th) => th.answer)).toBe(true);
    const mark = await carerByEmail(db, 'mark.dean@families.example');
    const invitees = await db.selectFrom('consultation_invitees').select('carer_id').where('consultation_id', '=', consultation.id).execute();
    expect(invitees.length).toBeGreaterThan(100);
    expect(invitees.map((i) => i.carer_id)).not.toContain(mark.id); // his court order: he is never asked
    const polish = await db.selectFrom('consultation_comments').selectAll().where('consultation_id', '=', consultation.id).where('language', '=', 'Polish').executeTakeFirstOrThrow();
    expect(polish.english).toContain('walks home alone');
    expect(polish.english_checked_by).not.toBeNull();
    // The document as a file; a comment changed and one withdrawn (issue 15).
    expect(behaviour.document_name).toBe('Brookfield behaviour policy 2025.txt');
    const changed = await db.selectFrom('consultation_comments').select(['edited_at', 'withdrawn_at']).where('consultation_id', '=', consultation.id).where('edited_at', 'is not', null).execute();
    expect(changed).toHaveLength(1);
    expect(await db.selectFrom('consultation_comments').select('id').where('consultation_id', '=', consultation.id).where('withdrawn_at', 'is not', null).execute()).toHaveLength(1);
    expect(await db.selectFrom('consultations').select('id').where('school_id', '=', summary.schoolId).where('status', '=', 'open').execute()).toHaveLength(1);
  });

  it('has the home-school agreement: Marta signed in Polish, Faduma on paper, Kuba with Mr Okafor, some not yet; the review is due', async () => {
    const { obligations } = await import('../features/agreements/queries.ts');
    const { summarise } = await import('../features/agreements/agreement.ts');
    const sigs = await db.selectFrom('agreement_signatures').selectAll().where('school_id', '=', summary.schoolId).execute();
    const marta = await carerByEmail(db, DEMO_SIGN_IN_EMAILS.find((s) => s.who.startsWith('Marta'))!.email);
    expect(sigs.filter((s) => s.carer_id === marta.id).map((s) => [s.how, s.language])).toEqual([
      ['portal', 'Polish'],
      ['portal', 'Polish'],
    ]);
    const faduma = await db.selectFrom('carers').select('id').where('school_id', '=', summary.schoolId).where('given_name', '=', 'Faduma').executeTakeFirstOrThrow();
    expect(sigs.find((s) => s.carer_id === faduma.id)).toMatchObject({ how: 'paper' });
    expect(sigs.find((s) => s.carer_id === faduma.id)?.recorded_by).not.toBeNull();
    const kuba = await db.selectFrom('pupils').select('id').where('school_id', '=', summary.schoolId).where('given_name', '=', 'Jakub').executeTakeFirstOrThrow();
    expect(sigs.find((s) => s.signer === 'pupil' && s.pupil_id === kuba.id)).toMatchObject({ how: 'in_class' });
    const s = summarise(await obligations(db, summary.schoolId, TODAY));
    expect(s.carers.signed).toBeGreaterThan(s.carers.due / 2);
    expect(s.carers.signed).toBeLessThan(s.carers.due);
    expect(s.paper).toBeGreaterThan(1);
    const { agreementReviewReminder } = await import('../features/agreements/index.ts');
    expect(await agreementReviewReminder(db, summary.schoolId, TODAY)).toEqual({ dueOn: '2026-11-24', state: 'soon' });
  });

  it('has profiles for every pupil with SEND, and Kuba’s written with Marta: her Polish words checked in English, a review date, her next change waiting', async () => {
    const send = await db.selectFrom('pupils').select('id').where('school_id', '=', summary.schoolId).where('send_status', '!=', 'none').execute();
    const profiles = await db.selectFrom('profiles').selectAll().where('school_id', '=', summary.schoolId).execute();
    expect(send.every((p) => profiles.some((x) => x.pupil_id === p.id))).toBe(true);
    expect(profiles.filter((p) => p.review_due_on !== null && p.review_due_on <= TODAY).length).toBeGreaterThan(0);
    const kuba = await db.selectFrom('pupils').select('id').where('school_id', '=', summary.schoolId).where('given_name', '=', 'Jakub').executeTakeFirstOrThrow();
    const profile = profiles.find((p) => p.pupil_id === kuba.id)!;
    expect(profile).toMatchObject({ version: 3, review_due_on: '2027-01-05', review_kind: 'termly' });
    const words = await db.selectFrom('profile_words').selectAll().where('profile_id', '=', profile.id).executeTakeFirstOrThrow();
    expect(words).toMatchObject({ language: 'Polish', translation_status: 'checked' });
    expect(words.written_by).not.toBe(words.checked_by);
    const pending = await db.selectFrom('profile_proposals').selectAll().where('profile_id', '=', profile.id).where('status', '=', 'pending').execute();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ by_kind: 'carer', words_language: null });
  });

  it('has the partnership survey in September and July (journey 9): one real improvement, one no clear change, one too small to tell; and Parent View', async () => {
    const surveys = await db.selectFrom('surveys').selectAll().where('school_id', '=', summary.schoolId).execute();
    expect(surveys).toHaveLength(5);
    const byTitle = (words: string) => surveys.find((s) => s.title.includes(words))!;
    const families = byTitle('Working with families: July');
    expect(families.baseline_id).toBe(byTitle('Working with families: September').id);
    const rows = await compareSurveys(db, byTitle('Working with families: September'), families);
    const verdict = (words: string) => rows.find((r) => r.text.includes(words))!.change.verdict;
    expect(verdict('build positive relationships')).toBe('real-improvement');
    expect(verdict('reviewing its policies')).toBe('no-clear-change');
    const staffRows = await compareSurveys(db, byTitle('(staff): September'), byTitle('(staff): July'));
    expect(staffRows.find((r) => r.text.includes('unconscious bias'))!.change.verdict).toBe('too-few');
    expect(staffRows.find((r) => r.text.includes('reviewing school policies'))!.change.verdict).toBe('no-clear-change');
    const parentView = byTitle('Parent View');
    expect(parentView.status).toBe('open');
    const paper = await db.selectFrom('survey_responses').select('id').where('survey_id', '=', parentView.id).where('via', '=', 'paper').execute();
    expect(paper.length).toBeGreaterThan(0);
    // Sent long ago: nothing waits in the outbox.
    const pending = await db.selectFrom('outbox').select('id').where('school_id', '=', summary.schoolId).where('idempotency_key', 'like', 'survey:%').where('status', '=', 'pending').execute();
    expect(pending).toHaveLength(0);
  });

  it('has one parent with a single point of contact (Ms Lewis) after an incident, to be reviewed soon, and then banned from the premises; the figures show the term of concerns', async () => {
    const arrangements = await db.selectFrom('conduct_arrangements').selectAll().where('school_id', '=', summary.schoolId).orderBy('kind', 'desc').execute();
    expect(arrangements.map((a) => a.kind)).toEqual(['single_contact', 'premises_ban']);
    expect(arrangements[1]!.carer_id).toBe(arrangements[0]!.carer_id);
    expect([...(await bannedFromPremises(db, summary.schoolId, [arrangements[0]!.carer_id], TODAY))]).toEqual([arrangements[0]!.carer_id]);
    const flo = await db.selectFrom('staff').select('id').where('school_id', '=', summary.schoolId).where('family_name', '=', 'Lewis').executeTakeFirstOrThrow();
    expect(await singlePointOfContact(db, summary.schoolId, arrangements[0]!.carer_id)).toBe(flo.id);
    expect(await db.selectFrom('conduct_incidents').select('carer_id').where('school_id', '=', summary.schoolId).execute()).toEqual([
      { carer_id: arrangements[0]!.carer_id },
      { carer_id: arrangements[0]!.carer_id },
    ]);
    expect((await reviewsDue(db, summary.schoolId, TODAY)).map((r) => r.what)).toEqual(['single point of contact']);
    const concerns = await db.selectFrom('concerns').select('id').where('school_id', '=', summary.schoolId).where('raised_on', '>=', '2026-09-01').execute();
    const report = await monitoringReport(db, summary.schoolId, 2026, TODAY, true);
    expect(report.sections[0]!.rows[0]).toMatchObject({ label: 'All concerns', cells: [concerns.length, '–', '–', concerns.length] }); // spring and summer have not started
  });

  it('has a complaint at stage 1 with Dr Shah investigating (Mr Okafor refused, with the reasons), one answered with its report and letter and now at the panel with its papers sent, and one from the public form being investigated', async () => {
    const all = await db.selectFrom('complaints').selectAll().where('school_id', '=', summary.schoolId).orderBy('received_on', 'desc').execute();
    const fromPublic = all.filter((c) => c.public_complaint_id);
    // The open one, and a neighbour's closed seven years ago (retention.ts: past its date).
    expect(fromPublic.map((c) => [c.stage, c.status, c.pupil_id])).toEqual([
      ['stage_1', 'open', null],
      ['stage_1', 'closed', null],
    ]);
    const whitfield = await db.selectFrom('staff').select('id').where('school_id', '=', summary.schoolId).where('family_name', '=', 'Whitfield').executeTakeFirstOrThrow();
    expect(fromPublic[0]!.officer_id).toBe(whitfield.id);
    // Joan gave the date of the last incident (not late), and the case's timeline starts where Mrs Patel took it on.
    expect(fromPublic[0]!).toMatchObject({ last_incident_on: '2026-11-16', late: 0, about: 'matter' });
    const timeline = await db.selectFrom('complaint_events').select('kind').where('complaint_id', '=', fromPublic[0]!.id).orderBy('created_at').execute();
    expect(timeline[0]!.kind).toBe('taken_on');
    const complaints = all.filter((c) => !c.public_complaint_id);
    expect(complaints.map((c) => [c.stage, c.status])).toEqual([
      ['stage_1', 'open'],
      ['stage_2', 'panel'],
    ]);
    const papers = await db.selectFrom('complaint_papers').select(['how', 'note']).where('complaint_id', '=', complaints[1]!.id).execute();
    expect(papers).toEqual([{ how: 'email', note: null }]);
    expect(await db.selectFrom('complaint_people').select('id').where('complaint_id', '=', complaints[1]!.id).where('role', '=', 'panel').execute()).toHaveLength(3);
    const shah = await db.selectFrom('staff').select('id').where('school_id', '=', summary.schoolId).where('family_name', '=', 'Shah').executeTakeFirstOrThrow();
    expect(complaints[0]!.officer_id).toBe(shah.id);
    const refused = await db.selectFrom('complaint_events').select('body').where('complaint_id', '=', complaints[0]!.id).where('kind', '=', 'refused').executeTakeFirstOrThrow();
    expect(refused.body).toContain('Gatepost refused Mr Okafor');
    expect(refused.body).toContain('teaches the child’s class');
    expect(complaints[1]!.report_issued_at).not.toBeNull();
    const letter = await db.selectFrom('complaint_letters').select(['status', 'body']).where('complaint_id', '=', complaints[1]!.id).executeTakeFirstOrThrow();
    expect(letter.status).toBe('sent');
    expect(letter.body).toContain('Outcome: Upheld.');
  });

  it('is Brookfield Primary, with 2026–27 terms and closures', async () => {
    const school = await db.selectFrom('schools').selectAll().executeTakeFirstOrThrow();
    expect(school).toMatchObject({ name: 'Brookfield Primary School', phase: 'primary', time_zone: 'Europe/London', teachers_see_all_pupils: 0 });
    expect(school.urn).toMatch(/^\d{6}$/);
    const terms = await db.selectFrom('school_terms').select(['starts_on', 'ends_on']).orderBy('starts_on').execute();
    expect(terms).toEqual([
      { starts_on: '2026-09-02', ends_on: '2026-12-18' },
      { starts_on: '2027-01-05', ends_on: '2027-03-26' },
      { starts_on: '2027-04-12', ends_on: '2027-07-22' },
    ]);
    const closures = await db.selectFrom('school_closures').select(['starts_on', 'ends_on', 'reason']).execute();
    expect(closures.filter((c) => c.reason.startsWith('INSET'))).toHaveLength(5);
    for (const c of closures) expect(terms.some((term) => term.starts_on <= c.starts_on && c.ends_on <= term.ends_on)).toBe(true);
  });

  it('has about 200 pupils from Nursery to Year 6, born in the right years, with real-shaped UPNs', async () => {
    const pupils = await db.selectFrom('pupils').selectAll().execute();
    expect(summary.pupils).toBe(pupils.length);
    expect(pupils.length).toBeGreaterThanOrEqual(190);
    expect(pupils.length).toBeLessThanOrEqual(210);
    for (const p of pupils) {
      expect(PRIMARY_YEARS).toContain(p.year_group);
      const { from, to } = birthRange(p.year_group);
      expect(p.date_of_birth >= from && p.date_of_birth <= to, `${p.given_name} ${p.family_name} born ${p.date_of_birth}`).toBe(true);
      expect(p.upn).toMatch(/^[A-Z]\d{12}$/);
      expect(p.upn[0]).toBe(upnCheckLetter(p.upn.slice(1)));
      expect(p.class_id).not.toBeNull();
    }
    expect(new Set(pupils.map((p) => p.upn)).size).toBe(pupils.length);
    const sen = pupils.filter((p) => p.send_status === 'sen_support').length;
    expect(sen / pupils.length).toBeGreaterThan(0.08);
    expect(sen / pupils.length).toBeLessThan(0.16);
    expect(pupils.filter((p) => p.send_status === 'ehcp').length).toBeGreaterThanOrEqual(2);
    expect(pupils.filter((p) => p.preferred_name).length).toBeGreaterThanOrEqual(5);
  });

  it('has about 350 carers; most pupils have two, and brothers and sisters share theirs', async () => {
    const carers = await db.selectFrom('carers').select('id').execute();
    expect(summary.carers).toBe(carers.length);
    expect(carers.length).toBeGreaterThanOrEqual(320);
    expect(carers.length).toBeLessThanOrEqual(380);
    const perPupil = await db
      .selectFrom('carer_pupils')
      .select(['pupil_id', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('pupil_id')
      .execute();
    expect(perPupil.length).toBe(summary.pupils);
    expect(perPupil.filter((r) => Number(r.n) >= 2).length / perPupil.length).toBeGreaterThan(0.75);
    const shared = await db
      .selectFrom('carer_pupils')
      .select(['carer_id', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('carer_id')
      .execute();
    expect(shared.filter((r) => Number(r.n) >= 2).length).toBeGreaterThan(20);
    const paper = await db.selectFrom('carers').select('id').where('email', 'is', null).where('paper_copies', '=', 1).execute();
    expect(paper.length).toBeGreaterThan(0);
  });

  it('has every staff role, one password for all, and a class with a teacher in every year group', async () => {
    const roles = await db.selectFrom('staff_roles').select('role').distinct().execute();
    expect(roles.map((r) => r.role).sort()).toEqual([...STAFF_ROLES].sort());
    const hashes = await db.selectFrom('staff').select('password_hash').distinct().execute();
    expect(hashes).toHaveLength(1);
    expect(await verifyPassword(hashes[0]!.password_hash, DEMO_PASSWORD)).toBe(true);
    const classes = await db
      .selectFrom('classes')
      .innerJoin('class_teachers', 'class_teachers.class_id', 'classes.id')
      .innerJoin('staff', 'staff.id', 'class_teachers.staff_id')
      .select(['classes.name', 'classes.year_group', 'staff.family_name'])
      .execute();
    expect(classes.map((c) => c.year_group).sort()).toEqual([...PRIMARY_YEARS].sort());
    expect(classes).toContainEqual({ name: '3 Okafor', year_group: '3', family_name: 'Okafor' });
    const staffEmails = new Set((await db.selectFrom('staff').select('email').execute()).map((s) => s.email));
    for (const s of DEMO_SIGN_IN_EMAILS.filter((x) => x.how === 'password')) expect(staffEmails.has(s.email)).toBe(true);
  });

  it('has Marta Nowak, mother of Kuba (Year 3, Mr Okafor) and Ola (Reception), reading Polish', async () => {
    const marta = await carerByEmail(db, 'marta.nowak@families.example');
    expect(marta).toMatchObject({ given_name: 'Marta', family_name: 'Nowak', preferred_language: 'Polish' });
    const links = await linksOf(db, marta.id);
    expect(links.map((l) => [l.given_name, l.preferred_name, l.year_group, l.relationship])).toEqual([
      ['Aleksandra', 'Ola', 'R', 'mother'],
      ['Jakub', 'Kuba', '3', 'mother'],
    ]);
    const kubaClass = await db.selectFrom('pupils').innerJoin('classes', 'classes.id', 'pupils.class_id').select('classes.name').where('pupils.preferred_name', '=', 'Kuba').executeTakeFirstOrThrow();
    expect(kubaClass.name).toBe('3 Okafor');
    expect(await pupilsSeenBy(db, marta)).toEqual(['Aleksandra', 'Jakub']);
  });

  it('has Tomasz Nowak, who lives apart, has parental responsibility and wants copies', async () => {
    const tomasz = await carerByEmail(db, 'tomasz.nowak@families.example');
    const marta = await carerByEmail(db, 'marta.nowak@families.example');
    expect(tomasz.postcode).not.toBe(marta.postcode);
    const links = await linksOf(db, tomasz.id);
    expect(links.map((l) => l.preferred_name)).toEqual(['Ola', 'Kuba']);
    for (const l of links) expect(l).toMatchObject({ relationship: 'father', parental_responsibility: 1, lives_with_pupil: 0, wants_copies: 1 });
  });

  it('has Mark Dean, whose court order stops him hearing anything about Lily', async () => {
    const mark = await carerByEmail(db, 'mark.dean@families.example');
    const [lily] = await linksOf(db, mark.id);
    expect(lily).toMatchObject({ given_name: 'Lily', family_name: 'Dean', year_group: '3' });
    const restriction = await db.selectFrom('restrictions').selectAll().where('carer_id', '=', mark.id).executeTakeFirstOrThrow();
    expect(restriction).toMatchObject({ pupil_id: lily!.pupil_id, kind: 'court_order', stops_information: 1, stops_collection: 1, stops_contact: 1, ends_on: null, lifted_at: null });
    expect(restriction.starts_on <= TODAY && restriction.starts_on.startsWith('2026')).toBe(true);
    expect(restriction.details).toMatch(/prohibited steps order/i);
    expect(await pupilsSeenBy(db, mark)).toEqual([]);
    const sarah = await carerByEmail(db, 'sarah.dean@families.example');
    expect(await pupilsSeenBy(db, sarah)).toEqual(['Lily']);
  });

  it('has a family friend who collects but is told nothing', async () => {
    const friend = await db.selectFrom('carer_pupils').selectAll().where('may_receive_information', '=', 0).execute();
    expect(friend.length).toBeGreaterThan(0);
    expect(friend.every((l) => l.parental_responsibility === 0)).toBe(true);
  });

  it('has Shabana Hussain, reading Urdu, who signs in by email link; Polish checked by a fluent speaker and the school’s own Polish words', async () => {
    const shabana = await carerByEmail(db, 'shabana.hussain@families.example');
    expect(shabana).toMatchObject({ given_name: 'Shabana', family_name: 'Hussain', preferred_language: 'Urdu', channel_email: 1 });
    expect((await linksOf(db, shabana.id)).map((l) => [l.given_name, l.year_group, l.relationship])).toEqual([['Zainab', '1', 'mother']]);
    expect(await pupilsSeenBy(db, shabana)).toEqual(['Zainab']);
    expect(DEMO_SIGN_IN_EMAILS).toContainEqual(expect.objectContaining({ email: 'shabana.hussain@families.example', how: 'email link' }));
    const checks = await db.selectFrom('language_checks').select(['language', 'checked_by', 'checked_on']).where('school_id', '=', summary.schoolId).execute();
    expect(checks).toEqual([{ language: 'pl', checked_by: 'Katarzyna Wiśniewska', checked_on: '2026-11-11' }]);
    const own = await db.selectFrom('school_texts').select(['language', 'key', 'text']).where('school_id', '=', summary.schoolId).execute();
    expect(own).toEqual([{ language: 'pl', key: 'common.nav.evenings', text: 'Konsultacje z nauczycielami' }]);
  });

  it('has Faduma Warsame: no email, paper copies, Somali, caring for Ayaan in Nursery', async () => {
    const faduma = await db.selectFrom('carers').selectAll().where('given_name', '=', 'Faduma').where('family_name', '=', 'Warsame').executeTakeFirstOrThrow();
    expect(faduma).toMatchObject({ email: null, paper_copies: 1, preferred_language: 'Somali', channel_email: 0 });
    expect(faduma.mobile).toMatch(/^07700900\d{3}$/);
    expect((await linksOf(db, faduma.id)).map((l) => [l.given_name, l.year_group, l.relationship])).toEqual([['Ayaan', 'N', 'grandparent']]);
  });

  it('has Tyler Brennan: a grandfather raising him with no email or mobile, a mother with only a mobile, and a father under a contact-only court order', async () => {
    const brennans = await db.selectFrom('carers').selectAll().where('family_name', '=', 'Brennan').where('school_id', '=', summary.schoolId).orderBy('given_name').execute();
    const [kelly, patrick, ryan] = brennans;
    expect(brennans.map((c) => c.given_name)).toEqual(['Kelly', 'Patrick', 'Ryan']);
    expect(patrick).toMatchObject({ email: null, mobile: null });
    expect(kelly).toMatchObject({ email: null, paper_copies: 0 });
    expect(kelly!.mobile).toMatch(/^07700900\d{3}$/);
    const links = await db
      .selectFrom('carer_pupils')
      .selectAll()
      .where(
        'carer_id',
        'in',
        brennans.map((c) => c.id),
      )
      .execute();
    const linkOf = (id: string) => links.find((l) => l.carer_id === id)!;
    expect(linkOf(patrick!.id)).toMatchObject({ relationship: 'grandparent', parental_responsibility: 0, lives_with_pupil: 1, may_receive_information: 1 });
    const order = await db.selectFrom('restrictions').selectAll().where('carer_id', '=', ryan!.id).executeTakeFirstOrThrow();
    expect(order).toMatchObject({ kind: 'court_order', stops_information: 0, stops_contact: 1, lifted_at: null });
    expect(await pupilsSeenBy(db, ryan!)).toEqual(['Tyler']); // information is not stopped
  });

  it('has Grace Mensah, foster carer of Leo (Year 4, EHCP), and his social worker with parental responsibility', async () => {
    const grace = await carerByEmail(db, 'grace.mensah@families.example');
    const [leo] = await linksOf(db, grace.id);
    expect(leo).toMatchObject({ given_name: 'Leo', year_group: '4', relationship: 'foster_carer', parental_responsibility: 0 });
    expect((await db.selectFrom('pupils').select('send_status').where('id', '=', leo!.pupil_id).executeTakeFirstOrThrow()).send_status).toBe('ehcp');
    const social = await db.selectFrom('carer_pupils').selectAll().where('pupil_id', '=', leo!.pupil_id).where('relationship', '=', 'social_worker').executeTakeFirstOrThrow();
    expect(social).toMatchObject({ parental_responsibility: 1, lives_with_pupil: 0 });
  });

  it('has three subject access and education record requests: Tomasz’s for Kuba’s record due in two school days, Mark Dean’s about Lily, a solicitor’s corrected and extended', async () => {
    const requests = await db
      .selectFrom('access_requests')
      .leftJoin('carers', 'carers.id', 'access_requests.requester_carer_id')
      .select(['access_requests.kind', 'access_requests.received_on', 'access_requests.due_on', 'access_requests.extended_reason', 'access_requests.requester_name', 'carers.given_name'])
      .where('access_requests.school_id', '=', summary.schoolId)
      .orderBy('access_requests.due_on')
      .execute();
    expect(requests.map((r) => [r.given_name ?? r.requester_name, r.kind, r.received_on, r.due_on, r.extended_reason !== null])).toEqual([
      ['Tomasz', 'education_record', '2026-11-03', '2026-11-25', false], // 13 school days before Monday 23 November (the demo's closures skipped); due Wednesday
      ['Mark', 'subject_access', '2026-11-13', '2026-12-14', false], // a month is Sunday 13 December: the next working day
      ['Hart & Co Solicitors (for the family of a former pupil)', 'subject_access', '2026-10-14', '2027-01-14', true],
    ]);
    const audited = await db.selectFrom('audit_log').select('action').where('school_id', '=', summary.schoolId).where('entity', '=', 'access_request').execute();
    expect(audited.map((a) => a.action).sort()).toEqual(['access_request.corrected', 'access_request.extended', 'access_request.recorded', 'access_request.recorded', 'access_request.recorded']);
  });

  it('has records past their date on Records → Retention: a complaint closed seven years ago and the summer newsletter before last, which erase whole', async () => {
    const kinds = await scheduleToday(db, summary.schoolId, TODAY, 'Europe/London');
    const due = Object.fromEntries(kinds.map((k) => [k.key, k.due.count]));
    expect(due).toMatchObject({ complaints: 1, whole_school_messages: 1, safeguarding_reports: 0 });
    // Erased in a transaction rolled back: every row of each goes (the foreign keys would refuse otherwise), then all is put back.
    const erased = await db
      .transaction()
      .execute(async (trx) => {
        const counts = [await eraseClosedComplaints(trx, summary.schoolId, '2020-11-23T00:00:00.000Z'), await eraseWholeSchoolMessages(trx, summary.schoolId, '2025-09-01T00:00:00.000Z')];
        throw Object.assign(new Error('roll back'), { counts });
      })
      .catch((e: Error & { counts?: number[] }) => e.counts);
    expect(erased).toEqual([1, 1]);
    expect((await scheduleToday(db, summary.schoolId, TODAY, 'Europe/London')).find((k) => k.key === 'complaints')!.due.count).toBe(1);
  });

  it('keeps names in any script exactly as written', async () => {
    const zoe = await db.selectFrom('pupils').select(['given_name', 'family_name']).where('given_name', '=', 'Zoë').execute();
    expect(zoe).toEqual([{ given_name: 'Zoë', family_name: "O'Brien-Smith" }]);
    expect(await db.selectFrom('carers').select('given_name').where('given_name', '=', 'Łukasz').execute()).toHaveLength(1);
    expect(await db.selectFrom('carers').select('given_name').where('given_name', '=', 'محمد').execute()).toEqual([{ given_name: 'محمد' }]);
    expect((await db.selectFrom('carers').select('family_name').where('family_name', '=', "O'Brien-Smith").execute()).length).toBe(2);
  });

  it('has families speaking Polish, Urdu, Somali, Romanian, Arabic, Bengali and Portuguese', async () => {
    const home = new Set((await db.selectFrom('pupils').select('home_language').where('eal', '=', 1).execute()).map((p) => p.home_language));
    const read = new Set((await db.selectFrom('carers').select('preferred_language').execute()).map((c) => c.preferred_language));
    for (const language of ['Polish', 'Urdu', 'Somali', 'Romanian', 'Arabic', 'Bengali', 'Portuguese']) {
      expect(home.has(language), `a pupil speaks ${language} at home`).toBe(true);
      expect(read.has(language), `a carer reads ${language}`).toBe(true);
    }
    const interpreters = await db.selectFrom('carers').select('id').where('interpreter_needed', '=', 1).execute();
    expect(interpreters.length).toBeGreaterThan(5);
  });

  it('refuses to load a second time, adding nothing', async () => {
    const messages = (await db.selectFrom('messages').select('id').execute()).length;
    await expect(loadDemoSchool(db, { now: NOW })).rejects.toThrow(/already in this database/);
    expect((await db.selectFrom('schools').select('id').execute()).length).toBe(1);
    expect((await db.selectFrom('messages').select('id').execute()).length).toBe(messages);
  });

  it('signs Faduma in with her printed code, once', async () => {
    expect([...FADUMA_CODE.replace(/-/g, '')].every((c) => 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'.includes(c))).toBe(true);
    const faduma = await db.selectFrom('carers').select('id').where('given_name', '=', 'Faduma').executeTakeFirstOrThrow();
    const typed = FADUMA_CODE.toLowerCase().replace(/-/g, ' ');
    expect(await redeemSignInCode(db, typed, NOW)).toEqual({ carerId: faduma.id, schoolId: summary.schoolId });
    expect(await redeemSignInCode(db, FADUMA_CODE, NOW)).toBeNull();
  });

  // Last, because it closes this database first: Kysely's Migrator looks for its own tables in
  // every PostgreSQL schema, so a second test schema opened beside this one would not be migrated.
  it('gives the same pupils, names, UPNs, messages and reads every time', async () => {
    const first = { pupils: await pupilList(db), carers: await carerNames(db), term: await termFacts(db) };
    await t.close();
    closed = true;
    const again = await openTestDb(dialect);
    try {
      await loadDemoSchool(again.db, { now: NOW });
      expect(await pupilList(again.db)).toEqual(first.pupils);
      expect(await carerNames(again.db)).toEqual(first.carers);
      expect(await termFacts(again.db)).toEqual(first.term);
    } finally {
      await again.close();
    }
  });
});
