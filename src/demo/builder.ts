import type { Insertable } from 'kysely';
import type { CarerPupilTable, CarerTable, Flag, LocalDate, PupilTable, Relationship, RestrictionTable, SendStatus, YearGroup } from '../db/schema.ts';
import { newId } from '../platform/ids.ts';
import { DEMO_ESTABLISHMENT, DEMO_LA, entryYear } from './calendar.ts';
import { emailMaker, mobileNumbers, type Address } from './contacts.ts';
import { int, pick, seededRng, type Rng } from './random.ts';
import { defaultMayReceiveInformation } from '../platform/access/hear.ts';

/**
 * The demo school as rows, built in memory before anything is written: journeys.ts and
 * families.ts add people through these functions, then demo-school.ts inserts the lot.
 */
export type Plan = {
  schoolId: string;
  now: string;
  rng: Rng;
  classIdByYear: ReadonlyMap<YearGroup, string>;
  staffIds: Readonly<Record<string, string>>;
  pupils: PupilTable[];
  carers: CarerTable[];
  links: CarerPupilTable[];
  restrictions: Insertable<RestrictionTable>[];
  nextMobile: () => string;
  makeEmail: (given: string, family: string, fallbackLocal?: string) => string;
  emails: Set<string>;
  /** 'Given Family' of everyone so far, so generated people never share a full name. */
  fullNames: Set<string>;
  upns: Set<string>;
  upnSerials: Map<string, number>;
};

/** Fixed, so the demo has the same people every time it loads. */
export const DEMO_SEED = 20260902;

export function newPlan(schoolId: string, now: string, classIdByYear: ReadonlyMap<YearGroup, string>, staffIds: Record<string, string>): Plan {
  const rng = seededRng(DEMO_SEED);
  const emails = new Set<string>();
  return {
    schoolId,
    now,
    rng,
    classIdByYear,
    staffIds,
    pupils: [],
    carers: [],
    links: [],
    restrictions: [],
    nextMobile: mobileNumbers(seededRng(DEMO_SEED + 1)),
    makeEmail: emailMaker(seededRng(DEMO_SEED + 2), emails),
    emails,
    fullNames: new Set(),
    upns: new Set(),
    upnSerials: new Map(),
  };
}

/** Letters for a UPN's check character: remainder 0 is A … 22 is Z, without I, O and S. */
const UPN_CHECK = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/** A UPN's first character, from the DfE's weights 2–13 over its 12 digits. */
export function upnCheckLetter(digits: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(digits[i]) * (i + 2);
  return UPN_CHECK[sum % 23]!;
}

/** Other local authorities a child may have joined from (their UPN was made there). */
const OTHER_LAS = ['886', '336', '330', '937', '916', '855', '204'];

/** A UPN as the DfE makes it: check letter, LA, establishment, year made, serial. */
function makeUpn(plan: Plan, year: YearGroup): string {
  const yy = String(entryYear(year) % 100).padStart(2, '0');
  const movedIn = plan.rng.next() < 0.18;
  for (;;) {
    let digits: string;
    if (movedIn) {
      digits = `${pick(plan.rng, OTHER_LAS)}${int(plan.rng, 2000, 2999)}${yy}${String(int(plan.rng, 1, 999)).padStart(3, '0')}`;
    } else {
      const serial = (plan.upnSerials.get(yy) ?? 0) + 1;
      plan.upnSerials.set(yy, serial);
      digits = `${DEMO_LA}${DEMO_ESTABLISHMENT}${yy}${String(serial).padStart(3, '0')}`;
    }
    const upn = `${upnCheckLetter(digits)}${digits}`;
    if (!plan.upns.has(upn)) {
      plan.upns.add(upn);
      return upn;
    }
  }
}

export type PupilSpec = {
  given: string;
  family: string;
  preferred?: string | null;
  year: YearGroup;
  dob: LocalDate;
  send?: SendStatus;
  /** The language of the home; anything but English makes the pupil EAL. */
  language: string;
};

