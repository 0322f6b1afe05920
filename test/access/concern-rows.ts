import { addEntry, triageConcern } from '../../src/features/concerns/commands.ts';
import { raiseConcern } from '../../src/features/concerns/raise.ts';
import type { FeatureRows, Row, Who } from './types.ts';

/**
 * Concerns: every route, who may use it. The concern is Marta's, about Kuba, logged by Ms Byrne
 * (office) from a phone call and passed to Mr Okafor (teacher); a note in it is marked as
 * safeguarding, so the DSL and deputy may open it too. Senior staff who are none of these (the
 * SENCO, the family liaison officer), governors and every carer but Marta may not.
 */
const LOGGERS: Who[] = ['head', 'senior_leader', 'teacher', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison'];
const OPENERS: Who[] = ['head', 'senior_leader', 'teacher', 'office', 'dsl', 'deputy_dsl'];
const WORKERS: Who[] = ['head', 'senior_leader', 'teacher'];

const concern = (path: string, allowed: Who[]): Row => ({ allowed, url: (_f, ids) => `/concerns/${ids.concern}${path}` });

export const concernRows: FeatureRows = {
  rows: {
    'GET /concerns': { allowed: LOGGERS, url: () => '/concerns' },
    'GET /concerns/:concernId': concern('', OPENERS),
    'POST /concerns/:concernId/pass-on': {
      ...concern('/pass-on', ['head', 'senior_leader']),
      form: (f) => ({ owner: f.staff.teacher, category: 'bullying', school_days: '5' }),
    },
    'POST /concerns/:concernId/contacts': { ...concern('/contacts', WORKERS), form: (_f, _ids, who) => ({ contact_how: 'phone', contact_body: `Rang Mrs Nowak (${who})` }) },
    'POST /concerns/:concernId/notes': { ...concern('/notes', OPENERS), form: (_f, _ids, who) => ({ note_body: `A note (${who})` }) },
    'POST /concerns/:concernId/entries/:entryId/safeguarding': { allowed: OPENERS, url: (_f, ids) => `/concerns/${ids.concern}/entries/${ids.concernEntry}/safeguarding` },
    // Without a form: closing is done once (the first would close it, the rest be told it is closed).
    'POST /concerns/:concernId/close': concern('/close', WORKERS),
    // Without a form: a concern becomes a complaint once (the rest would be told it already is one).
    'POST /concerns/:concernId/complaint': concern('/complaint', ['head', 'senior_leader']),
    'GET /pupils/:pupilId/concerns/new': { allowed: LOGGERS, url: (f) => `/pupils/${f.pupils.kuba}/concerns/new` },
    'POST /pupils/:pupilId/concerns': {
      allowed: LOGGERS,
      url: (f) => `/pupils/${f.pupils.kuba}/concerns`,
      form: (f, _ids, who) => ({ carer: f.carers.marta, received_via: 'phone', what_happened: `Told ${who} about the lunch queue`, would_like: 'A word', contact_by: 'phone' }),
    },
    'GET /my-concerns': { allowed: ['carer'], url: () => '/my-concerns' },
    'GET /my-concerns/new': { allowed: ['carer'], url: () => '/my-concerns/new' },
    'POST /my-concerns': {
      allowed: ['carer'],
      url: () => '/my-concerns',
      // The other school's carer asks about her own child (she may use the route; Brookfield's children are not hers).
      form: (f, _ids, who) => ({ pupil: who === 'other_carer' ? f.pupils.otherPupil : f.pupils.kuba, what_happened: 'Kuba’s coat went missing', would_like: 'Find it', contact_by: 'email' }),
    },
    'GET /my-concerns/:concernId': { allowed: ['carer'], url: (_f, ids) => `/my-concerns/${ids.concern}` },
    'POST /my-concerns/:concernId/complaint': { allowed: ['carer'], url: (_f, ids) => `/my-concerns/${ids.concern}/complaint` },
    'POST /my-concerns/:concernId/answer': { allowed: ['carer'], url: (_f, ids) => `/my-concerns/${ids.concern}/answer` },
  },
  async setup(t) {
    const fx = t.fx;
    const ctx = { now: new Date(), baseUrl: 'http://gatepost.test', translator: null };
    const raised = await raiseConcern(
      t.db,
      { kind: 'staff', staffId: fx.staff.office },
      {
        schoolId: fx.school.id,
        pupilId: fx.pupils.kuba,
        carerId: fx.carers.marta,
        receivedVia: 'phone',
        contactBy: 'phone',
        whatHappened: 'Kuba is unhappy at lunch',
        wouldLike: 'A call',
        safeguarding: 0,
      },
      ctx,
    );
    if (!raised.ok) throw new Error(raised.message);
    const row = await t.db.selectFrom('concerns').selectAll().where('id', '=', raised.id).executeTakeFirstOrThrow();
    const by = { staffId: fx.staff.head, schoolId: fx.school.id };
    const passed = await triageConcern(t.db, by, row, { owner: fx.staff.teacher, category: 'behaviour', school_days: 5 }, ctx);
    if (!passed.ok) throw new Error(passed.message);
    await addEntry(t.db, by, row, { kind: 'note', body: 'Said something worrying about home', contactHow: null, safeguarding: 1 }, ctx);
    const entry = await t.db.selectFrom('concern_entries').select('id').where('concern_id', '=', raised.id).where('kind', '=', 'what_happened').executeTakeFirstOrThrow();
    return { concern: raised.id, concernEntry: entry.id };
  },
};
