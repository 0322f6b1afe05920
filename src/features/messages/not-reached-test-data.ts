import type { Db } from '../../db/database.ts';
import type { MessageKind, MessageTone } from '../../db/schema.ts';
import { randomToken } from '../../platform/auth/tokens.ts';
import { newId } from '../../platform/ids.ts';
import { sendMessage } from './send.ts';
import type { Fixture } from '../../../test/support/fixture.ts';

/** For tests: the fixture school's last few weeks of messages, reads, a bounce and a paper-only family. */
export const BOUNCE = '550 5.1.1 <tomasz@families.test>: Recipient address rejected: mailbox unavailable';
const DAY = 86_400_000;

export const daysAgo = (days: number, now = Date.now()) => new Date(now - days * DAY);

/** A message sent `days` ago straight into the tables, to one carer. */
export async function messageReceived(
  db: Db,
  fx: Fixture,
  schoolId: string,
  carerId: string,
  o: { days: number; kind?: MessageKind; tone?: MessageTone; subject?: string; channels?: string; readDaysAgo?: number },
): Promise<string> {
  const id = newId();
  const at = daysAgo(o.days).toISOString();
  await db
    .insertInto('messages')
    .values({
      id,
      school_id: schoolId,
      kind: o.kind ?? 'individual',
      tone: o.tone ?? 'information',
      subject: o.subject ?? 'A message',
      body: 'Hello.',
      audience_json: '{"kind":"school"}',
      asks_acknowledgement: 0,
      status: 'sent',
      scheduled_for: null,
      sent_at: at,
      created_by: schoolId === fx.school.id ? fx.staff.head : fx.staff.otherHead,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('message_recipients')
    .values({
      id: newId(),
      school_id: schoolId,
      message_id: id,
      carer_id: carerId,
      pupil_ids: '',
      pupil_names: '',
      language: 'English',
      channels: o.channels ?? 'app,email',
      read_token: randomToken(18),
      read_at: o.readDaysAgo === undefined ? null : daysAgo(o.readDaysAgo).toISOString(),
      acknowledged_at: null,
      created_at: at,
    })
    .execute();
  return id;
}

/**
 * Four weeks in the fixture school, as seen on a Friday:
 * - Marta read nothing: the newsletter and praise this month; older praise and a concern before;
 * - Tomasz read a letter 19 days ago, but his copy of this week's newsletter bounced;
 * - Faduma's newsletter went on paper (no email) and she has never read anything in Gatepost;
 * - Sarah and Grace read the newsletter; Helen was sent something 40 days ago and has not read it;
 * - the other school's carer has an unread message of her own.
 */
export async function seedNotReached(db: Db, fx: Fixture): Promise<{ newsletterId: string }> {
  const { school, carers, staff } = fx;
  // In term, whatever today's date: messages count as unread after three school days (family-reach.ts).
  await db.deleteFrom('school_closures').where('school_id', '=', school.id).execute();
  await db
    .updateTable('school_terms')
    .set({ starts_on: daysAgo(200).toISOString().slice(0, 10), ends_on: daysAgo(-200).toISOString().slice(0, 10) })
    .where('school_id', '=', school.id)
    .where('name', '=', 'Autumn term 2026')
    .execute();
  const newsletter = newId();
  const sentAt = daysAgo(6);
  await db
    .insertInto('messages')
    .values({
      id: newsletter,
      school_id: school.id,
      kind: 'newsletter',
      tone: 'information',
      subject: 'Weekly newsletter',
      body: 'Harvest festival on Friday.',
      audience_json: JSON.stringify({ kind: 'school' }),
      asks_acknowledgement: 0,
      status: 'draft',
      scheduled_for: null,
      sent_at: null,
      created_by: staff.head,
      created_at: sentAt.toISOString(),
      updated_at: sentAt.toISOString(),
    })
    .execute();
  await sendMessage(db, { kind: 'system' }, school.id, newsletter, { baseUrl: 'http://gatepost.test', schoolName: school.name, today: sentAt.toISOString().slice(0, 10), now: sentAt });

  await messageReceived(db, fx, school.id, carers.marta, { days: 10, tone: 'good_news', subject: 'Fantastic reading today' });
  await messageReceived(db, fx, school.id, carers.marta, { days: 30, tone: 'good_news', subject: 'Star of the week' });
  await messageReceived(db, fx, school.id, carers.marta, { days: 50, tone: 'concern', subject: 'Late three times' });
  await messageReceived(db, fx, school.id, carers.tomasz, { days: 20, subject: 'Trip letter', readDaysAgo: 19 });
  const tomaszCopy = await db.selectFrom('message_recipients').select('id').where('message_id', '=', newsletter).where('carer_id', '=', carers.tomasz).executeTakeFirstOrThrow();
  // Whatever the outbox worker is doing with it, it ends up failed: markSent only moves a row it is sending.
  await db.updateTable('outbox').set({ status: 'failed', last_error: BOUNCE, attempts: 1 }).where('ref', '=', tomaszCopy.id).execute();
  await db
    .updateTable('message_recipients')
    .set({ read_at: daysAgo(1).toISOString() })
    .where('message_id', '=', newsletter)
    .where('carer_id', 'in', [carers.sarah, carers.grace])
    .execute();
  await messageReceived(db, fx, school.id, carers.socialWorker, { days: 40, subject: 'Review meeting' });
  await messageReceived(db, fx, fx.other.id, carers.otherCarer, { days: 8 });
  return { newsletterId: newsletter };
}
