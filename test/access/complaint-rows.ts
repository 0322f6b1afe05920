import { appoint } from '../../src/features/concerns/complaints/case.ts';
import { makeComplaint } from '../../src/features/concerns/complaints/make.ts';
import { decidePublicComplaint, makePublicComplaint, publicComplaintOf } from '../../src/features/concerns/complaints/public.ts';
import { complaintForStaff } from '../../src/features/concerns/complaints/queries.ts';
import { newId } from '../../src/platform/ids.ts';
import type { TestApp } from '../support/app.ts';
import { EVERYONE, STAFF, type FeatureRows, type Row, type Who } from './types.ts';

/**
 * Formal complaints: every route, who may use it. Marta complained about Kuba; the head leads the case
 * and Dr Shah (governor) investigates it. Nobody else on the staff — however senior, the DSL included —
 * may read it; every carer but Marta is refused her case. Recording a complaint for a family is for the
 * head, senior leaders and the office; setting the procedure is the head's.
 */
const TEAM: Who[] = ['head', 'governor'];
const LEAD: Who[] = ['head'];
const RECORDERS: Who[] = ['head', 'senior_leader', 'office'];
const ctx = () => ({ now: new Date(), baseUrl: 'http://gatepost.test', translator: null });
const today = () => new Date().toISOString().slice(0, 10);
const ukDate = (iso: string) => iso.split('-').reverse().join('/');
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

const on = (key: string, path: string, allowed: Who[], form?: Row['form']): Row => ({ allowed, url: (_f, ids) => `/complaints/${ids[key]}${path}`, ...(form ? { form } : {}) });

