import { newId } from '../../src/platform/ids.ts';
import type { FeatureRows, Who } from './types.ts';

/**
 * Court orders an import recorded (the head and the DSL complete them) and the CSV exports (the
 * same people as the page each one downloads). The order to complete is about Grace Mensah and Leo;
 * the pupils file names a class the school does not have.
 */
const HEAD_AND_DSL: Who[] = ['head', 'dsl'];

export const recordsRows: FeatureRows = {
  rows: {
    'GET /restrictions/to-complete': { allowed: HEAD_AND_DSL, url: () => '/restrictions/to-complete' },
    'GET /pupils/:pupilId/restrictions/:restrictionId/details': { allowed: HEAD_AND_DSL, url: (f, ids) => `/pupils/${f.pupils.leo}/restrictions/${ids.pendingRestriction}/details` },
    'POST /pupils/:pupilId/restrictions/:restrictionId/details': { allowed: HEAD_AND_DSL, url: (f, ids) => `/pupils/${f.pupils.leo}/restrictions/${ids.pendingRestriction}/details` },
    'POST /import/:batchId/classes': { allowed: ['head', 'office'], url: (_f, ids) => `/import/${ids.classesBatch}/classes` },
  },
  async setup(t) {
    const pendingRestriction = newId();
    await t.db
      .insertInto('restrictions')
      .values({
        id: pendingRestriction,
        school_id: t.fx.school.id,
        pupil_id: t.fx.pupils.leo,
        carer_id: t.fx.carers.grace,
        kind: 'court_order',
        stops_information: 1,
        stops_collection: 0,
        stops_contact: 1,
        details: 'From the records system (line 2 of the contacts file): Court Order: yes. Add what the order says.',
        starts_on: '2026-01-01',
        ends_on: null,
        lifted_at: null,
        created_by: t.fx.staff.office,
        created_at: new Date().toISOString(),
        details_pending: 1,
      })
      .execute();
    const classesBatch = newId();
    await t.db
      .insertInto('import_batches')
      .values({
        id: classesBatch,
        school_id: t.fx.school.id,
        kind: 'pupils',
        file_name: 'pupils.csv',
        csv_text: 'UPN,Forename,Surname,DOB,Year,Reg Group\nH801200009901,Ava,Birch,01/02/2018,4,4 Birch\n',
        created_by: t.fx.staff.office,
        created_at: new Date().toISOString(),
        applied_at: null,
      })
      .execute();
    return { pendingRestriction, classesBatch };
  },
};
