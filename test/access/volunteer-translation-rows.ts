import { newId } from '../../src/platform/ids.ts';
import type { TestApp } from '../support/app.ts';
import type { FeatureRows, Who } from './types.ts';
import { MESSAGE_READERS } from './own-setup.ts';

/**
 * A volunteer parent translates a message: staff who may open a message ask a translating volunteer
 * (POST …/volunteer); the volunteer (Marta, the matrix's carer) opens, writes or declines the
 * request asked of her, and nobody else may (another carer, staff, the other school: 404).
 */
const CARER: Who[] = ['carer'];

export const volunteerTranslationRows: FeatureRows = {
  rows: {
    'POST /messages/:messageId/translations/:language/volunteer': {
      allowed: MESSAGE_READERS,
      url: (_f, ids) => `/messages/${ids.askDraft}/translations/Polish/volunteer`,
      form: (_f, ids) => ({ volunteer_id: ids.translator! }),
    },
    'GET /my-volunteering/translations/:translationRequestId': { allowed: CARER, url: (_f, ids) => `/my-volunteering/translations/${ids.writeRequest}` },
    'POST /my-volunteering/translations/:translationRequestId': {
      allowed: CARER,
      url: (_f, ids) => `/my-volunteering/translations/${ids.writeRequest}`,
      form: () => ({ subject: 'Dożynki', body: 'Prosimy o puszki.' }),
    },
    'POST /my-volunteering/translations/:translationRequestId/decline': { allowed: CARER, url: (_f, ids) => `/my-volunteering/translations/${ids.declineRequest}/decline`, form: () => ({}) },
  },
  async setup(t: TestApp) {
    const { fx, db } = t;
    const at = new Date().toISOString();
    const today = at.slice(0, 10);
    const nextYear = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
    const role = newId();
    await db
      .insertInto('volunteer_opportunities')
      .values({ id: role, school_id: fx.school.id, kind: 'translating', title: 'Translating', description: '', needs_dbs: 0, status: 'open', created_by: fx.staff.office, created_at: at })
      .execute();
    const translator = newId();
    await db
      .insertInto('volunteers')
      .values({
        id: translator,
        school_id: fx.school.id,
        opportunity_id: role,
        carer_id: fx.carers.marta,
        status: 'approved',
        offer_note: null,
        supervised: 1,
        dbs_certificate: null,
        dbs_checked_on: null,
        barred_list_checked: 0,
        risk_assessment: 'From home',
        risk_assessed_on: today,
        approved_on: today,
        approved_by: fx.staff.office,
        review_on: nextYear,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await db.insertInto('volunteer_languages').values({ id: newId(), school_id: fx.school.id, volunteer_id: translator, language: 'Polish' }).execute();
    /** A newsletter to the whole school (Marta reads Polish), naming no pupil. */
    const draft = async () => {
      const id = newId();
      await db
        .insertInto('messages')
        .values({
          id,
          school_id: fx.school.id,
          kind: 'newsletter',
          tone: 'information',
          subject: 'Harvest',
          body: 'Tins, please.',
          audience_json: JSON.stringify({ kind: 'school' }),
          asks_acknowledgement: 0,
          status: 'draft',
          scheduled_for: null,
          sent_at: null,
          created_by: fx.staff.head,
          created_at: at,
          updated_at: at,
        })
        .execute();
      return id;
    };
    const asked = async () => {
      const messageId = await draft();
      const id = newId();
      await db
        .insertInto('translation_requests')
        .values({
          id,
          school_id: fx.school.id,
          message_id: messageId,
          language: 'Polish',
          volunteer_id: translator,
          carer_id: fx.carers.marta,
          status: 'asked',
          asked_by: fx.staff.head,
          asked_at: at,
          answered_at: null,
        })
        .execute();
      return id;
    };
    return { translator, askDraft: await draft(), writeRequest: await asked(), declineRequest: await asked() };
  },
};
