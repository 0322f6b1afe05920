import type { YearGroup } from '../../src/db/schema.ts';
import { newId } from '../../src/platform/ids.ts';
import { carerLink, carerRow, pupilRow } from '../support/fixture.ts';
import type { TestApp } from '../support/app.ts';
import { mine, perPerson, type FeatureRows, type Row, type Who } from './types.ts';

/**
 * Belonging (features/community): every route, who may use it (by hand, apart from the code). The
 * head, senior leaders, the office, the SENCO and the family liaison officer keep the support
 * directory and the welcome checklists and see the overview; only the head, the SENCO and the family
 * liaison officer set key workers, record buddy matches, check in on them and withdraw them. Carers (Marta) see
 * their own page, opt in, answer their own match and end it. Teachers and governors reach none of it.
 */
const KEEPERS: Who[] = ['head', 'senior_leader', 'office', 'senco', 'family_liaison'];
const LEADS: Who[] = ['head', 'senco', 'family_liaison'];

const faduma = (path: string, allowed: Who[]): Row => ({ allowed, url: (f) => `/carers/${f.carers.faduma}${path}` });
const entry = { kind: 'service', description: 'Free food parcels', opening_times: 'Tuesdays 10:00 to 12:00', languages: 'English, Polish', contact: '01632 960000', tags: 'food bank' };
function day(n: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + n);
  return `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()}`;
}

