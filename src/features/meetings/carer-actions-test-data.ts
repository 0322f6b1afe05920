import type { TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';
import { insertMeeting } from './record-test-data.ts';

/**
 * For the tests of what families said they would do: a held meeting about Kuba led by Mr Okafor,
 * with Marta and Tomasz, its summary sent, and an action of Marta's (due `martaDue`), one of
 * Tomasz's and one of the school's (Mr Okafor's). `followUpOn` as the meeting's follow-up date.
 */
export async function heldMeetingWithActions(t: TestApp, seed: { martaDue?: string; followUpOn?: string | null; topic?: string } = {}) {
  const fx = t.fx;
  const meetingId = await insertMeeting(t.db, fx, {
    pupilId: fx.pupils.kuba,
    leadId: fx.staff.teacher,
    carerIds: [fx.carers.marta, fx.carers.tomasz],
    status: 'held',
    followUpOn: seed.followUpOn === undefined ? '2026-12-15' : (seed.followUpOn ?? undefined),
    topic: seed.topic ?? 'Reading at home',
  });
  await t.db.updateTable('meetings').set({ outcome: 'A reading plan for Kuba.', summary_sent_at: '2026-11-25T09:00:00.000Z' }).where('id', '=', meetingId).execute();
  const action = async (owner: { carer: string } | { staff: string }, what: string, dueOn: string) => {
    const id = newId();
    await t.db
      .insertInto('meeting_actions')
      .values({
        id,
        school_id: fx.school.id,
        meeting_id: meetingId,
        owner_kind: 'carer' in owner ? 'carer' : 'school',
        staff_id: 'staff' in owner ? owner.staff : null,
        carer_id: 'carer' in owner ? owner.carer : null,
        what,
        due_on: dueOn,
        done_at: null,
        created_at: '2026-11-24T16:00:00.000Z',
      })
      .execute();
    return id;
  };
  return {
    meetingId,
    marta: await action({ carer: fx.carers.marta }, `Read with Kuba three evenings a week (${meetingId.slice(-6)})`, seed.martaDue ?? '2026-12-01'),
    tomasz: await action({ carer: fx.carers.tomasz }, `Ask Kuba about his reading at weekends (${meetingId.slice(-6)})`, '2026-12-20'),
    school: await action({ staff: fx.staff.teacher }, `Set up a reading plan (${meetingId.slice(-6)})`, '2026-11-27'),
  };
}

export const actionRow = (t: TestApp, id: string) => t.db.selectFrom('meeting_actions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

export const auditsOf = (t: TestApp, id: string) =>
  t.db.selectFrom('audit_log').select(['action', 'actor_kind', 'actor_id', 'before_json', 'after_json']).where('entity_id', '=', id).orderBy('at').orderBy('id').execute();

/** The row of one action on the staff record page. */
export const recordRowOf = (html: string, actionId: string) => html.slice(html.indexOf(`id="action-${actionId}"`), html.indexOf('</tr>', html.indexOf(`id="action-${actionId}"`)));
