import { newId } from '../../src/platform/ids.ts';
import { sendMessage } from '../../src/features/messages/send.ts';
import { mine, perPerson, SEE_PUPILS, type FeatureRows, type Who } from './types.ts';

/**
 * Court orders an import recorded (the head and the DSL complete them) and the CSV exports (the
 * same people as the page each one downloads). The orders to complete (one each) are about Mark Dean
 * and Lily, whom the fixture's court order already keeps apart, so no other row sees a change; the
 * pupils files (one each) name a class the school does not have.
 */
const HEAD_AND_DSL: Who[] = ['head', 'dsl'];

export const recordsRows: FeatureRows = {
  rows: {
    'GET /restrictions/to-complete': { allowed: HEAD_AND_DSL, url: () => '/restrictions/to-complete' },
    'GET /pupils/:pupilId/restrictions/:restrictionId/details': { allowed: HEAD_AND_DSL, url: (f, ids) => `/pupils/${f.pupils.lily}/restrictions/${ids.pendingRestriction}/details` },
    'POST /pupils/:pupilId/restrictions/:restrictionId/details': {
      allowed: HEAD_AND_DSL,
      url: (f, ids, who) => `/pupils/${f.pupils.lily}/restrictions/${mine(ids, 'pendingRestriction', who)}/details`,
      form: (_f, _ids, who) => ({ kind: 'court_order', stops: ['information', 'contact'], details: `Prohibited steps order, case BF26P00999 (${who})`, starts_on: '1/1/2026' }),
    },
    // Choosing again is saved again (an audit entry each time).
    'POST /import/:batchId/classes': {
      allowed: ['head', 'office'],
      url: (_f, ids) => `/import/${ids.classesBatch}/classes`,
      form: (f) => ({ file_class: '4 Birch', match: f.classes.y4 }),
    },
    'GET /pupils.csv': { allowed: SEE_PUPILS, url: () => '/pupils.csv' },
    'GET /carers.csv': { allowed: SEE_PUPILS, url: () => '/carers.csv' },
    'GET /reach/not-reached.csv': { allowed: ['head', 'senior_leader', 'office', 'family_liaison', 'dsl', 'deputy_dsl', 'senco'], url: () => '/reach/not-reached.csv' },
    // The evening of evening-rows.ts: leaders download every schedule, Mr Okafor his own.
    'GET /evenings/:eveningId/schedule.csv': { allowed: ['head', 'senior_leader', 'office', 'teacher'], url: (_f, ids) => `/evenings/${ids.setupEveningId}/schedule.csv` },
    // The head's newsletter: whole-school staff see its reach; the teacher did not write it.
    'GET /messages/:messageId/reach.csv': { allowed: ['head', 'senior_leader', 'office', 'senco', 'family_liaison', 'dsl', 'deputy_dsl'], url: (_f, ids) => `/messages/${ids.reachMessage}/reach.csv` },
  },
  async setup(t) {
    const pending = async () => {
      const id = newId();
      await t.db
        .insertInto('restrictions')
        .values({
          id,
          school_id: t.fx.school.id,
          pupil_id: t.fx.pupils.lily,
          carer_id: t.fx.carers.mark,
          kind: 'court_order',
          stops_information: 1,
          stops_collection: 0,
          stops_contact: 1,
          details: 'From the records system (line 2 of the contacts file): Court Order: yes. Add what the order says.',
          starts_on: '2026-01-01',
          ends_on: null,
          lifted_at: null,
          created_by: t.fx.staff.office,
          created_at: new Date().toISOString(),
          details_pending: 1,
        })
        .execute();
      return id;
    };
    const pendingRestriction = await pending();
    const toComplete = await perPerson('pendingRestriction', HEAD_AND_DSL, pending);
    const classesBatch = newId();
    await t.db
      .insertInto('import_batches')
      .values({
        id: classesBatch,
        school_id: t.fx.school.id,
        kind: 'pupils',
        file_name: 'pupils.csv',
        csv_text: 'UPN,Forename,Surname,DOB,Year,Reg Group\nH801200009901,Ava,Birch,01/02/2018,4,4 Birch\n',
        created_by: t.fx.staff.office,
        created_at: new Date().toISOString(),
        applied_at: null,
      })
      .execute();
    const reachMessage = newId();
    const now = new Date().toISOString();
    await t.db
      .insertInto('messages')
      .values({
        id: reachMessage,
        school_id: t.fx.school.id,
        kind: 'newsletter',
        tone: 'information',
        subject: 'Harvest',
        body: 'Tins, please.',
        audience_json: JSON.stringify({ kind: 'school' }),
        asks_acknowledgement: 0,
        status: 'draft',
        scheduled_for: null,
        sent_at: null,
        created_by: t.fx.staff.head,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await sendMessage(t.db, { kind: 'system' }, t.fx.school.id, reachMessage, { baseUrl: 'http://gatepost.test', schoolName: 'Brookfield', today: '2026-11-23', now: new Date() });
    return { ...toComplete, pendingRestriction, classesBatch, reachMessage };
  },
};