export const communityRows: FeatureRows = {
  rows: {
    'GET /community': { allowed: KEEPERS, url: () => '/community' },
    'POST /community/matches': {
      allowed: LEADS,
      url: () => '/community/matches',
      form: (_f, ids, who) => ({ newcomer: mine(ids, 'newcomer', who), buddy: mine(ids, 'buddy', who) }),
    },
    'POST /community/matches/:matchId/check-in': {
      allowed: LEADS,
      url: (_f, ids, who) => `/community/matches/${mine(ids, 'checkMatch', who)}/check-in`,
      form: (_f, _ids, who) => ({ check_in_note: `Going well (${who})` }),
    },
    'POST /community/matches/:matchId/withdraw': {
      allowed: LEADS,
      url: (_f, ids, who) => `/community/matches/${mine(ids, 'withdrawMatch', who)}/withdraw`,
      form: (_f, _ids, who) => ({ withdraw_reason: `Not working out (${who})` }),
    },
    'GET /carers/:carerId/community': faduma('/community', KEEPERS),
    'POST /carers/:carerId/key-worker': { ...faduma('/key-worker', LEADS), form: (f) => ({ key_worker: f.staff.family_liaison, key_worker_reason: 'New to the country' }) },
    'POST /carers/:carerId/key-worker/end': { allowed: LEADS, url: (_f, ids, who) => `/carers/${mine(ids, 'keyWorkerFamily', who)}/key-worker/end`, form: () => ({}) },
    'POST /carers/:carerId/welcome': { ...faduma('/welcome', KEEPERS), form: (f) => ({ step: 'forms_done', done_on: day(-1), helped_by: f.staff.office, note: '' }) },
    'GET /community/support': { allowed: KEEPERS, url: () => '/community/support' },
    'POST /community/support': { allowed: KEEPERS, url: () => '/community/support', form: (_f, _ids, who) => ({ name: `Food bank (${who})`, ...entry }) },
    'GET /community/support/:supportId': { allowed: KEEPERS, url: (_f, ids) => `/community/support/${ids.supportEntry}` },
    'POST /community/support/:supportId': {
      allowed: KEEPERS,
      url: (_f, ids) => `/community/support/${ids.supportEntry}`,
      form: (_f, _ids, who) => ({ name: `Brookfield Food Bank (${who})`, ...entry }),
    },
    'POST /community/support/:supportId/archive': { allowed: KEEPERS, url: (_f, ids, who) => `/community/support/${mine(ids, 'archiveEntry', who)}/archive`, form: () => ({}) },
    'GET /my-community': { allowed: ['carer'], url: () => '/my-community' },
    'POST /my-community/buddy': { allowed: ['carer'], url: () => '/my-community/buddy', form: () => ({ wants: 'buddy' }) },
    'POST /my-community/matches/:matchId': { allowed: ['carer'], url: (_f, ids) => `/my-community/matches/${ids.martaMatch}`, form: () => ({ answer: 'yes' }) },
    'POST /my-community/matches/:matchId/end': { allowed: ['carer'], url: (_f, ids) => `/my-community/matches/${ids.martaMatch}/end`, form: () => ({}) },
  },
  async setup(t: TestApp) {
    const fx = t.fx;
    const db = t.db;
    const at = new Date().toISOString();
    const today = at.slice(0, 10);
    // A family of its own (a carer and a Year 3 child) in the buddy scheme: matches never touch the fixture's families.
    let n = 0;
    async function family(wants: 'newcomer' | 'buddy', year: YearGroup = '3', schoolId = fx.school.id): Promise<string> {
      n += 1;
      const pupil = newId();
      const carer = newId();
      await db
        .insertInto('pupils')
        .values(
          pupilRow(at, {
            id: pupil,
            school_id: schoolId,
            upn: `C${String(900000000000 + n).slice(1)}`,
            given_name: `Child${n}`,
            family_name: 'Buddy',
            date_of_birth: '2018-05-01',
            year_group: year,
            class_id: schoolId === fx.school.id ? fx.classes.y3 : fx.classes.other,
          }),
        )
        .execute();
      await db
        .insertInto('carers')
        .values(carerRow(at, { id: carer, school_id: schoolId, given_name: `Parent${n}`, family_name: 'Buddy', postcode: 'BF1 2AB' }))
        .execute();
      await db
        .insertInto('carer_pupils')
        .values(carerLink({ school_id: schoolId, carer_id: carer, pupil_id: pupil }))
        .execute();
      await db.insertInto('buddy_opt_ins').values({ id: newId(), school_id: schoolId, carer_id: carer, wants, opted_in_at: at, withdrawn_at: null }).execute();
      return carer;
    }
    const match = async (newcomer: string, buddy: string) => {
      const id = newId();
      await db
        .insertInto('buddy_matches')
        .values({
          id,
          school_id: fx.school.id,
          newcomer_id: newcomer,
          buddy_id: buddy,
          newcomer_consent_at: null,
          buddy_consent_at: null,
          declined_at: null,
          recorded_by: fx.staff.family_liaison,
          recorded_on: today,
          check_in_on: today,
          checked_in_at: null,
          checked_in_by: null,
          check_in_note: null,
          withdrawn_by: null,
          withdrawn_reason: null,
          created_at: at,
        })
        .execute();
      return id;
    };
    // The other school's head matches two families of their own school (a Brookfield family is not found there).
    const inSchool = (who: Who) => (who === 'other_head' ? fx.other.id : fx.school.id);
    const newcomers = await perPerson('newcomer', [...LEADS, 'other_head'], (who) => family('newcomer', '3', inSchool(who)));
    const buddies = await perPerson('buddy', [...LEADS, 'other_head'], (who) => family('buddy', '3', inSchool(who)));
    const checks = await perPerson('checkMatch', LEADS, async () => match(await family('newcomer'), await family('buddy')));
    const withdrawals = await perPerson('withdrawMatch', LEADS, async () => match(await family('newcomer'), await family('buddy')));
    const martaMatch = await match(fx.carers.marta, await family('buddy'));
    // A family with a key worker for each lead to end the arrangement of.
    const keyWorkerFamilies = await perPerson('keyWorkerFamily', LEADS, async () => {
      const carer = await family('newcomer');
      await db
        .insertInto('key_workers')
        .values({
          id: newId(),
          school_id: fx.school.id,
          carer_id: carer,
          staff_id: fx.staff.family_liaison,
          reason: 'New to the area',
          set_by: fx.staff.head,
          ended_at: null,
          ended_by: null,
          created_at: at,
        })
        .execute();
      return carer;
    });
    const supportEntry = newId();
    await db
      .insertInto('support_entries')
      .values({ id: supportEntry, school_id: fx.school.id, name: 'Brookfield Food Bank', ...entry, kind: 'service', archived_at: null, created_by: fx.staff.office, created_at: at, updated_at: at })
      .execute();
    const archive = await perPerson('archiveEntry', KEEPERS, async (who) => {
      const id = newId();
      await db
        .insertInto('support_entries')
        .values({ id, school_id: fx.school.id, name: `To archive (${who})`, ...entry, kind: 'group', archived_at: null, created_by: fx.staff.office, created_at: at, updated_at: at })
        .execute();
      return id;
    });
    return { ...newcomers, ...buddies, ...checks, ...withdrawals, ...archive, ...keyWorkerFamilies, martaMatch, supportEntry };
  },
};
