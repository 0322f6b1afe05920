import { newId } from '../platform/ids.ts';
import { DEMO_TOWN } from './contacts.ts';
import { addCarer, addPupil, link, type Plan } from './builder.ts';
import { CARER_EMAILS } from './people.ts';

/**
 * Who hears about a child (platform/access/hear.ts), shown in one family: Tyler Brennan (Year 2) is
 * brought up by his grandfather Patrick, who has no email and no mobile (letters on paper: care of
 * the child is enough, by DfE guidance, without parental responsibility). His mother Kelly lives
 * apart with a mobile but no email (newsletters and letters on paper, or by a text with a link, as
 * the head chooses on /settings/messages). His father Ryan has parental responsibility and asked
 * for copies, but a court order stops his contact with Tyler: he still gets letters and sees Tyler
 * in Gatepost, and is never invited to a meeting, sent its summary or able to book a parents' evening.
 */
export type HearingIds = { tyler: string; patrick: string; kelly: string; ryan: string };

export function addHearingFamily(plan: Plan): HearingIds {
  const tyler = addPupil(plan, { given: 'Tyler', family: 'Brennan', year: '2', dob: '2020-01-19', language: 'English' });
  const home = { line1: '7 Foundry Cottages', line2: null, town: DEMO_TOWN, postcode: 'BK3 2HT' };
  const patrick = addCarer(plan, { title: 'Mr', given: 'Patrick', family: 'Brennan', email: null, mobile: null, address: home, language: 'English' });
  const kelly = addCarer(plan, {
    title: 'Ms',
    given: 'Kelly',
    family: 'Brennan',
    email: null,
    mobile: plan.nextMobile(),
    address: { line1: 'Flat 2, 19 Canal Street', line2: null, town: DEMO_TOWN, postcode: 'BK1 4RS' },
    language: 'English',
    paper: false,
  });
  const ryan = addCarer(plan, {
    title: 'Mr',
    given: 'Ryan',
    family: 'Brennan',
    email: CARER_EMAILS.ryan,
    mobile: plan.nextMobile(),
    address: { line1: '88 Station Road', line2: null, town: DEMO_TOWN, postcode: 'BK4 1DN' },
    language: 'English',
  });
  link(plan, patrick, [tyler], { relationship: 'grandparent', pr: false });
  link(plan, kelly, [tyler], { relationship: 'mother', lives: false, priority: 2, copies: true });
  link(plan, ryan, [tyler], { relationship: 'father', lives: false, priority: 3, copies: true });
  plan.restrictions.push({
    id: newId(),
    school_id: plan.schoolId,
    pupil_id: tyler,
    carer_id: ryan,
    kind: 'court_order',
    stops_information: 0,
    stops_collection: 1,
    stops_contact: 1,
    details:
      "Child arrangements order, Brookfield Family Court, 3 September 2026 (case BK26P00417): no contact with Tyler and he must not collect him. Information about Tyler's education may be shared.",
    starts_on: '2026-09-03',
    ends_on: null,
    lifted_at: null,
    created_by: plan.staffIds.head ?? null,
    created_at: plan.now,
  });
  return { tyler, patrick, kelly, ryan };
}
