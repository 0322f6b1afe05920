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
 * happened (a row or an audit entry was added); without, an empty form is sent. Either way
 * "refused" means nothing changed.
 */
export type Row = { allowed: Who[]; url: (f: Fixture, ids: Ids) => string; form?: (f: Fixture, ids: Ids, who: Who) => Record<string, string> };
export type FeatureRows = { rows: Record<string, Row>; setup?: (t: TestApp) => Promise<Ids> };
