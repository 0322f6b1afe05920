import type { StaffRole, YearGroup } from '../db/schema.ts';
import type { DemoSignIn } from './demo-school.ts';

/**
 * The named people of the demo school: its staff, and the carers from JOURNEYS.md with the
 * addresses they sign in with. The generated families are in families.ts.
 */
export type DemoStaff = {
  key: string;
  title: string;
  given: string;
  family: string;
  email: string;
  jobTitle: string;
  roles: StaffRole[];
  /** The class this person teaches, by year group, and the class's name. */
  teaches?: { year: YearGroup; className: string };
  /** Printed at start as the sign-in for one of their roles. */
  signIn?: string;
};

const staffEmail = (family: string) => `${family.toLowerCase()}@brookfield.example`;

function member(key: string, title: string, given: string, family: string, jobTitle: string, roles: StaffRole[], extra: Partial<DemoStaff> = {}): DemoStaff {
  return { key, title, given, family, email: staffEmail(family), jobTitle, roles, ...extra };
}

export const DEMO_STAFF: readonly DemoStaff[] = [
  member('head', 'Mrs', 'Anita', 'Patel', 'Head teacher', ['head'], { signIn: 'Mrs Patel, head teacher' }),
  member('deputy', 'Mr', 'David', 'Green', 'Deputy head teacher', ['senior_leader', 'deputy_dsl'], { signIn: 'Mr Green, deputy head and deputy DSL' }),
  member('dsl', 'Mrs', 'Funmi', 'Adeyemi', 'Assistant head and Designated Safeguarding Lead', ['dsl', 'senior_leader'], { signIn: 'Mrs Adeyemi, Designated Safeguarding Lead' }),
  member('senco', 'Mr', 'Rhys', 'Hughes', 'SENCO', ['senco'], { signIn: 'Mr Hughes, SENCO' }),
  member('office', 'Ms', 'Siobhan', 'Byrne', 'Office manager', ['office'], { signIn: 'Ms Byrne, office manager' }),
  member('office2', 'Mrs', 'Karen', 'Dobson', 'Administrative assistant', ['office']),
  member('flo', 'Ms', 'Carys', 'Lewis', 'Family liaison officer', ['family_liaison'], { signIn: 'Ms Lewis, family liaison officer' }),
  member('nursery', 'Miss', 'Hannah', 'Price', 'Nursery teacher', ['teacher'], { teaches: { year: 'N', className: 'Nursery Owls' } }),
  member('reception', 'Mrs', 'Laura', 'Bennett', 'Reception teacher and EYFS lead', ['teacher'], { teaches: { year: 'R', className: 'Reception Robins' } }),
  member('y1', 'Ms', 'Amy', 'Coles', 'Year 1 teacher', ['teacher'], { teaches: { year: '1', className: '1 Coles' } }),
  member('y2', 'Mrs', 'Kate', 'Morgan', 'Year 2 teacher', ['teacher'], { teaches: { year: '2', className: '2 Morgan' } }),
  member('y3', 'Mr', 'Chidi', 'Okafor', 'Year 3 teacher', ['teacher'], { teaches: { year: '3', className: '3 Okafor' }, signIn: 'Mr Okafor, Year 3 teacher' }),
  member('y4', 'Ms', 'Jo', 'Hall', 'Year 4 teacher', ['teacher'], { teaches: { year: '4', className: '4 Hall' } }),
  member('y5', 'Mr', 'Sam', 'Fraser', 'Year 5 teacher', ['teacher'], { teaches: { year: '5', className: '5 Fraser' } }),
  member('y6', 'Mr', 'Ben', 'Ellison', 'Assistant head and Year 6 teacher', ['teacher', 'senior_leader'], { teaches: { year: '6', className: '6 Ellison' } }),
  member('governor', 'Dr', 'Priya', 'Shah', 'Governor', ['governor'], { signIn: 'Dr Shah, governor' }),
  member('chair', 'Mr', 'Graham', 'Whitfield', 'Chair of governors', ['governor']),
  member('governor3', 'Mrs', 'Ruth', 'Marsh', 'Parent governor', ['governor']),
];

/** Faduma Warsame's printed sign-in code: only letters and digits from the code alphabet. */
export const FADUMA_CODE = 'FADU-MAWA-RS26';

/** The JOURNEYS carers' email addresses, used by journeys.ts and printed at start. */
export const CARER_EMAILS = {
  marta: 'marta.nowak@families.example',
  tomasz: 'tomasz.nowak@families.example',
  mark: 'mark.dean@families.example',
  sarah: 'sarah.dean@families.example',
  grace: 'grace.mensah@families.example',
  socialWorker: 'helen.ward@brookfield-council.example',
  ryan: 'ryan.brennan@mail.example',
  shabana: 'shabana.hussain@families.example',
} as const;

export const DEMO_SIGN_IN_EMAILS: DemoSignIn[] = [
  ...DEMO_STAFF.filter((s) => s.signIn).map((s) => ({ who: s.signIn!, email: s.email, how: 'password' })),
  { who: 'Marta Nowak, mother of Kuba (Y3) and Ola (R)', email: CARER_EMAILS.marta, how: 'email link' },
  { who: 'Tomasz Nowak, father, lives apart', email: CARER_EMAILS.tomasz, how: 'email link' },
  { who: 'Mark Dean, court order: nothing about Lily', email: CARER_EMAILS.mark, how: 'email link' },
  { who: 'Grace Mensah, foster carer of Leo (Y4)', email: CARER_EMAILS.grace, how: 'email link' },
  { who: 'Ryan Brennan, court order: no contact with Tyler (Y2), information allowed', email: CARER_EMAILS.ryan, how: 'email link' },
  { who: 'Faduma Warsame, grandmother of Ayaan (N)', email: '(no email)', how: `printed code ${FADUMA_CODE}` },
  { who: 'Shabana Hussain, mother of Zainab (Y1), reads Urdu', email: CARER_EMAILS.shabana, how: 'email link' },
];
