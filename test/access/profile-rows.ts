import { newId } from '../../src/platform/ids.ts';
import type { TestApp } from '../support/app.ts';
import { mine, perPerson, type FeatureRows, type Row, type Who } from './types.ts';

/**
 * Pupil profiles: every route, who may use it (by hand, apart from the code). Staff who work with the
 * child read profiles and propose changes (a teacher only for their own class: the fixture's teacher
 * teaches Kuba); the SENCO and the class teacher accept changes, record reviews and consent, and see
 * the copy to share outside the school. Translating a carer's words is for anyone who reads the
 * profile (write → check by a second person). Carers with a link read their child's and propose.
 */
const READ: Who[] = ['head', 'senior_leader', 'teacher', 'dsl', 'deputy_dsl', 'senco', 'family_liaison'];
const DECIDE: Who[] = ['senco', 'teacher'];

const today = () => new Date().toISOString().slice(0, 10);
const kuba = (path: string, allowed: Who[]): Row => ({ allowed, url: (f) => `/pupils/${f.pupils.kuba}/profile${path}` });

export const profileRows: FeatureRows = {
  rows: {
    'GET /profiles': { allowed: READ, url: () => '/profiles' },
    'GET /pupils/:pupilId/profile': kuba('', READ),
    // The SENCO starts one for a pupil of their own; the teacher for Lily (their class, no profile yet).
    'POST /pupils/:pupilId/profile': { allowed: DECIDE, url: (f, ids, who) => `/pupils/${who === 'teacher' ? f.pupils.lily : ids.profileless}/profile`, form: () => ({}) },
    'GET /pupils/:pupilId/profile/propose': kuba('/propose', READ),
    'POST /pupils/:pupilId/profile/propose': { ...kuba('/propose', READ), form: (_f, _ids, who) => ({ admire: `Kind to everyone (${who})`, note: '' }) },
    'GET /pupils/:pupilId/profile/proposals/:proposalId': { allowed: READ, url: (f, ids) => `/pupils/${f.pupils.kuba}/profile/proposals/${ids.proposal}` },
    'POST /pupils/:pupilId/profile/proposals/:proposalId': {
      allowed: DECIDE,
      url: (f, ids, who) => `/pupils/${f.pupils.kuba}/profile/proposals/${mine(ids, 'proposal', who)}`,
      form: () => ({ decision: 'accept', decision_note: '' }),
    },
    'GET /pupils/:pupilId/profile/changes': kuba('/changes', READ),
    'GET /pupils/:pupilId/profile/versions/:version': kuba('/versions/1', READ),
    'POST /pupils/:pupilId/profile/reviews': { ...kuba('/reviews', DECIDE), form: () => ({ reviewed_on: today(), next_kind: 'termly', next_due_on: '2099-01-05', note: '' }) },
    'POST /pupils/:pupilId/profile/consents': {
      ...kuba('/consents', DECIDE),
      form: (f, _ids, who) => ({ carer: f.carers.marta, given_on: today(), shared_with: `Brookfield Academy (${who})`, purpose: 'Transition to Year 7' }),
    },
    'GET /pupils/:pupilId/profile/outside': kuba('/outside', DECIDE),
    'GET /pupils/:pupilId/profile/words/:carerId': { allowed: READ, url: (f) => `/pupils/${f.pupils.kuba}/profile/words/${f.carers.marta}` },
    'POST /pupils/:pupilId/profile/words/:carerId': {
      allowed: READ,
      url: (f) => `/pupils/${f.pupils.kuba}/profile/words/${f.carers.marta}`,
      form: (_f, _ids, who) => ({ body: `Kuba is very sensitive (${who})` }),
    },
    // Each checks a translation someone else wrote, of words of their own (the teacher: Kuba's, in their class).
    'POST /pupils/:pupilId/profile/words/:carerId/check': {
      allowed: READ,
      url: (_f, ids, who) => mine(ids, 'wordsToCheck', who),
      form: () => ({}),
    },
    'GET /children/:pupilId/profile': { allowed: ['carer'], url: (f) => `/children/${f.pupils.kuba}/profile` },
    'GET /children/:pupilId/profile/propose': { allowed: ['carer'], url: (f) => `/children/${f.pupils.kuba}/profile/propose` },
    'POST /children/:pupilId/profile/propose': {
      allowed: ['carer'],
      url: (f) => `/children/${f.pupils.kuba}/profile/propose`,
      form: () => ({ admire: 'Kind to his sister', important: '', support: '', pupil_voice: '', words: 'Kuba jest bardzo wrażliwy.', note: '' }),
    },
  },
  async setup(t: TestApp) {
    const { fx, db } = t;
    const at = new Date().toISOString();
    const schoolId = fx.school.id;
    const profileFor = async (pupilId: string) => {
      const id = newId();
      await db
        .insertInto('profiles')
        .values({ id, school_id: schoolId, pupil_id: pupilId, version: 1, review_due_on: null, review_kind: null, created_by: fx.staff.senco, created_at: at, updated_at: at })
        .execute();
      await db
        .insertInto('profile_versions')
        .values({
          id: newId(),
          school_id: schoolId,
          profile_id: id,
          version: 1,
          admire: 'Kind',
          important: 'Football',
          support: 'Give time to think',
          pupil_voice: '',
          admire_staff: '',
          important_staff: '',
          support_staff: 'Referral made',
          proposal_id: null,
          accepted_by: fx.staff.senco,
          created_at: at,
        })
        .execute();
      return id;
    };
    const words = async (profileId: string, carerId: string, status: 'requested' | 'written') =>
      db
        .insertInto('profile_words')
        .values({
          id: newId(),
          school_id: schoolId,
          profile_id: profileId,
          carer_id: carerId,
          language: 'Polish',
          words: 'Kuba jest bardzo wrażliwy.',
          version_from: 1,
          version_to: null,
          translation: status === 'written' ? 'Kuba is very sensitive.' : '',
          translation_source: 'person',
          translation_status: status,
          written_by: status === 'written' ? fx.staff.office : null,
          checked_by: null,
          updated_at: at,
          created_at: at,
        })
        .execute();
    const profiles: Record<string, string> = {};
    for (const [name, pupilId] of Object.entries({ kuba: fx.pupils.kuba, ola: fx.pupils.ola, leo: fx.pupils.leo, ayaan: fx.pupils.ayaan })) profiles[name] = await profileFor(pupilId);
    // Words waiting for their English (Marta's about Kuba), and one written translation for each person to check.
    await words(profiles.kuba!, fx.carers.marta, 'requested');
    const toCheck: Record<string, [string, string, string]> = {
      head: [profiles.kuba!, fx.pupils.kuba, fx.carers.tomasz],
      senior_leader: [profiles.ola!, fx.pupils.ola, fx.carers.marta],
      dsl: [profiles.ola!, fx.pupils.ola, fx.carers.tomasz],
      deputy_dsl: [profiles.leo!, fx.pupils.leo, fx.carers.grace],
      senco: [profiles.leo!, fx.pupils.leo, fx.carers.socialWorker],
      family_liaison: [profiles.ayaan!, fx.pupils.ayaan, fx.carers.faduma],
    };
    const ids: Record<string, string> = {};
    for (const [who, [profileId, pupilId, carerId]] of Object.entries(toCheck)) {
      await words(profileId, carerId, 'written');
      ids[`wordsToCheck.${who}`] = `/pupils/${pupilId}/profile/words/${carerId}/check`;
    }
    // The teacher checks Marta's words about Kuba once the other rows have translated them.
    ids['wordsToCheck.teacher'] = `/pupils/${fx.pupils.kuba}/profile/words/${fx.carers.marta}/check`;
    ids.wordsToCheck = ids['wordsToCheck.head']!;
    Object.assign(
      ids,
      await perPerson('proposal', DECIDE, async (who) => {
        const id = newId();
        await db
          .insertInto('profile_proposals')
          .values({
            id,
            school_id: schoolId,
            profile_id: profiles.kuba!,
            base_version: 1,
            by_kind: 'staff',
            staff_id: fx.staff.head,
            carer_id: null,
            admire: `Kind and funny (${who})`,
            important: null,
            support: null,
            pupil_voice: null,
            admire_staff: null,
            important_staff: null,
            support_staff: null,
            words: null,
            words_language: null,
            note: null,
            status: 'pending',
            decided_by: null,
            decided_at: null,
            decision_note: null,
            created_at: at,
          })
          .execute();
        return id;
      }),
    );
    // A pupil with no profile yet, for the SENCO to start one (in the teacher's class, so any URL the matrix builds reaches them both).
    const profileless = newId();
    await db
      .insertInto('pupils')
      .values({
        id: profileless,
        school_id: schoolId,
        upn: 'A823000099999',
        given_name: 'Sam',
        family_name: 'Start',
        preferred_name: null,
        date_of_birth: '2019-04-01',
        year_group: '3',
        class_id: fx.classes.y3,
        send_status: 'sen_support',
        eal: 0,
        home_language: null,
        archived_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    ids.profileless = profileless;
    return ids;
  },
};
