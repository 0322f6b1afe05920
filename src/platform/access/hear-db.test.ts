import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestDb, type TestDb } from '../../../test/support/db.ts';
import type { Flag } from '../../db/schema.ts';
import { newId } from '../ids.ts';
import { carerLink, carerRow, pupilRow } from '../../../test/support/fixture.ts';
import { carerMayHear, HEAR_PURPOSES, restrictionStops, whoMayHear, type HearPurpose } from './hear.ts';
import { expectedAnswer, LINK_CASES, RESTRICTION_CASES, type LinkCase, type RestrictionCase } from './hear-cases.ts';

const TODAY = '2026-11-23';
const flag = (b: boolean): Flag => (b ? 1 : 0);
const NOW = '2026-11-23T09:00:00.000Z';

/**
 * The same table as hear.test.ts, through the database: one child and one carer per link × restriction,
 * the restriction written as a row (with ones lifted, ended or not yet begun beside it, which change nothing).
 */
describe.each(dialects)('who may hear about a child, from the database, on %s', (dialect) => {
  let t: TestDb;
  const schoolId = newId();
  const otherSchoolId = newId();
  const pairs: { pupilId: string; carerId: string; link: LinkCase; restriction: RestrictionCase }[] = [];

  beforeAll(async () => {
    t = await openTestDb(dialect);
    const school = (id: string, urn: string) => ({
      id,
      name: `School ${urn}`,
      urn,
      phase: 'primary' as const,
      time_zone: 'Europe/London',
      colour: '#005ea5',
      teachers_see_all_pupils: 0 as const,
      created_at: NOW,
    });
    await t.db
      .insertInto('schools')
      .values([school(schoolId, '100001'), school(otherSchoolId, '100002')])
      .execute();
    let n = 0;
    for (const link of Object.keys(LINK_CASES) as LinkCase[]) {
      for (const restriction of Object.keys(RESTRICTION_CASES) as RestrictionCase[]) {
        n += 1;
        const pupilId = newId();
        const carerId = newId();
        const l = LINK_CASES[link];
        await t.db
          .insertInto('pupils')
          .values(
            pupilRow(NOW, {
              id: pupilId,
              school_id: schoolId,
              upn: `H${String(n).padStart(12, '0')}`,
              given_name: `Child ${n}`,
              family_name: 'Case',
              date_of_birth: '2019-05-01',
              year_group: '3',
              class_id: null,
            }),
          )
          .execute();
        await t.db
          .insertInto('carers')
          .values(carerRow(NOW, { id: carerId, school_id: schoolId, given_name: `Carer ${n}`, family_name: 'Case', email: `c${n}@families.test` }))
          .execute();
        await t.db
          .insertInto('carer_pupils')
          .values(
            carerLink({
              school_id: schoolId,
              carer_id: carerId,
              pupil_id: pupilId,
              relationship: l.relationship,
              parental_responsibility: l.parentalResponsibility ? 1 : 0,
              lives_with_pupil: l.livesWith ? 1 : 0,
              may_receive_information: l.mayReceiveInformation ? 1 : 0,
              wants_copies: l.wantsCopies ? 1 : 0,
            }),
          )
          .execute();
        const row = (stops: { information: boolean; contact: boolean; collection: boolean }, dates: { starts_on: string; ends_on: string | null; lifted_at: string | null }) => ({
          id: newId(),
          school_id: schoolId,
          pupil_id: pupilId,
          carer_id: carerId,
          kind: 'court_order' as const,
          stops_information: flag(stops.information),
          stops_collection: flag(stops.collection),
          stops_contact: flag(stops.contact),
          details: 'Order',
          created_by: null,
          created_at: NOW,
          ...dates,
        });
        const everything = { information: true, contact: true, collection: true };
        await t.db
          .insertInto('restrictions')
          .values([
            ...RESTRICTION_CASES[restriction].map((r) => row(r, { starts_on: '2026-01-01', ends_on: null, lifted_at: null })),
            row(everything, { starts_on: '2025-01-01', ends_on: null, lifted_at: '2026-02-01T09:00:00.000Z' }), // lifted
            row(everything, { starts_on: '2025-01-01', ends_on: '2026-11-22', lifted_at: null }), // ended yesterday
            row(everything, { starts_on: '2026-11-24', ends_on: null, lifted_at: null }), // begins tomorrow
          ])
          .execute();
        pairs.push({ pupilId, carerId, link, restriction });
      }
    }
  });
  afterAll(async () => t?.close());

  for (const purpose of HEAR_PURPOSES) {
    it(`${purpose}: whoMayHear answers every link × restriction as the table says`, async () => {
      const answers = await whoMayHear(t.db, { schoolId, pupilIds: pairs.map((p) => p.pupilId), purpose, today: TODAY });
      expect(answers).toHaveLength(pairs.length);
      const got = new Map(answers.map((a) => [`${a.pupilId}:${a.carerId}`, a.decision.may ? 'hears' : a.decision.reason]));
      for (const p of pairs) expect({ ...p, answer: got.get(`${p.pupilId}:${p.carerId}`) }).toEqual({ ...p, answer: expectedAnswer(purpose, p.link, p.restriction) });
    });

    it(`${purpose}: the rule inside SQL (restrictionStops) stops the same carers`, async () => {
      const rows = await t.db
        .selectFrom('carer_pupils')
        .select(['carer_pupils.pupil_id', 'carer_pupils.carer_id'])
        .where('carer_pupils.school_id', '=', schoolId)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('restrictions')
                .select(sql`1`.as('one'))
                .whereRef('restrictions.pupil_id', '=', 'carer_pupils.pupil_id')
                .whereRef('restrictions.carer_id', '=', 'carer_pupils.carer_id')
                .where((r) => restrictionStops(r, purpose, TODAY)),
            ),
          ),
        )
        .execute();
      const notStopped = new Set(rows.map((r) => `${r.pupil_id}:${r.carer_id}`));
      for (const p of pairs) expect({ ...p, stopped: !notStopped.has(`${p.pupilId}:${p.carerId}`) }).toEqual({ ...p, stopped: expectedAnswer(purpose, p.link, p.restriction) === 'restriction' });
    });
  }

  const NOT_HOUSEHOLD = HEAR_PURPOSES.filter((p): p is Exclude<HearPurpose, 'newsletter' | 'letter'> => p !== 'newsletter' && p !== 'letter');
  for (const purpose of NOT_HOUSEHOLD) {
    it(`${purpose}: the whole rule inside SQL (carerMayHear) keeps exactly the carers who hear`, async () => {
      const rows = await t.db
        .selectFrom('carer_pupils')
        .select(['carer_pupils.pupil_id', 'carer_pupils.carer_id'])
        .where('carer_pupils.school_id', '=', schoolId)
        .where((eb) => carerMayHear(eb, purpose, TODAY))
        .execute();
      const hears = new Set(rows.map((r) => `${r.pupil_id}:${r.carer_id}`));
      for (const p of pairs) expect({ ...p, hears: hears.has(`${p.pupilId}:${p.carerId}`) }).toEqual({ ...p, hears: expectedAnswer(purpose, p.link, p.restriction) === 'hears' });
    });
  }

  it('answers only for the school asked about, and only for the carers asked about', async () => {
    expect(await whoMayHear(t.db, { schoolId: otherSchoolId, pupilIds: pairs.map((p) => p.pupilId), purpose: 'portal', today: TODAY })).toEqual([]);
    const one = pairs[0]!;
    const answers = await whoMayHear(t.db, { schoolId, pupilIds: pairs.map((p) => p.pupilId), purpose: 'portal', today: TODAY, carerIds: [one.carerId] });
    expect(answers.map((a) => a.carerId)).toEqual([one.carerId]);
  });
});
