import { newId } from '../platform/ids.ts';
import { DEMO_TOWN, type Address } from './contacts.ts';
import { addCarer, addPupil, link, type Plan } from './builder.ts';
import { CARER_EMAILS } from './people.ts';

/**
 * The families from JOURNEYS.md, made by hand so every demo has exactly these people, and three
 * families whose names test that any script survives (Zoë, Łukasz, محمد, O'Brien-Smith).
 */
export type JourneyIds = {
  kuba: string;
  ola: string;
  lily: string;
  leo: string;
  ayaan: string;
  marta: string;
  tomasz: string;
  mark: string;
  sarah: string;
  grace: string;
  socialWorker: string;
  faduma: string;
  familyFriend: string;
};

const at = (line1: string, postcode: string, line2: string | null = null): Address => ({ line1, line2, town: DEMO_TOWN, postcode });

export function addJourneyFamilies(plan: Plan): JourneyIds {
  // Marta reads Polish more easily than English; Tomasz lives across town and wants copies.
  const kuba = addPupil(plan, { given: 'Jakub', family: 'Nowak', preferred: 'Kuba', year: '3', dob: '2019-02-14', language: 'Polish' });
  const ola = addPupil(plan, { given: 'Aleksandra', family: 'Nowak', preferred: 'Ola', year: 'R', dob: '2021-10-03', language: 'Polish' });
  const marta = addCarer(plan, {
    title: 'Ms',
    given: 'Marta',
    family: 'Nowak',
    email: CARER_EMAILS.marta,
    mobile: plan.nextMobile(),
    address: at('14 Mill Lane', 'BK1 2HT'),
    language: 'Polish',
  });
  const tomasz = addCarer(plan, {
    title: 'Mr',
    given: 'Tomasz',
    family: 'Nowak',
    email: CARER_EMAILS.tomasz,
    mobile: plan.nextMobile(),
    address: at('Flat 7, Sandfield Tower', 'BK4 7RD', 'Sandfield Road'),
    language: 'English',
  });
  link(plan, marta, [kuba, ola], { relationship: 'mother' });
  link(plan, tomasz, [kuba, ola], { relationship: 'father', lives: false, priority: 2, copies: true });

  // Mark Dean: a prohibited steps order stops him hearing anything about Lily.
  const lily = addPupil(plan, { given: 'Lily', family: 'Dean', year: '3', dob: '2018-11-20', language: 'English' });
  const sarah = addCarer(plan, {
    title: 'Mrs',
    given: 'Sarah',
    family: 'Dean',
    email: CARER_EMAILS.sarah,
    mobile: plan.nextMobile(),
    address: at('37 Hazel Avenue', 'BK2 5QJ'),
    language: 'English',
  });
  const mark = addCarer(plan, {
    title: 'Mr',
    given: 'Mark',
    family: 'Dean',
    email: CARER_EMAILS.mark,
    mobile: plan.nextMobile(),
    address: at('9 Beech Rise', 'BK4 9NB'),
    language: 'English',
  });
  const familyFriend = addCarer(plan, {
    title: 'Ms',
    given: 'Jo',
    family: 'Parry',
    email: 'jo.parry@mail.example',
    mobile: plan.nextMobile(),
    address: at('41 Hazel Avenue', 'BK2 5QJ'),
    language: 'English',
    app: false,
    sms: true,
  });
  link(plan, sarah, [lily], { relationship: 'mother' });
  link(plan, mark, [lily], { relationship: 'father', lives: false, priority: 2 });
  // Collects Lily on Wednesdays; is told nothing about her.
  link(plan, familyFriend, [lily], { relationship: 'family_friend', pr: false, lives: false, priority: 3, info: false });
  plan.restrictions.push({
    id: newId(),
    school_id: plan.schoolId,
    pupil_id: lily,
    carer_id: mark,
    kind: 'court_order',
    stops_information: 1,
    stops_collection: 1,
    stops_contact: 1,
    details:
      'Prohibited steps order, Brookfield Family Court, 15 January 2026 (case BK26P00123). Mr Dean must not collect Lily, ' +
      'contact her at school, or be given information about her. Copy of the order kept in the office safe.',
    starts_on: '2026-01-15',
    ends_on: null,
    lifted_at: null,
    created_by: plan.staffIds.head ?? null,
    created_at: plan.now,
  });

  // Grace fosters Leo; the local authority's social worker shares parental responsibility.
  const leo = addPupil(plan, { given: 'Leo', family: 'Mensah', year: '4', dob: '2018-03-02', send: 'ehcp', language: 'English' });
  const grace = addCarer(plan, {
    title: 'Mrs',
    given: 'Grace',
    family: 'Mensah',
    email: CARER_EMAILS.grace,
    mobile: plan.nextMobile(),
    address: at('22 Orchard Way', 'BK2 1LE'),
    language: 'English',
  });
  const socialWorker = addCarer(plan, {
    title: 'Ms',
    given: 'Helen',
    family: 'Ward',
    email: CARER_EMAILS.socialWorker,
    mobile: plan.nextMobile(),
    address: at("Children's Services, Civic Centre", 'BK3 7AA', 'Market Street'),
    language: 'English',
    app: false,
  });
  link(plan, grace, [leo], { relationship: 'foster_carer', pr: false });
  link(plan, socialWorker, [leo], { relationship: 'social_worker', lives: false, priority: 2, copies: true });

  // Faduma: no email, a basic mobile, reads Somali; letters go in the print pack.
  const ayaan = addPupil(plan, { given: 'Ayaan', family: 'Warsame', year: 'N', dob: '2022-11-01', language: 'Somali' });
  const faduma = addCarer(plan, {
    title: 'Mrs',
    given: 'Faduma',
    family: 'Warsame',
    email: null,
    mobile: plan.nextMobile(),
    address: at('Flat 12, Jubilee House', 'BK2 6WS', 'Queens Road'),
    language: 'Somali',
    interpreter: true,
    app: false,
    sms: true,
    paper: true,
    accessNeeds: 'Reads Somali, little English. Basic mobile: texts, no apps. Prefers a phone call with a Somali-speaking member of staff.',
  });
  const uncle = addCarer(plan, {
    title: 'Mr',
    given: 'Abdirahman',
    family: 'Warsame',
    email: null,
    mobile: plan.nextMobile(),
    address: at('Flat 3, Jubilee House', 'BK2 6WS', 'Queens Road'),
    language: 'English',
  });
  link(plan, faduma, [ayaan], { relationship: 'grandparent' });
  link(plan, uncle, [ayaan], { relationship: 'other_relative', pr: false, lives: false, priority: 2 });

  return { kuba, ola, lily, leo, ayaan, marta, tomasz, mark, sarah, grace, socialWorker, faduma, familyFriend };
}