export const complaintRows: FeatureRows = {
  rows: {
    'GET /complaints': { allowed: STAFF, url: () => '/complaints' },
    'GET /complaints/settings': { allowed: LEAD, url: () => '/complaints/settings' },
    'POST /complaints/settings': {
      allowed: LEAD,
      url: () => '/complaints/settings',
      form: () => ({ school_type: 'maintained', stage_names: 'Informal\nStage 1\nStage 2', acknowledge: '5', respond: '15', panel_within: '20', papers_before: '5', decision_after: '5' }),
    },
    'GET /complaints/:complaintId': on('complaint', '', TEAM),
    'GET /complaints/:complaintId/procedure': on('complaint', '/procedure', TEAM),
    'GET /complaints/:complaintId/documents/:eventId': { allowed: TEAM, url: (_f, ids) => `/complaints/${ids.complaint}/documents/${ids.document}` },
    'POST /complaints/:complaintId/late': on('late', '/late', LEAD, () => ({ decision: 'accepted', reason: 'The family was abroad' })),
    'POST /complaints/:complaintId/named': on('complaint', '/named', LEAD, (f) => ({ staff: f.staff.teacher2 })),
    'POST /complaints/:complaintId/officer': on('unappointed', '/officer', LEAD, (f) => ({ staff: f.staff.senior_leader })),
    'POST /complaints/:complaintId/panel': on('panel', '/panel', LEAD, (f) => ({ staff: f.staff.governor, independent: 'yes' })),
    'POST /complaints/:complaintId/panel-date': on('panel', '/panel-date', LEAD, () => ({ panel_on: ukDate(inDays(20)) })),
    'POST /complaints/:complaintId/slip': on('complaint', '/slip', LEAD, () => ({ deadline: 'respond_by', new_date: ukDate(inDays(120)), reason: 'A witness is away' })),
    'POST /complaints/:complaintId/interviews': on('complaint', '/interviews', TEAM, (_f, _ids, who) => ({ with_whom: 'Mr Green', account: `Said it was the whole table (${who})` })),
    'POST /complaints/:complaintId/documents': {
      ...on('complaint', '/documents', TEAM, () => ({ description: 'The lunch register' })),
      file: { field: 'file', name: 'register.txt', content: 'Mon: Kuba' },
    },
    'POST /complaints/:complaintId/report': on('complaint', '/report', TEAM, () => ({ independence: 'No link to Year 3', issue: 'no' })),
    'POST /complaints/:complaintId/letter': on('lettered', '/letter', LEAD, () => ({ body: 'Dear Marta,\n\nOutcome: Upheld.', send: 'save' })),
    'POST /complaints/:complaintId/papers': on('papers', '/papers', LEAD, () => ({ note: 'The panel meets in the library', how: 'printed', late_reason: 'Only if late' })),
    'POST /complaints/:complaintId/stage-2': on('answered', '/stage-2', LEAD, () => ({})),
    'GET /pupils/:pupilId/complaints/new': { allowed: RECORDERS, url: (f) => `/pupils/${f.pupils.kuba}/complaints/new` },
    'POST /pupils/:pupilId/complaints': {
      allowed: RECORDERS,
      url: (f) => `/pupils/${f.pupils.kuba}/complaints`,
      form: (f, _ids, who) => ({ carer: f.carers.marta, complaint: `Wrote to ${who} about lunch`, would_like: 'An apology', last_incident_on: ukDate(today()) }),
    },
    'GET /my-complaints': { allowed: ['carer'], url: () => '/my-complaints' },
    'GET /complain/:urn': { allowed: EVERYONE, url: () => '/complain/100001' },
    'POST /complain/:urn': {
      allowed: EVERYONE,
      url: () => '/complain/100001',
      form: (_f, _ids, who) => ({
        name: `Someone (${who})`,
        email: `${who}@example.test`,
        connection: 'A neighbour',
        about: 'Cars on the pavement at pick-up',
        would_like: 'A word with parents',
        last_incident_on: ukDate(today()),
      }),
    },
    'GET /complain/:urn/sent': { allowed: EVERYONE, url: () => '/complain/100001/sent' },
    'GET /complaints/public/:publicId': { allowed: LEAD, url: (_f, ids) => `/complaints/public/${ids.public}` },
    'POST /complaints/public/:publicId/decision': {
      allowed: LEAD,
      url: (_f, ids) => `/complaints/public/${ids.public}/decision`,
      form: () => ({ decision: 'accepted', reason: 'Mr Green will look into it' }),
    },
    // Marking Joan's second complaint's words as safeguarding: the head, who triages it (the DSL is alerted).
    'POST /complaints/public/:publicId/safeguarding': { allowed: LEAD, url: (_f, ids) => `/complaints/public/${ids.publicToMark}/safeguarding`, form: () => ({}) },
    // Closing Joan's third complaint (taken on) as serial, and reviewing her fourth's closure: whoever triages it (the head).
    'POST /complaints/public/:publicId/closure': {
      allowed: LEAD,
      url: (_f, ids) => `/complaints/public/${ids.publicTaken}/closure`,
      form: (_f, ids) => ({ complaint: ids.publicTakenCase!, grounds: 'serial', closure_reason: 'The same matter again', dfe_route: 'www.gov.uk/contact-dfe', closure_review_on: ukDate(inDays(30)) }),
    },
    'POST /complaints/public/:publicId/closure/:closureId/review': {
      allowed: LEAD,
      url: (_f, ids) => `/complaints/public/${ids.publicClosed}/closure/${ids.publicClosure}/review`,
      form: () => ({}),
      touches: ['complaint_closures'],
    },
    'GET /my-complaints/new': { allowed: ['carer'], url: () => '/my-complaints/new' },
    'POST /my-complaints': {
      allowed: ['carer'],
      url: () => '/my-complaints',
      form: (f, _ids, who) => ({
        pupil: who === 'other_carer' ? f.pupils.otherPupil : f.pupils.kuba,
        complaint: 'Kuba’s coat was thrown in a puddle',
        would_like: 'A word',
        last_incident_on: ukDate(today()),
      }),
    },
    'GET /my-complaints/:complaintId': { allowed: ['carer'], url: (_f, ids) => `/my-complaints/${ids.complaint}` },
    'POST /my-complaints/:complaintId/panel': { allowed: ['carer'], url: (_f, ids) => `/my-complaints/${ids.answered2}/panel`, form: () => ({}) },
  },
  async setup(t: TestApp) {
    const fx = t.fx;
    const by = { staffId: fx.staff.head, schoolId: fx.school.id };
    const head = { id: fx.staff.head, schoolId: fx.school.id, roles: ['head' as const] };
    const make = async (what: string, pupil = fx.pupils.kuba, lastIncident = today()) => {
      const made = await makeComplaint(
        t.db,
        fx.school.id,
        { kind: 'carer', carerId: fx.carers.marta },
        { pupil, complaint: what, would_like: 'Put it right', last_incident_on: lastIncident, about_head: 0 },
        ctx(),
      );
      if (!made.ok) throw new Error(made.message);
      return made.id;
    };
    const opened = async (id: string) => (await complaintForStaff(t.db, head, id))!;
    const complaint = await make('Kuba was kept in at lunch all week');
    const appointed = await appoint(t.db, by, await opened(complaint), 'officer', { staff: fx.staff.governor, interest: null, independent: 0 }, new Date());
    if (!appointed.ok) throw new Error(String(appointed.message));
    const document = newId();
    await t.db
      .insertInto('complaint_events')
      .values({
        id: document,
        school_id: fx.school.id,
        complaint_id: complaint,
        kind: 'document',
        body: 'Register',
        staff_id: null,
        on_date: null,
        file_name: 'register.txt',
        file_type: 'text/plain',
        file_base64: Buffer.from('Mon').toString('base64'),
        created_by_kind: 'staff',
        created_by: fx.staff.governor,
        created_at: new Date().toISOString(),
      })
      .execute();
    const late = await make('Something long ago', fx.pupils.kuba, '2020-01-06');
    const unappointed = await make('Nobody appointed yet', fx.pupils.ola); // Mr Green worked on concerns about Kuba: Gatepost would refuse him there
    const panel = await make('At the panel', fx.pupils.ola);
    await t.db.updateTable('complaints').set({ stage: 'stage_2', status: 'panel', panel_requested_on: today(), officer_id: fx.staff.senior_leader }).where('id', '=', panel).execute();
    const papers = await make('At the panel, its papers to send', fx.pupils.ola);
    await t.db
      .updateTable('complaints')
      .set({ stage: 'stage_2', status: 'panel', panel_requested_on: today(), panel_on: inDays(60), officer_id: fx.staff.senior_leader })
      .where('id', '=', papers)
      .execute();
    await t.db
      .insertInto('complaint_people')
      .values(
        [fx.staff.governor, fx.staff.teacher2, fx.staff.teacher3].map((staffId) => ({
          id: newId(),
          school_id: fx.school.id,
          complaint_id: papers,
          staff_id: staffId,
          role: 'panel' as const,
          independent: 0,
          created_by: fx.staff.head,
          created_at: new Date().toISOString(),
        })),
      )
      .execute();
    const answered = await make('Answered at stage 1');
    const answered2 = await make('Answered, Marta asks for the panel');
    await t.db.updateTable('complaints').set({ status: 'answered' }).where('id', 'in', [answered, answered2]).execute();
    const lettered = await make('With a draft letter');
    const at = new Date().toISOString();
    await t.db
      .insertInto('complaint_letters')
      .values({
        id: newId(),
        school_id: fx.school.id,
        complaint_id: lettered,
        stage: 'stage_1',
        outcome: 'upheld',
        body: 'Dear Marta',
        status: 'draft',
        updated_by: fx.staff.head,
        created_at: at,
        updated_at: at,
      })
      .execute();
    const fromPublic = await makePublicComplaint(
      t.db,
      { id: fx.school.id, name: 'Brookfield', time_zone: 'Europe/London' },
      {
        name: 'Joan Pike',
        email: 'joan@example.test',
        phone: null,
        connection: 'A neighbour',
        about: 'Cars on the pavement',
        would_like: 'A word',
        last_incident_on: today(),
        about_head: 0,
        parent: undefined,
      },
      ctx(),
    );
    if (!fromPublic.ok) throw new Error(fromPublic.message);
    const toMark = await makePublicComplaint(
      t.db,
      { id: fx.school.id, name: 'Brookfield', time_zone: 'Europe/London' },
      {
        name: 'Joan Pike',
        email: 'joan@example.test',
        phone: null,
        connection: 'A neighbour',
        about: 'A child told me something worrying',
        would_like: 'Someone to listen',
        last_incident_on: today(),
        about_head: 0,
        parent: undefined,
      },
      ctx(),
    );
    if (!toMark.ok) throw new Error(toMark.message);
    const takenOn = async (about: string) => {
      const made = await makePublicComplaint(
        t.db,
        { id: fx.school.id, name: 'Brookfield', time_zone: 'Europe/London' },
        { name: 'Joan Pike', email: 'joan@example.test', phone: null, connection: 'A neighbour', about, would_like: 'A word', last_incident_on: today(), about_head: 0, parent: undefined },
        ctx(),
      );
      if (!made.ok) throw new Error(made.message);
      const taken = await decidePublicComplaint(t.db, by, (await publicComplaintOf(t.db, fx.school.id, made.id))!, { decision: 'accepted', reason: 'We will look into it' }, new Date());
      if (!taken.ok || !taken.caseId) throw new Error('not taken on');
      return { id: made.id, caseId: taken.caseId };
    };
    const publicTaken = await takenOn('Cars again');
    const publicClosed = await takenOn('Cars once more');
    const publicClosure = newId();
    await t.db
      .insertInto('complaint_closures')
      .values({
        id: publicClosure,
        school_id: fx.school.id,
        complaint_id: publicClosed.caseId,
        carer_id: null,
        grounds: 'serial',
        reason: 'The same matter',
        dfe_route: 'www.gov.uk/contact-dfe',
        review_on: inDays(10),
        letter_sent_by: 'email',
        decided_by: fx.staff.head,
        decided_on: today(),
        reviewed_at: null,
        reviewed_by: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    return {
      complaint,
      document,
      late,
      unappointed,
      panel,
      papers,
      answered,
      answered2,
      lettered,
      public: fromPublic.id,
      publicToMark: toMark.id,
      publicTaken: publicTaken.id,
      publicTakenCase: publicTaken.caseId,
      publicClosed: publicClosed.id,
      publicClosure,
    };
  },
};
