import type { Relationship, SendStatus, YearGroup } from '../db/schema.ts';
import { PRIMARY_YEARS, randomBirthDate } from './calendar.ts';
import { randomAddress, streetOf, type Address } from './contacts.ts';
import { addCarer, addPupil, link, placed, type Plan } from './builder.ts';
import { HERITAGES, PREFERRED_NAMES, type Heritage } from './names.ts';
import { chance, pick, weighted, type Rng } from './random.ts';

/**
 * The rest of the school: families made from the seeded generator until every class is full.
 * Most children live with two parents; some with one; some parents live apart and want copies;
 * brothers and sisters share their carers; some families have a grandparent, aunt or friend as
 * an extra contact.
 */

/** Pupils per year group: 200 in all, Mr Okafor's Year 3 with 30. */
export const YEAR_SIZES: Readonly<Record<string, number>> = { N: 16, R: 26, '1': 25, '2': 26, '3': 30, '4': 27, '5': 25, '6': 25 };

type Shape = 'together' | 'separated' | 'single_mother' | 'single_father' | 'kinship';

const ACCESS_NEEDS = [
  'Dyslexic: a phone call rather than a long letter, please.',
  'Partially sighted: large print (18 point) for letters.',
  'Deaf: British Sign Language interpreter for meetings; text rather than phone.',
  'Worried about being put on the spot at the office: offer help with forms privately.',
  'Uses a wheelchair: meetings in a ground-floor room.',
] as const;

export function addGeneratedFamilies(plan: Plan): void {
  const rng = plan.rng;
  const done = placed(plan);
  const remaining = new Map<YearGroup, number>(PRIMARY_YEARS.map((y) => [y, (YEAR_SIZES[y] ?? 0) - (done.get(y) ?? 0)]));
  const total = () => [...remaining.values()].reduce((a, b) => a + b, 0);

  while (total() > 0) {
    const heritage = weighted(
      rng,
      HERITAGES.map((h) => [h, h.weight] as const),
    );
    const wanted = weighted(rng, [
      [1, 80],
      [2, 17],
      [3, 3],
    ] as const);
    const years = chooseYears(rng, remaining, wanted);
    for (const y of years) remaining.set(y, (remaining.get(y) ?? 0) - 1);
    addFamily(plan, heritage, years);
  }
}

/** Distinct year groups for brothers and sisters, in proportion to the places left. */
function chooseYears(rng: Rng, remaining: Map<YearGroup, number>, wanted: number): YearGroup[] {
  const chosen: YearGroup[] = [];
  while (chosen.length < wanted) {
    const open = [...remaining].filter(([y, n]) => n > 0 && !chosen.includes(y));
    if (open.length === 0) break;
    chosen.push(weighted(rng, open));
  }
  return chosen;
}

