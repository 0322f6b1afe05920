import { asciiFold } from './names.ts';
import { chance, int, pick, shuffled, weighted, type Rng } from './random.ts';

/**
 * Addresses, mobile numbers and email addresses for the demo families. Nothing here can reach a
 * real person: the town is made up, the postcode area BK does not exist, mobiles come from Ofcom's
 * range kept for drama (07700 900000–900999) and every email domain ends in .example.
 */
export const DEMO_TOWN = 'Brookfield';

export type Address = { line1: string; line2: string | null; town: string; postcode: string };

/** Streets of Brookfield and their postcode sectors; the higher districts are across town. */
const STREETS: readonly { street: string; sector: string; flats?: string }[] = [
  { street: 'Mill Lane', sector: 'BK1 2' },
  { street: 'Station Road', sector: 'BK1 3' },
  { street: 'Church Street', sector: 'BK1 4' },
  { street: 'Victoria Road', sector: 'BK1 5' },
  { street: 'Elm Grove', sector: 'BK1 6' },
  { street: 'Brook Close', sector: 'BK1 7' },
  { street: 'Orchard Way', sector: 'BK2 1' },
  { street: 'Canal Street', sector: 'BK2 3', flats: 'Kingfisher Court' },
  { street: 'Albert Terrace', sector: 'BK2 4' },
  { street: 'Hazel Avenue', sector: 'BK2 5' },
  { street: 'Queens Road', sector: 'BK2 6', flats: 'Jubilee House' },
  { street: 'Meadow View', sector: 'BK2 8' },
  { street: 'Chapel Street', sector: 'BK3 1' },
  { street: 'Foundry Lane', sector: 'BK3 2', flats: 'Foundry Works' },
  { street: 'Park Crescent', sector: 'BK3 4' },
  { street: 'Willow Drive', sector: 'BK3 5' },
  { street: 'Market Street', sector: 'BK3 7', flats: 'Corn Exchange Apartments' },
  { street: 'Ashby Road', sector: 'BK4 2' },
  { street: 'Heron Way', sector: 'BK4 3' },
  { street: 'Lime Tree Walk', sector: 'BK4 6' },
  { street: 'Sandfield Road', sector: 'BK4 7', flats: 'Sandfield Tower' },
  { street: 'Beech Rise', sector: 'BK4 9' },
];

/** Letters a postcode's last two places may use (Royal Mail leaves out C I K M O V). */
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

export function randomAddress(rng: Rng, avoidStreet?: string): Address {
  const choices = STREETS.filter((s) => s.street !== avoidStreet);
  const s = pick(rng, choices);
  const postcode = `${s.sector}${pick(rng, [...INWARD_LETTERS])}${pick(rng, [...INWARD_LETTERS])}`;
  if (s.flats && chance(rng, 0.6)) {
    return { line1: `Flat ${int(rng, 1, 40)}, ${s.flats}`, line2: s.street, town: DEMO_TOWN, postcode };
  }
  return { line1: `${int(rng, 1, 140)} ${s.street}`, line2: null, town: DEMO_TOWN, postcode };
}

/** The street part of an address, to keep a parent who lives apart on another street. */
export function streetOf(address: Address): string {
  return address.line2 ?? address.line1.replace(/^\d+ /, '');
}

/** Hands out the drama-range mobile numbers, each once, in a shuffled order. */
export function mobileNumbers(rng: Rng): () => string {
  const pool = shuffled(
    rng,
    Array.from({ length: 1000 }, (_, i) => i),
  );
  let next = 0;
  return () => {
    const n = pool[next++];
    if (n === undefined) throw new Error('The demo has run out of drama-range mobile numbers');
    return `07700900${String(n).padStart(3, '0')}`;
  };
}

const DOMAINS: readonly (readonly [string, number])[] = [
  ['families.example', 5],
  ['mail.example', 3],
  ['inbox.example', 2],
  ['post.example', 1],
];

/** Makes readable email addresses not yet taken: 'zoe.obrien-smith@mail.example'. The caller marks them taken. */
export function emailMaker(rng: Rng, taken: Set<string>): (given: string, family: string, fallbackLocal?: string) => string {
  return (given, family, fallbackLocal) => {
    const g = asciiFold(given);
    const f = asciiFold(family);
    const style = weighted(rng, [
      ['dot', 6],
      ['initial', 3],
      ['joined', 1],
    ] as const);
    let local = style === 'dot' ? `${g}.${f}` : style === 'initial' ? `${g.slice(0, 1)}.${f}` : `${g}${f}`;
    if (!g || !f) local = fallbackLocal ?? 'parent';
    const domain = weighted(rng, DOMAINS);
    let email = `${local}@${domain}`;
    for (let n = 2; taken.has(email); n += 1) email = `${local}${n}@${domain}`;
    return email;
  };
}
