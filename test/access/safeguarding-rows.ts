import { newId } from '../../src/platform/ids.ts';
import type { TestApp } from '../support/app.ts';
import { STAFF, type FeatureRows } from './types.ts';

/**
 * "Tell the DSL" (features/safeguarding): every member of staff, governors too, may tell the DSL
 * (never a carer); only the DSL and deputies read what was told. Each person's form is a report of
 * their own about someone whose name they do not know (a governor sees no pupils).
 */
export const safeguardingRows: FeatureRows = {
  rows: {
    'GET /tell-the-dsl': { allowed: STAFF, url: () => '/tell-the-dsl' },
    'POST /tell-the-dsl': {
      allowed: STAFF,
      url: () => '/tell-the-dsl',
      form: (_f, _ids, who) => ({ form_id: newId(), pupil: 'someone-else', what: `A child at the gate said she is scared to go home (${who})`, happened_on: '20/11/2026' }),
    },
    'GET /tell-the-dsl/:reportId': { allowed: ['dsl', 'deputy_dsl'], url: (_f, ids) => `/tell-the-dsl/${ids.dslReport}` },
  },
  setup: async (t: TestApp) => {
    const id = newId();
    await t.db
      .insertInto('dsl_reports')
      .values({
        id,
        school_id: t.fx.school.id,
        pupil_id: t.fx.pupils.kuba,
        other_name: null,
        what: 'Kuba said he was hungry all weekend.',
        happened_on: '2026-11-20',
        written_by: t.fx.staff.teacher,
        created_at: '2026-11-20T10:00:00.000Z',
      })
      .execute();
    return { dslReport: id };
  },
};
