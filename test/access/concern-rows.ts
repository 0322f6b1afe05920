import { addEntry, closeConcern, triageConcern } from '../../src/features/concerns/commands.ts';
import { raiseConcern } from '../../src/features/concerns/raise.ts';
import type { TestApp } from '../support/app.ts';
import { mine, perPerson, type FeatureRows, type Row, type Who } from './types.ts';

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
    // Each person marks an entry of their own (an entry is marked once).
    'POST /concerns/:concernId/entries/:entryId/safeguarding': {
      allowed: OPENERS,
      url: (_f, ids, who) => `/concerns/${ids.concern}/entries/${mine(ids, 'plainEntry', who)}/safeguarding`,
      form: () => ({}),
    },
    // A concern is closed once and made a complaint once: each person has their own.
    'POST /concerns/:concernId/close': {
      allowed: WORKERS,
      url: (_f, ids, who) => `/concerns/${mine(ids, 'openConcern', who)}/close`,
      form: (_f, _ids, who) => ({ outcome: `We moved Kuba's lunch sitting (${who})` }),
    },
    'POST /concerns/:concernId/complaint': {
      allowed: ['head', 'senior_leader'],
      url: (_f, ids, who) => `/concerns/${mine(ids, 'escalatable', who)}/complaint`,
      form: () => ({ last_incident_on: daysAgo(3), unresolved: 'The lunchtime problem is still going on' }),
    },
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
    // Marta answers one closed concern and makes a complaint of another (the other school's carer is refused either).
    'POST /my-concerns/:concernId/complaint': {
      allowed: ['carer'],
      url: (_f, ids) => `/my-concerns/${ids.complainable}/complaint`,
      form: () => ({ last_incident_on: daysAgo(3), unresolved: 'Kuba is still unhappy at lunch' }),
    },
    'POST /my-concerns/:concernId/answer': { allowed: ['carer'], url: (_f, ids) => `/my-concerns/${ids.answerable}/answer`, form: () => ({ answer: 'yes' }) },
  },
  async setup(t) {
    const fx = t.fx;
    const main = await concernOfMarta(t, 'Kuba is unhappy at lunch');
    const by = { staffId: fx.staff.head, schoolId: fx.school.id };
    await addEntry(t.db, by, main, { kind: 'note', body: 'Said something worrying about home', contactHow: null, safeguarding: 1 }, ctx());
    const entry = await t.db.selectFrom('concern_entries').select('id').where('concern_id', '=', main.id).where('kind', '=', 'what_happened').executeTakeFirstOrThrow();
    const plainEntries = await perPerson('plainEntry', OPENERS, async (who) => {
      await addEntry(t.db, by, main, { kind: 'note', body: `A note for ${who} to mark`, contactHow: null, safeguarding: 0 }, ctx());
      const row = await t.db.selectFrom('concern_entries').select('id').where('concern_id', '=', main.id).where('body', '=', `A note for ${who} to mark`).executeTakeFirstOrThrow();
      return row.id;
    });
    const open = await perPerson('openConcern', WORKERS, async (who) => (await concernOfMarta(t, `For ${who} to close`)).id);
    const escalatable = await perPerson('escalatable', ['head', 'senior_leader'], async (who) => (await concernOfMarta(t, `For ${who} to make a complaint of`)).id);
    const closed = async (what: string) => {
      const row = await concernOfMarta(t, what);
      const done = await closeConcern(t.db, by, row, { outcome: 'We talked it through' }, ctx());
      if (!done.ok) throw new Error(done.message);
      return row.id;
    };
    return { concern: main.id, concernEntry: entry.id, ...plainEntries, ...open, ...escalatable, answerable: await closed('Answered by Marta'), complainable: await closed('Complained of by Marta') };
  },
};

const ctx = () => ({ now: new Date(), baseUrl: 'http://gatepost.test', translator: null });

/** The day `n` days before today, as a person would type it. */
function daysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

/** A concern of Marta's about Kuba, logged by the office from a call and passed to Mr Okafor. */
async function concernOfMarta(t: TestApp, whatHappened: string) {
  const fx = t.fx;
  const raised = await raiseConcern(
    t.db,
    { kind: 'staff', staffId: fx.staff.office },
    { schoolId: fx.school.id, pupilId: fx.pupils.kuba, carerId: fx.carers.marta, receivedVia: 'phone', contactBy: 'phone', whatHappened, wouldLike: 'A call', safeguarding: 0 },
    ctx(),
  );
  if (!raised.ok) throw new Error(raised.message);
  const row = await t.db.selectFrom('concerns').selectAll().where('id', '=', raised.id).executeTakeFirstOrThrow();
  const passed = await triageConcern(t.db, { staffId: fx.staff.head, schoolId: fx.school.id }, row, { owner: fx.staff.teacher, category: 'behaviour', school_days: 5 }, ctx());
  if (!passed.ok) throw new Error(passed.message);
  return t.db.selectFrom('concerns').selectAll().where('id', '=', raised.id).executeTakeFirstOrThrow();
}
