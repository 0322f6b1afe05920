import type { Db } from '../../db/database.ts';
import type { Instant, MessageKind } from '../../db/schema.ts';

/**
 * Erasure of messages to many families past their retention date (features/retention's schedule):
 * newsletters, class newsletters, letters and urgent messages that were sent before a cut-off.
 * A draft or scheduled message is still needed and never erased; nor is a message an attendance
 * figure names as the one that told the family (that is about one child).
 */
export const WHOLE_SCHOOL_KINDS: readonly MessageKind[] = ['newsletter', 'class_newsletter', 'letter', 'urgent'];

function due(db: Db, schoolId: string, before: Instant) {
  return db
    .selectFrom('messages as m')
    .where('m.school_id', '=', schoolId)
    .where('m.status', '=', 'sent')
    .where('m.kind', 'in', WHOLE_SCHOOL_KINDS)
    .where('m.sent_at', 'is not', null)
    .where('m.sent_at', '<', before)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('attendance_figures as f').select('f.id').where('f.school_id', '=', schoolId).whereRef('f.told_message_id', '=', 'm.id'))));
}

/** How many sent messages to many families were sent before the cut-off, and the oldest's sending. */
export async function wholeSchoolMessagesDue(db: Db, schoolId: string, before: Instant): Promise<{ count: number; oldest: Instant | null }> {
  const row = await due(db, schoolId, before)
    .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min('m.sent_at').as('oldest')])
    .executeTakeFirst();
  return { count: Number(row?.n ?? 0), oldest: (row?.oldest as Instant | null | undefined) ?? null };
}

const CHUNK = 500;
function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Erase every sent message to many families sent before the cut-off, with every row of it: its
 * emails and texts in the outbox (each names its recipient row in `ref`), its translation requests (and their emails), translations and
 * recipients, then the message. Children first. Run it inside the caller's transaction.
 * Returns how many messages went.
 */
export async function eraseWholeSchoolMessages(trx: Db, schoolId: string, before: Instant): Promise<number> {
  const ids = (await due(trx, schoolId, before).select('m.id').execute()).map((r) => r.id);
  for (const part of chunks(ids)) {
    const recipients = (await trx.selectFrom('message_recipients').select('id').where('school_id', '=', schoolId).where('message_id', 'in', part).execute()).map((r) => r.id);
    const requests = (await trx.selectFrom('translation_requests').select('id').where('school_id', '=', schoolId).where('message_id', 'in', part).execute()).map((r) => r.id);
    for (const refs of chunks([...recipients, ...requests])) await trx.deleteFrom('outbox').where('school_id', '=', schoolId).where('ref', 'in', refs).execute();
    await trx.deleteFrom('translation_requests').where('school_id', '=', schoolId).where('message_id', 'in', part).execute();
    await trx.deleteFrom('message_translations').where('school_id', '=', schoolId).where('message_id', 'in', part).execute();
    await trx.deleteFrom('message_recipients').where('school_id', '=', schoolId).where('message_id', 'in', part).execute();
    await trx.deleteFrom('messages').where('school_id', '=', schoolId).where('id', 'in', part).execute();
  }
  return ids.length;
}