export function addPupil(plan: Plan, spec: PupilSpec): string {
  const id = newId();
  plan.fullNames.add(`${spec.given} ${spec.family}`);
  const classId = plan.classIdByYear.get(spec.year);
  if (!classId) throw new Error(`The demo school has no class for year group ${spec.year}`);
  plan.pupils.push({
    id,
    school_id: plan.schoolId,
    upn: makeUpn(plan, spec.year),
    given_name: spec.given,
    family_name: spec.family,
    preferred_name: spec.preferred ?? null,
    date_of_birth: spec.dob,
    year_group: spec.year,
    class_id: classId,
    send_status: spec.send ?? 'none',
    eal: spec.language === 'English' ? 0 : 1,
    home_language: spec.language,
    archived_at: null,
    created_at: plan.now,
    updated_at: plan.now,
  });
  return id;
}

export type CarerSpec = {
  title: string | null;
  given: string;
  family: string;
  email: string | null;
  mobile: string | null;
  address: Address | null;
  language: string;
  interpreter?: boolean;
  /** Defaults: email and app when there is an email, SMS when there is only a mobile. */
  app?: boolean;
  sms?: boolean;
  paper?: boolean;
  accessNeeds?: string | null;
};

const flag = (b: boolean): Flag => (b ? 1 : 0);

export function addCarer(plan: Plan, spec: CarerSpec): string {
  const id = newId();
  const hasEmail = spec.email !== null;
  plan.fullNames.add(`${spec.given} ${spec.family}`);
  if (spec.email !== null) {
    if (plan.emails.has(spec.email)) throw new Error(`Two demo carers have the email ${spec.email}`);
    plan.emails.add(spec.email);
  }
  plan.carers.push({
    id,
    school_id: plan.schoolId,
    title: spec.title,
    given_name: spec.given,
    family_name: spec.family,
    email: spec.email,
    mobile: spec.mobile,
    address_line1: spec.address?.line1 ?? null,
    address_line2: spec.address?.line2 ?? null,
    town: spec.address?.town ?? null,
    postcode: spec.address?.postcode ?? null,
    preferred_language: spec.language,
    interpreter_needed: flag(spec.interpreter ?? false),
    channel_email: flag(hasEmail),
    channel_sms: flag(spec.sms ?? (!hasEmail && spec.mobile !== null)),
    channel_app: flag(spec.app ?? hasEmail),
    paper_copies: flag(spec.paper ?? !hasEmail),
    access_needs: spec.accessNeeds ?? null,
    password_hash: null,
    archived_at: null,
    created_at: plan.now,
    updated_at: plan.now,
  });
  return id;
}

export type LinkSpec = {
  relationship: Relationship;
  /** Defaults: parental responsibility, lives with the pupil, first contact; receives information as DfE guidance says (parental responsibility or lives with the child). */
  pr?: boolean;
  lives?: boolean;
  priority?: number;
  info?: boolean;
  copies?: boolean;
};

/** Links a carer to each of the children given (siblings share one carer row). */
export function link(plan: Plan, carerId: string, pupilIds: readonly string[], spec: LinkSpec): void {
  for (const pupilId of pupilIds) {
    plan.links.push({
      id: newId(),
      school_id: plan.schoolId,
      carer_id: carerId,
      pupil_id: pupilId,
      relationship: spec.relationship,
      parental_responsibility: flag(spec.pr ?? true),
      lives_with_pupil: flag(spec.lives ?? true),
      contact_priority: spec.priority ?? 1,
      may_receive_information: flag(spec.info ?? defaultMayReceiveInformation({ parentalResponsibility: spec.pr ?? true, livesWith: spec.lives ?? true })),
      wants_copies: flag(spec.copies ?? false),
    });
  }
}

/** How many pupils each year group already has in the plan. */
export function placed(plan: Plan): Map<YearGroup, number> {
  const counts = new Map<YearGroup, number>();
  for (const p of plan.pupils) counts.set(p.year_group, (counts.get(p.year_group) ?? 0) + 1);
  return counts;
}
