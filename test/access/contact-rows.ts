import { newId } from '../../src/platform/ids.ts';
import type { TestApp } from '../support/app.ts';
import { mine, perPerson, type FeatureRows, type Who } from './types.ts';

/**
 * The contact log, marking a contact already saved as a safeguarding concern: whoever may read the
 * family's reach (not teachers, governors or carers). It can be done once to a contact, so each person
 * marks one of their own (a call Ms Lewis recorded with Marta).
 */
const REACHERS: Who[] = ['head', 'senior_leader', 'office', 'family_liaison', 'dsl', 'deputy_dsl', 'senco'];

export const contactRows: FeatureRows = {
  rows: {
    'POST /carers/:carerId/contacts/:contactId/safeguarding': {
      allowed: REACHERS,
      url: (f, ids, who) => `/carers/${f.carers.marta}/contacts/${mine(ids, 'ownContact', who)}/safeguarding`,
      form: () => ({}),
    },
  },
  setup: async (t: TestApp) =>
    perPerson('ownContact', REACHERS, async (who) => {
      const id = newId();
      const note = `Rang about the trip letter (${who}).`;
      await t.db
        .insertInto('contact_log')
        .values({ id, school_id: t.fx.school.id, carer_id: t.fx.carers.marta, staff_id: t.fx.staff.family_liaison, kind: 'phone', note, at: '2026-11-20T10:00:00.000Z' })
        .execute();
      return id;
    }),
};
