import type { CarerValues, ContactInput, LinkValues } from './types.ts';

/**
 * Who is who in a contacts file. Records systems list a carer once per child, so rows are first
 * grouped into people, then each person is matched to a carer the school already has:
 *
 * 1. In the file, rows are the same person when they have the same forename and surname (ignoring
 *    case and extra spaces) and share an email address, a mobile number, or a postcode and first
 *    address line.
 * 2. A person is an existing carer of the school when that carer (a) is already linked to one of
 *    the person's pupils and has the same forename and surname, or else (b) has the same forename
 *    and surname and the same email address or mobile number.
 * 3. Otherwise the person is a new carer.
 *
 * The name is always part of the match because families often share one email address or phone:
 * matching on the address alone would merge two parents into one record, which is far worse than a
 * duplicate the office can spot. Two groups that match the same existing carer become one.
 */

export type ExistingCarer = CarerValues & { id: string };
export type ExistingLink = LinkValues & { id: string; carer_id: string; pupil_id: string };

/** A good row whose pupil is known. */
export type ResolvedRow = ContactInput & { pupil: { id: string; name: string } };
export type CarerGroup = { rows: ResolvedRow[]; existing: ExistingCarer | null };

export function nameKey(given: string, family: string): string {
  const clean = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  return `${clean(given)}|${clean(family)}`;
}

function tokens(carer: ResolvedRow['carer']): string[] {
  const out: string[] = [];
  if (carer.email) out.push(`e:${carer.email.toLowerCase()}`);
  if (carer.mobile) out.push(`m:${carer.mobile}`);
  if (carer.postcode && carer.address_line1) out.push(`a:${carer.postcode.replace(/\s+/g, '')}|${carer.address_line1.toLowerCase()}`);
  return out;
}

export function groupCarers(rows: ResolvedRow[], carers: ExistingCarer[], links: ExistingLink[]): CarerGroup[] {
  // 1. Group rows of the file into people (union-find over name + shared contact detail).
  const parent = rows.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const firstWith = new Map<string, number>();
  rows.forEach((row, i) => {
    const name = nameKey(row.carer.given_name, row.carer.family_name);
    for (const token of tokens(row.carer)) {
      const key = `${name}#${token}`;
      const at = firstWith.get(key);
      if (at === undefined) firstWith.set(key, i);
      else union(at, i);
    }
  });
  const grouped = new Map<number, ResolvedRow[]>();
  rows.forEach((row, i) => {
    const root = find(i);
    grouped.set(root, [...(grouped.get(root) ?? []), row]);
  });

  // 2. Match each person to an existing carer.
  const carerById = new Map(carers.map((c) => [c.id, c]));
  const carersOfPupil = new Map<string, ExistingCarer[]>();
  for (const link of links) {
    const carer = carerById.get(link.carer_id);
    if (carer) carersOfPupil.set(link.pupil_id, [...(carersOfPupil.get(link.pupil_id) ?? []), carer]);
  }
  const byContact = new Map<string, ExistingCarer[]>();
  for (const carer of carers) {
    const name = nameKey(carer.given_name, carer.family_name);
    for (const t of [carer.email ? `e:${carer.email.toLowerCase()}` : null, carer.mobile ? `m:${carer.mobile}` : null]) {
      if (t) byContact.set(`${name}#${t}`, [...(byContact.get(`${name}#${t}`) ?? []), carer]);
    }
  }
  const match = (group: ResolvedRow[]): ExistingCarer | null => {
    for (const row of group) {
      const name = nameKey(row.carer.given_name, row.carer.family_name);
      const linked = (carersOfPupil.get(row.pupil.id) ?? []).find((c) => nameKey(c.given_name, c.family_name) === name);
      if (linked) return linked;
    }
    for (const row of group) {
      const name = nameKey(row.carer.given_name, row.carer.family_name);
      for (const t of tokens(row.carer).filter((t) => !t.startsWith('a:'))) {
        const found = byContact.get(`${name}#${t}`)?.[0];
        if (found) return found;
      }
    }
    return null;
  };

  // 3. Two people in the file who are one existing carer become one group.
  const groups: CarerGroup[] = [];
  const groupOfCarer = new Map<string, CarerGroup>();
  for (const group of grouped.values()) {
    const existing = match(group);
    const already = existing ? groupOfCarer.get(existing.id) : undefined;
    if (already) {
      already.rows.push(...group);
      already.rows.sort((a, b) => a.line - b.line);
      continue;
    }
    const g: CarerGroup = { rows: group, existing };
    if (existing) groupOfCarer.set(existing.id, g);
    groups.push(g);
  }
  return groups.sort((a, b) => a.rows[0]!.line - b.rows[0]!.line);
}
