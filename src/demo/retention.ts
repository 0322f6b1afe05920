import { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import { localDate } from '../platform/calendar/time.ts';
import { newId } from '../platform/ids.ts';
import { audit } from '../platform/audit/audit.ts';
import { cutOff, kindOf } from '../features/retention/schedule.ts';
import type { Plan } from './builder.ts';

/**
 * Records past their date in the demo, so that Records → Retention shows something to erase:
 * - a neighbour's complaint from the public form about parking at pick-up, closed seven years ago
 *   (complaint files are kept six years from closing);
 * - the summer newsletter of the school year before last, with its Polish translation (messages to
 *   many families are kept to the end of the school year they were sent in, plus one year).
 * Written as rows of that age, as the feature's own functions would have left them then.
 */
export async function addDemoRecordsPastTheirDate(db: Db, input: { schoolId: string; plan: Plan; now: Date }): Promise<void> {
  const { schoolId, plan, now } = input;
  const head = plan.staffIds.head;
  if (!head) throw new Error('The demo school has no head');
  const today = localDate(now, 'Europe/London');
  const day = (date: DateTime) => date.toISODate()!;
  const received = DateTime.fromISO(today).minus({ years: 7, months: 2 });
  const closed = received.plus({ months: 1 });
  const instant = (date: DateTime) => `${day(date)}T14:00:00.000Z`;

  const publicId = newId();
  await db
    .insertInto('public_complaints')
    .values({
      id: publicId,
      school_id: schoolId,
      name: 'Graham Lowe',
      email: 'graham.lowe@example.org',
      phone: null,
      connection: 'a neighbour on Mill Lane',
      about: 'Cars parked across my drive at pick-up time every afternoon.',
      would_like: 'The school to remind families where to park.',
      received_on: day(received),
      acknowledge_by: day(received.plus({ days: 5 })),
      respond_by: day(received.plus({ days: 21 })),
      status: 'accepted',
      last_incident_on: day(received.minus({ days: 1 })),
      decision_reason: null,
      decided_by: head,
      decided_at: instant(received.plus({ days: 1 })),
      created_at: instant(received),
      updated_at: instant(received.plus({ days: 1 })),
    })
    .execute();
  const complaintId = newId();
  await db
    .insertInto('complaints')
    .values({
      id: complaintId,
      school_id: schoolId,
      concern_id: null,
      pupil_id: null,
      carer_id: null,
      public_complaint_id: publicId,
      stage: 'stage_1',
      made_by_kind: 'staff',
      made_by_staff: head,
      received_on: day(received),
      counts_from: day(received),
      acknowledge_by: day(received.plus({ days: 5 })),
      respond_by: day(received.plus({ days: 21 })),
      last_incident_on: day(received.minus({ days: 1 })),
      late: 0,
      early_years_outcome_by: null,
      created_at: instant(received.plus({ days: 1 })),
      updated_at: instant(closed),
      direct: 1,
      status: 'closed',
      outcome: 'partly',
      closed_at: instant(closed),
    })
    .execute();
  await db
    .insertInto('complaint_events')
    .values({
      id: newId(),
      school_id: schoolId,
      complaint_id: complaintId,
      kind: 'taken_on',
      body: 'Taken on from the public form.',
      staff_id: head,
      on_date: day(received.plus({ days: 1 })),
      file_name: null,
      file_type: null,
      file_base64: null,
      created_by_kind: 'staff',
      created_by: head,
      created_at: instant(received.plus({ days: 1 })),
    })
    .execute();

  // The summer newsletter sent in July before the cut-off for messages to many families.
  const messagesCutOff = cutOff(kindOf('whole_school_messages')!, today);
  const sent = `${Number(messagesCutOff.slice(0, 4))}-07-10T08:00:00.000Z`;
  const messageId = newId();
  await db
    .insertInto('messages')
    .values({
      id: messageId,
      school_id: schoolId,
      kind: 'newsletter',
      tone: 'information',
      subject: 'Summer newsletter',
      body: 'Sports day is on Friday. The summer fair raised £1,240 for the library. Thank you!',
      audience_json: JSON.stringify({ kind: 'school' }),
      asks_acknowledgement: 0,
      status: 'sent',
      scheduled_for: null,
      sent_at: sent,
      created_by: head,
      created_at: sent,
      updated_at: sent,
    })
    .execute();
  await audit(db, { kind: 'staff', id: head, schoolId }, { schoolId, action: 'message.sent', entity: 'message', entityId: messageId }, new Date(sent));
  await db
    .insertInto('message_translations')
    .values({
      id: newId(),
      school_id: schoolId,
      message_id: messageId,
      language: 'pl',
      subject: 'Letni biuletyn',
      body: 'Dzień sportu jest w piątek. Letni festyn zebrał 1240 funtów na bibliotekę. Dziękujemy!',
      source: 'machine',
      status: 'written',
      written_by: null,
      written_by_carer: null,
      checked_by: null,
      updated_at: sent,
    })
    .execute();
}
