import type { TestApp } from './app.ts';
import { newId } from '../../src/platform/ids.ts';
import type { FeatureRows } from '../access/types.ts';
import { eveningRows } from '../access/evening-rows.ts';
import { eveningBookingRows } from '../access/evening-booking-rows.ts';
import { meetingRows } from '../access/meeting-rows.ts';
import { meetingRecordRows } from '../access/meeting-record-rows.ts';
import { recordsRows } from '../access/records-rows.ts';
import { concernRows } from '../access/concern-rows.ts';
import { complaintRows } from '../access/complaint-rows.ts';

const FEATURES: FeatureRows[] = [eveningRows, eveningBookingRows, meetingRows, meetingRecordRows, recordsRows, concernRows, complaintRows];

/**
 * A URL with real ids for every route the app serves ("GET /pupils/:pupilId" → "/pupils/…"): the
 * access matrix's feature rows make their records and URLs; other routes get the fixture's pupil,
 * carer, a draft message, an import batch, a group and a link.
 */
export async function routeUrls(t: TestApp): Promise<Map<string, string>> {
  const featureIds: Record<string, string> = {};
  for (const feature of FEATURES) Object.assign(featureIds, await feature.setup?.(t));
  const now = new Date().toISOString();
  const draft = await draftNewsletter(t);
  const batchId = newId();
  await t.db
    .insertInto('import_batches')
    .values({
      id: batchId,
      school_id: t.fx.school.id,
      kind: 'pupils',
      file_name: 'p.csv',
      csv_text: 'UPN,Forename,Surname,DOB,Year\n',
      created_by: t.fx.staff.office,
      created_at: now,
      applied_at: null,
    })
    .execute();
  const groupId = newId();
  await t.db.insertInto('carer_groups').values({ id: groupId, school_id: t.fx.school.id, name: 'PTA' }).execute();
  const link = await t.db.selectFrom('carer_pupils').select('id').where('pupil_id', '=', t.fx.pupils.kuba).where('carer_id', '=', t.fx.carers.marta).executeTakeFirstOrThrow();
  const byParam: Record<string, string> = {
    pupilId: t.fx.pupils.kuba,
    carerId: t.fx.carers.marta,
    messageId: draft,
    batchId,
    groupId,
    linkId: link.id,
    restrictionId: t.fx.restriction,
    language: 'Polish',
    code: 'pl',
    token: 'abc.def',
  };
  // Feature rows know the ids their routes need; any other route gets its params filled in.
  const urls = new Map<string, string>();
  for (const feature of FEATURES) for (const [route, row] of Object.entries(feature.rows)) urls.set(route, row.url(t.fx, featureIds, 'head'));
  for (const r of t.app.gatepostRoutes) {
    const key = `${r.method} ${r.url}`;
    if (!urls.has(key))
      urls.set(
        key,
        r.url.replace(/:(\w+)/g, (_m, name: string) => byParam[name] ?? newId()),
      );
  }
  return urls;
}

/** A whole-school newsletter draft by the head ("Harvest"): what the matrix's message rows and a sent letter start from. */
export async function draftNewsletter(t: TestApp): Promise<string> {
  const now = new Date().toISOString();
  const draft = newId();
  await t.db
    .insertInto('messages')
    .values({
      id: draft,
      school_id: t.fx.school.id,
      kind: 'newsletter',
      tone: 'information',
      subject: 'Harvest',
      body: 'Tins, please.',
      audience_json: JSON.stringify({ kind: 'school' }),
      asks_acknowledgement: 1,
      status: 'draft',
      scheduled_for: null,
      sent_at: null,
      created_by: t.fx.staff.head,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return draft;
}