/** Names that must come back exactly as written, in any script. */
export function addNamedFamilies(plan: Plan): void {
  const zoe = addPupil(plan, { given: 'Zoë', family: "O'Brien-Smith", year: '2', dob: '2019-12-09', language: 'English' });
  const alfie = addPupil(plan, { given: 'Alfie', family: "O'Brien-Smith", year: '5', dob: '2017-06-30', language: 'English', send: 'sen_support' });
  const obsAddress = at('5 Albert Terrace', 'BK2 4PA');
  const siobhan = addCarer(plan, {
    title: 'Mrs',
    given: 'Siobhan',
    family: "O'Brien-Smith",
    email: 'siobhan.obrien-smith@families.example',
    mobile: plan.nextMobile(),
    address: obsAddress,
    language: 'English',
  });
  const daniel = addCarer(plan, {
    title: 'Mr',
    given: 'Daniel',
    family: "O'Brien-Smith",
    email: 'dan.obrien-smith@mail.example',
    mobile: plan.nextMobile(),
    address: obsAddress,
    language: 'English',
    sms: true,
  });
  link(plan, siobhan, [zoe, alfie], { relationship: 'mother' });
  link(plan, daniel, [zoe, alfie], { relationship: 'father', priority: 2 });

  const zuzia = addPupil(plan, { given: 'Zuzanna', family: 'Kowalczyk', preferred: 'Zuzia', year: '1', dob: '2020-11-17', language: 'Polish' });
  const kowalczykAddress = at('63 Station Road', 'BK1 3GA');
  const lukasz = addCarer(plan, {
    title: 'Mr',
    given: 'Łukasz',
    family: 'Kowalczyk',
    email: 'lukasz.kowalczyk@families.example',
    mobile: plan.nextMobile(),
    address: kowalczykAddress,
    language: 'Polish',
  });
  const agnieszka = addCarer(plan, {
    title: 'Mrs',
    given: 'Agnieszka',
    family: 'Kowalczyk',
    email: 'a.kowalczyk@inbox.example',
    mobile: plan.nextMobile(),
    address: kowalczykAddress,
    language: 'Polish',
    interpreter: true,
  });
  link(plan, lukasz, [zuzia], { relationship: 'father' });
  link(plan, agnieszka, [zuzia], { relationship: 'mother', priority: 2 });

  // The father typed his name in Arabic script on the admission form; the school kept it as written.
  const yazan = addPupil(plan, { given: 'Yazan', family: 'Al-Hassan', year: '5', dob: '2017-01-23', language: 'Arabic' });
  const hassanAddress = at('Flat 21, Foundry Works', 'BK3 2EU', 'Foundry Lane');
  const mohammed = addCarer(plan, {
    title: null,
    given: 'محمد',
    family: 'الحسن',
    email: 'm.alhassan@mail.example',
    mobile: plan.nextMobile(),
    address: hassanAddress,
    language: 'Arabic',
    interpreter: true,
  });
  const rania = addCarer(plan, {
    title: 'Mrs',
    given: 'Rania',
    family: 'Al-Hassan',
    email: 'rania.alhassan@families.example',
    mobile: plan.nextMobile(),
    address: hassanAddress,
    language: 'Arabic',
  });
  link(plan, mohammed, [yazan], { relationship: 'father' });
  link(plan, rania, [yazan], { relationship: 'mother', priority: 2 });
}
