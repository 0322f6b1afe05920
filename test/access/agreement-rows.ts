import { newId } from '../../src/platform/ids.ts';
import type { TestApp } from '../support/app.ts';
import { mine, type FeatureRows, type Row, type Who } from './types.ts';

/**
 * The home-school agreement: every route, who may use it (by hand, apart from the code). Everyone on
 * the staff reads the agreement and its evidence (governors review it); the head and senior leaders
 * write it; those who translate letters translate it; the office records paper signatures; only the
 * class teacher records a pupil's; the head and governors record the yearly review. Carers sign.
 */
const STAFF_ALL: Who[] = ['head', 'senior_leader', 'teacher', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison', 'governor'];
const WRITERS: Who[] = ['head', 'senior_leader'];
const TRANSLATORS: Who[] = ['head', 'senior_leader', 'office', 'family_liaison'];
const SIGNATURE_READERS: Who[] = ['head', 'senior_leader', 'office', 'family_liaison', 'senco'];
const REMINDERS: Who[] = ['head', 'senior_leader', 'office', 'family_liaison'];
const PUPIL_PAGE: Who[] = ['head', 'senior_leader', 'office', 'family_liaison', 'senco', 'teacher'];
const CHECK_LANGUAGES: Record<string, string> = { head: 'Urdu', senior_leader: 'Somali', office: 'Arabic', family_liaison: 'Romanian' };

const version = (path: string, allowed: Who[], key = 'agreementPublished'): Row => ({ allowed, url: (_f, ids) => `/agreements/versions/${ids[key]}${path}` });
const today = () => new Date().toISOString().slice(0, 10);

export const agreementRows: FeatureRows = {
  rows: {
    'GET /agreements': { allowed: STAFF_ALL, url: () => '/agreements' },
    'POST /agreements/versions': { allowed: WRITERS, url: () => '/agreements/versions' },
    'GET /agreements/versions/:versionId': version('', STAFF_ALL),
    'GET /agreements/versions/:versionId/edit': version('/edit', WRITERS, 'agreementDraft'),
    'POST /agreements/versions/:versionId/edit': {
      ...version('/edit', WRITERS, 'agreementDraft'),
      form: (_f, _ids, who) => ({ title: `Our agreement (${who})`, promise_1: 'We will share good news', measure_1: 'praise_families', carers_text: 'Read at home', pupils_text: 'Be kind' }),
    },
    // Each publishes a draft of their own; signatures carry over, so the other rows are not changed.
    'POST /agreements/versions/:versionId/publish': {
      allowed: WRITERS,
      url: (_f, ids, who) => `/agreements/versions/${mine(ids, 'agreementToPublish', who)}/publish`,
      form: () => ({ asks_resigning: 'no', change_note: 'A clearer word' }),
    },
    'GET /agreements/versions/:versionId/translations/:language': version('/translations/Polish', TRANSLATORS),
    'POST /agreements/versions/:versionId/translations/:language': {
      ...version('/translations/Polish', TRANSLATORS),
      form: (_f, _ids, who) => ({ subject: 'Umowa', body: `Co zrobi szkoła (${who})` }),
    },
    // Each checks a translation Mr Okafor wrote, in a language of their own.
    'POST /agreements/versions/:versionId/translations/:language/check': {
      allowed: TRANSLATORS,
      url: (_f, ids, who) => `/agreements/versions/${ids.agreementPublished}/translations/${CHECK_LANGUAGES[who] ?? 'Urdu'}/check`,
      form: () => ({}),
    },
    'GET /agreements/signatures': { allowed: SIGNATURE_READERS, url: () => '/agreements/signatures' },
    'POST /agreements/reminders': { allowed: REMINDERS, url: () => '/agreements/reminders', form: () => ({}) },
    'GET /agreements/evidence': { allowed: STAFF_ALL, url: () => '/agreements/evidence' },
    'GET /agreements/reviews': { allowed: STAFF_ALL, url: () => '/agreements/reviews' },
    'POST /agreements/reviews': {
      allowed: ['head', 'governor'],
      url: () => '/agreements/reviews',
      form: (_f, _ids, who) => ({ reviewed_on: today(), reviewers: `Governors (${who})`, minutes: 'Read and agreed', changes: '' }),
    },
    'GET /agreements/my-class': { allowed: ['teacher'], url: () => '/agreements/my-class' },
    'GET /pupils/:pupilId/agreement': { allowed: PUPIL_PAGE, url: (f) => `/pupils/${f.pupils.kuba}/agreement` },
    // The head records Tomasz's paper copy for Kuba; the office Sarah's for Lily.
    'POST /pupils/:pupilId/agreement/paper': {
      allowed: ['head', 'office'],
      url: (f, _ids, who) => `/pupils/${who === 'office' ? f.pupils.lily : f.pupils.kuba}/agreement/paper`,
      form: (f, _ids, who) => ({ carer: who === 'office' ? f.carers.sarah : f.carers.tomasz, signed_on: today() }),
    },
    'POST /pupils/:pupilId/agreement/pupil': { allowed: ['teacher'], url: (f) => `/pupils/${f.pupils.kuba}/agreement/pupil`, form: () => ({ signed_on: today() }) },
    'GET /agreement': { allowed: ['carer'], url: () => '/agreement' },
    // The other school's carer signs her own school's agreement for her own child.
    'POST /agreement/sign': { allowed: ['carer'], url: () => '/agreement/sign', form: (f, _ids, who) => ({ pupil_ids: who === 'other_carer' ? f.pupils.otherPupil : f.pupils.kuba, agree: 'yes' }) },
  },
  async setup(t: TestApp) {
    const fx = t.fx;
    const at = new Date().toISOString();
    let number = 0;
    const addVersion = async (schoolId: string, by: string, status: 'draft' | 'published') => {
      const id = newId();
      number += 1;
      await t.db
        .insertInto('agreement_versions')
        .values({
          id,
          school_id: schoolId,
          version: number,
          status,
          title: 'Our home-school agreement',
          carers_text: 'Read at home',
          pupils_text: 'Be kind',
          asks_resigning: number === 1 ? 1 : 0,
          change_note: null,
          published_at: status === 'published' ? at : null,
          published_by: status === 'published' ? by : null,
          created_by: by,
          created_at: at,
          updated_at: at,
        })
        .execute();
      await t.db.insertInto('agreement_promises').values({ id: newId(), school_id: schoolId, version_id: id, position: 1, text: 'We will share good news', measure: 'praise_families' }).execute();
      return id;
    };
    const published = await addVersion(fx.school.id, fx.staff.head, 'published');
    const draft = await addVersion(fx.school.id, fx.staff.head, 'draft');
    const ids: Record<string, string> = { agreementPublished: published, agreementDraft: draft };
    for (const who of WRITERS) ids[`agreementToPublish.${who}`] = await addVersion(fx.school.id, fx.staff.head, 'draft');
    ids.agreementToPublish = ids['agreementToPublish.head']!;
    for (const language of Object.values(CHECK_LANGUAGES))
      await t.db
        .insertInto('agreement_translations')
        .values({
          id: newId(),
          school_id: fx.school.id,
          version_id: published,
          language,
          subject: 'Agreement',
          body: 'Words',
          source: 'person',
          status: 'written',
          written_by: fx.staff.teacher,
          checked_by: null,
          updated_at: at,
        })
        .execute();
    number = 0;
    await addVersion(fx.other.id, fx.staff.otherHead, 'published');
    return ids;
  },
};