function addFamily(plan: Plan, h: Heritage, years: YearGroup[]): void {
  const rng = plan.rng;
  const surname = pick(rng, h.surnames);
  const speaksHomeLanguage = h.language !== 'English' && chance(rng, 0.9);
  const homeLanguage = speaksHomeLanguage ? h.language : 'English';

  const used = new Set<string>();
  const children = years.map((year) => {
    const girl = chance(rng, 0.5);
    const given = freshName(plan, () => pick(rng, girl ? h.girls : h.boys), surname, used);
    const nickname = PREFERRED_NAMES[given];
    const preferred = nickname && chance(rng, 0.6) ? nickname : null;
    const send: SendStatus = chance(rng, year === 'N' ? 0.01 : 0.025) ? 'ehcp' : chance(rng, year === 'N' ? 0.06 : 0.12) ? 'sen_support' : 'none';
    return addPupil(plan, { given, family: surname, preferred, year, dob: randomBirthDate(rng, year), send, language: homeLanguage });
  });

  const shape = weighted<Shape>(rng, [
    ['together', 66],
    ['separated', 15],
    ['single_mother', 13],
    ['single_father', 3],
    ['kinship', 3],
  ]);
  const home = randomAddress(rng);
  const adult = (female: boolean, family: string, address: Address, older = false) => addAdult(plan, h, { female, family, address, older, homeLanguage });
  // Some mothers keep their own family name.
  const motherName = chance(rng, 0.18) ? pick(rng, h.surnames) : surname;

  if (shape === 'together' || shape === 'separated') {
    const fatherAway = shape === 'separated' && chance(rng, 0.8);
    const motherAway = shape === 'separated' && !fatherAway;
    const mother = adult(true, motherName, motherAway ? randomAddress(rng, streetOf(home)) : home);
    const stepParent = shape === 'together' && chance(rng, 0.06);
    const father = adult(false, stepParent ? pick(rng, h.surnames) : surname, fatherAway ? randomAddress(rng, streetOf(home)) : home);
    link(plan, mother, children, { relationship: 'mother', lives: !motherAway, priority: motherAway ? 2 : 1, copies: motherAway && chance(rng, 0.6) });
    link(plan, father, children, {
      relationship: stepParent ? 'step_parent' : 'father',
      pr: !stepParent,
      lives: !fatherAway,
      priority: motherAway ? 1 : 2,
      copies: fatherAway && chance(rng, 0.6),
    });
  } else if (shape === 'kinship') {
    // A grandparent bringing the children up, with a special guardianship order.
    const gran = adult(chance(rng, 0.8), surname, home, true);
    link(plan, gran, children, { relationship: 'grandparent' });
  } else {
    const parent = adult(shape === 'single_mother', surname, home);
    link(plan, parent, children, { relationship: shape === 'single_mother' ? 'mother' : 'father' });
  }

  if (chance(rng, 0.42)) {
    const kind = weighted<Relationship>(rng, [
      ['grandparent', 5],
      ['other_relative', 3],
      ['family_friend', 2],
    ]);
    const extra = adult(chance(rng, 0.7), kind === 'family_friend' ? pick(rng, h.surnames) : surname, randomAddress(rng), kind === 'grandparent');
    // An emergency contact who collects: no parental responsibility; a friend is told nothing.
    link(plan, extra, children, { relationship: kind, pr: false, lives: false, priority: 3, info: kind !== 'family_friend' });
  }
}

/** A given name that makes a full name nobody else in the school has (and a brother or sister's name unused). */
function freshName(plan: Plan, choose: () => string, family: string, siblings = new Set<string>()): string {
  let given = choose();
  for (let tries = 0; tries < 30 && (siblings.has(given) || plan.fullNames.has(`${given} ${family}`)); tries += 1) given = choose();
  siblings.add(given);
  plan.fullNames.add(`${given} ${family}`);
  return given;
}

/** One adult with their contact details and how they like to hear from school. */
function addAdult(plan: Plan, h: Heritage, o: { female: boolean; family: string; address: Address; older: boolean; homeLanguage: string }): string {
  const rng = plan.rng;
  const given = freshName(plan, () => pick(rng, o.female ? h.women : h.men), o.family);
  const title = chance(rng, 0.08)
    ? null
    : o.female
      ? weighted(rng, [
          ['Mrs', 45],
          ['Ms', 35],
          ['Miss', 15],
          ['Dr', 5],
        ] as const)
      : chance(rng, 0.95)
        ? 'Mr'
        : 'Dr';
  const readsHomeLanguage = o.homeLanguage !== 'English' && chance(rng, o.older ? 0.85 : 0.55);
  const language = readsHomeLanguage ? o.homeLanguage : 'English';
  const interpreter = readsHomeLanguage && chance(rng, 0.35);
  const hasEmail = !chance(rng, o.older ? 0.25 : 0.03);
  const email = hasEmail ? plan.makeEmail(given, o.family) : null;
  const mobile = hasEmail && o.older && chance(rng, 0.2) ? null : plan.nextMobile();
  return addCarer(plan, {
    title,
    given,
    family: o.family,
    email,
    mobile,
    address: o.address,
    language,
    interpreter,
    app: hasEmail && chance(rng, 0.85),
    sms: mobile !== null && (!hasEmail || chance(rng, 0.22)),
    paper: !hasEmail || chance(rng, 0.03),
    accessNeeds: chance(rng, 0.04) ? pick(rng, ACCESS_NEEDS) : null,
  });
}
