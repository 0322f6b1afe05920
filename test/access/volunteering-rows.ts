import { newId } from '../../src/platform/ids.ts';
import type { TestApp } from '../support/app.ts';
import { mine, perPerson, type FeatureRows, type Who } from './types.ts';

/**
 * Volunteering: every route, who may use it (by hand, apart from the code). Leaders, the office and
 * the family liaison officer add roles, record checks and approvals and put volunteers on
 * activities; carers offer themselves.
 */
const OFFICE: Who[] = ['head', 'senior_leader', 'office', 'family_liaison'];
const today = () => new Date().toISOString().slice(0, 10);
const nextYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);

export const volunteeringRows: FeatureRows = {
  rows: {
    'GET /volunteering': { allowed: OFFICE, url: () => '/volunteering' },
    'POST /volunteering/opportunities': {
      allowed: OFFICE,
      url: () => '/volunteering/opportunities',
      form: (_f, _ids, who) => ({ kind: 'trip_helper', title: `Trip helper (${who})`, needs_dbs: 'no' }),
    },
    'GET /volunteering/volunteers/:volunteerId': { allowed: OFFICE, url: (_f, ids) => `/volunteering/volunteers/${ids.volunteer}` },
    'POST /volunteering/volunteers/:volunteerId/approve': {
      allowed: OFFICE,
      url: (_f, ids) => `/volunteering/volunteers/${ids.volunteer}/approve`,
      form: (_f, _ids, who) => ({ supervised: 'yes', risk_assessment: `Always with a teacher in sight (${who})`, risk_assessed_on: today(), review_on: nextYear() }),
    },
    // Each turns down an offer of their own (one already turned down stays as it is).
    'POST /volunteering/volunteers/:volunteerId/decline': { allowed: OFFICE, url: (_f, ids, who) => `/volunteering/volunteers/${mine(ids, 'offer', who)}/decline`, form: () => ({}) },
    'POST /volunteering/volunteers/:volunteerId/activities': {
      allowed: OFFICE,
      url: (_f, ids) => `/volunteering/volunteers/${ids.approvedVolunteer}/activities`,
      form: (_f, _ids, who) => ({ activity: `Reading with Year 2 (${who})`, on_date: today() }),
    },
    'GET /my-volunteering': { allowed: ['carer'], url: () => '/my-volunteering' },
    // Marta withdraws the offer she made for a role of its own.
    'POST /my-volunteering/:opportunityId/withdraw': { allowed: ['carer'], url: (_f, ids) => `/my-volunteering/${ids.martasRole}/withdraw`, form: () => ({}) },
    'POST /my-volunteering/:opportunityId/offer': { allowed: ['carer'], url: (_f, ids) => `/my-volunteering/${ids.opportunity}/offer`, form: () => ({ note: 'Free on Tuesdays' }) },
  },
  async setup(t: TestApp) {
    const fx = t.fx;
    const at = new Date().toISOString();
    const addRole = async () => {
      const id = newId();
      await t.db
        .insertInto('volunteer_opportunities')
        .values({ id, school_id: fx.school.id, kind: 'reading_partner', title: 'Reading partner', description: '', needs_dbs: 1, status: 'open', created_by: fx.staff.office, created_at: at })
        .execute();
      return id;
    };
    const addVolunteer = async (opportunityId: string, carerId: string, approved: boolean) => {
      const id = newId();
      await t.db
        .insertInto('volunteers')
        .values({
          id,
          school_id: fx.school.id,
          opportunity_id: opportunityId,
          carer_id: carerId,
          status: approved ? 'approved' : 'offered',
          offer_note: null,
          supervised: approved ? 1 : null,
          dbs_certificate: null,
          dbs_checked_on: null,
          barred_list_checked: 0,
          risk_assessment: approved ? 'Supervised' : null,
          risk_assessed_on: approved ? today() : null,
          approved_on: approved ? today() : null,
          approved_by: approved ? fx.staff.office : null,
          review_on: approved ? nextYear() : null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      return id;
    };
    const opportunity = await addRole();
    const volunteer = await addVolunteer(opportunity, fx.carers.grace, false);
    const approvedVolunteer = await addVolunteer(opportunity, fx.carers.tomasz, true);
    const offers = await perPerson('offer', OFFICE, async () => addVolunteer(await addRole(), fx.carers.grace, false));
    const martasRole = await addRole();
    await addVolunteer(martasRole, fx.carers.marta, false);
    return { opportunity, volunteer, approvedVolunteer, martasRole, ...offers };
  },
};
