import type { StaffRole } from '../../src/db/schema.ts';
import type { TestApp } from '../support/app.ts';
import type { Fixture } from '../support/fixture.ts';

/**
 * Who the access matrix tries every route as: everyone at Brookfield, and the other school's head
 * and a carer there (who must never reach a Brookfield record: see OTHER_SCHOOL).
 */
export type Who = StaffRole | 'carer' | 'anonymous' | 'other_head' | 'other_carer';
export const STAFF: StaffRole[] = ['head', 'senior_leader', 'teacher', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison', 'governor'];
export const EVERYONE: Who[] = ['anonymous', 'carer', ...STAFF];
export const SIGNED_IN: Who[] = ['carer', ...STAFF];
/** The other school's people, and who they are at their own school: they may use what that role may, except a route naming a Brookfield record. */
export const OTHER_SCHOOL = { other_head: 'head', other_carer: 'carer' } as const satisfies Record<string, Who>;
export const SEE_PUPILS: Who[] = ['head', 'senior_leader', 'teacher', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison'];

/**
 * Rows for one feature's routes: who may use each (written by hand, independently of the code) and
 * the URL to try, built from the ids the feature's `setup` made. The carer is always Marta.
 */
export type Ids = Record<string, string>;
/**
 * `form`: a valid form for this POST, per person trying it. With one, "allowed" means the write
 * happened (a row or an audit entry was added, or a row of a table in `touches` changed) and the
 * answer was not an error page; without, an empty form is sent, and the route must be on
 * EXEMPT_POSTS (test/access/exempt.ts). Either way "refused" means nothing changed.
 * `url` and `form` are given who is trying, so a write that can happen once (sending a draft,
 * lifting a restriction) can use a record of that person's own: see `mine`.
 */
export type Row = {
  allowed: Who[];
  url: (f: Fixture, ids: Ids, who: Who) => string;
  form?: (f: Fixture, ids: Ids, who: Who) => Record<string, string | string[]>;
  touches?: string[];
  /** A file the form carries: then the form goes as multipart/form-data. */
  file?: { field: string; name: string; content: string };
};
export type FeatureRows = { rows: Record<string, Row>; setup?: (t: TestApp) => Promise<Ids> };

/** The record `setup` made for this person (`${key}.${who}`), or the shared one (`key`) for anyone else. */
export function mine(ids: Ids, key: string, who: Who): string {
  const id = ids[`${key}.${who}`] ?? ids[key];
  if (!id) throw new Error(`The matrix set up no ${key} for ${who}`);
  return id;
}

/**
 * Makes one record per person with `make(who)`, keyed for `mine`. Anyone else is given the first
 * person's record: they are refused before that person uses it (the other school and those not let in
 * are tried first or are refused whatever the record's state).
 */
export async function perPerson(key: string, people: readonly Who[], make: (who: Who) => Promise<string>): Promise<Ids> {
  const ids: Ids = {};
  for (const who of people) ids[`${key}.${who}`] = await make(who);
  ids[key] = ids[`${key}.${people[0]}`]!;
  return ids;
}
