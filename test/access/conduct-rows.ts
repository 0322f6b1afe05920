import { closeComplaint, setSingleContact } from '../../src/features/conduct/commands.ts';
import { lettersAboutCarer } from '../../src/features/concerns/index.ts';
import { escalateConcern } from '../../src/features/concerns/escalate.ts';
import { raiseConcern } from '../../src/features/concerns/raise.ts';
import type { TestApp } from '../support/app.ts';
import type { FeatureRows, Row, Who } from './types.ts';

/**
 * Behaviour towards staff (features/conduct) and the monitoring figures (features/monitoring). The
 * record is Tomasz Nowak's: the head and senior leaders read it and record incidents; only the head
 * decides (a single point of contact, a ban, a review, closing a complaint). No carer reaches it,
 * not even Tomasz. Grace Mensah's single point of contact is the one reviewed and printed. The figures are for the head, senior leaders and governors.
 */
const READERS: Who[] = ['head', 'senior_leader'];
const HEAD: Who[] = ['head'];

const conduct = (path: string, allowed: Who[]): Row => ({ allowed, url: (f) => `/carers/${f.carers.tomasz}/conduct${path}` });

export const conductRows: FeatureRows = {
  rows: {
    'GET /conduct': { allowed: READERS, url: () => '/conduct' },
    'GET /carers/:carerId/conduct': conduct('', READERS),
    'POST /carers/:carerId/conduct/incidents': { ...conduct('/incidents', READERS), form: (_f, _ids, who) => ({ happened_on: day(-1), what: `Shouted at the office (${who})` }) },
    'POST /carers/:carerId/conduct/contact': {
      ...conduct('/contact', HEAD),
      form: (f) => ({ contact: f.staff.family_liaison, contact_reason: 'Two incidents this week', contact_review_on: day(40) }),
    },
    'POST /carers/:carerId/conduct/ban': { ...conduct('/ban', HEAD), form: () => ({ ban_reason: 'Pushed a member of staff', starts_on: day(1), ban_review_on: day(40), letter: 'Dear Mr Nowak' }) },
    'POST /carers/:carerId/conduct/arrangements/:arrangementId/review': {
      allowed: HEAD,
      url: (f, ids) => `/carers/${f.carers.grace}/conduct/arrangements/${ids.conductArrangement}/review`,
      form: () => ({ decision: 'continue', review_on: day(50) }),
    },
    'GET /carers/:carerId/conduct/arrangements/:arrangementId/letter': { allowed: READERS, url: (f, ids) => `/carers/${f.carers.grace}/conduct/arrangements/${ids.conductArrangement}/letter` },
    'POST /carers/:carerId/conduct/closures': {
      ...conduct('/closures', HEAD),
      form: (_f, ids) => ({ complaint: ids.conductComplaint!, grounds: 'serial', closure_reason: 'The same matter again', dfe_route: 'www.gov.uk/contact-dfe', closure_review_on: day(40) }),
    },
    'POST /carers/:carerId/conduct/closures/:closureId/review': { allowed: HEAD, url: (f, ids) => `/carers/${f.carers.tomasz}/conduct/closures/${ids.conductClosure}/review`, form: () => ({}) },
    'GET /monitoring/complaints': { allowed: ['head', 'senior_leader', 'governor'], url: () => '/monitoring/complaints' },
    'GET /monitoring': { allowed: ['head', 'senior_leader', 'governor'], url: () => '/monitoring' },
  },
  async setup(t: TestApp) {
    const fx = t.fx;
    const by = { staffId: fx.staff.head, schoolId: fx.school.id };
    // Grace Mensah's arrangement is reviewed (Tomasz's own is replaced when the head sets one in the matrix).
    const contact = await setSingleContact(
      t.db,
      by,
      fx.carers.grace,
      { contact: fx.staff.office, reason: 'Many calls a day', review_on: day(30) },
      { now: new Date(), letters: lettersAboutCarer(null) },
    );
    if (!contact.ok) throw new Error(contact.message);
    const complaint = async (what: string) => {
      const ctx = { now: new Date(), baseUrl: 'http://gatepost.test', translator: null };
      const raised = await raiseConcern(
        t.db,
        { kind: 'staff', staffId: fx.staff.office },
        { schoolId: fx.school.id, pupilId: fx.pupils.kuba, carerId: fx.carers.tomasz, receivedVia: 'phone', contactBy: 'email', whatHappened: what, wouldLike: 'An answer', safeguarding: 0 },
        ctx,
      );
      if (!raised.ok) throw new Error(raised.message);
      const concern = await t.db.selectFrom('concerns').selectAll().where('id', '=', raised.id).executeTakeFirstOrThrow();
      const made = await escalateConcern(t.db, { kind: 'staff', staffId: fx.staff.head }, concern, { last_incident_on: day(-2), unresolved: 'Not resolved' }, ctx);
      if (!made.ok) throw new Error(made.message);
      return made.id;
    };
    const closed = await complaint('Closed before the matrix runs');
    const closure = await closeComplaint(
      t.db,
      by,
      fx.carers.tomasz,
      { complaint: closed, grounds: 'vexatious', reason: 'Vexatious', dfe_route: 'www.gov.uk/contact-dfe', review_on: day(30) },
      { now: new Date(), letters: lettersAboutCarer(null) },
    );
    if (!closure.ok) throw new Error(closure.message);
    return { conductArrangement: contact.id, conductComplaint: await complaint('For the head to close'), conductClosure: closure.id };
  },
};

/** Today plus `n` days (minus, for the past), as a date a person might type. */
function day(n: number): string {
  return new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
}
