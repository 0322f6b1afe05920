import type { Db } from '../../../db/database.ts';
import type { ExpressionBuilder } from 'kysely';
import type { ComplaintTable, Database, Instant } from '../../../db/schema.ts';
import { concernLink } from '../safeguarding.ts';
import { publicComplaintLink } from './public-triage.ts';
import { carerComplaintLink, complaintLink } from './links.ts';

/**
 * Erasure of complaint files past their retention date (features/retention's schedule): complaints
 * closed before a cut-off. A complaint answered at stage 1 and never taken to the panel is closed on
 * the day its answer went (its stage 1 outcome letter sent or printed): nothing else closes it, and the
 * family's time to ask for the panel is long past six years on. A complaint declined (made too late and
 * not accepted) is closed when it was declined. An open or panel-stage complaint is still needed and
 * never erased. A complaint whose words are marked as safeguarding (an entry of its concern, or the
 * public form) is a safeguarding record too: Gatepost never erases it (the DSL reviews it).
 */
function due(db: Db, schoolId: string, before: Instant) {
  return db
    .selectFrom('complaints as c')
    .where('c.school_id', '=', schoolId)
    .where((eb) => eb.or([eb.and([eb('c.status', 'in', ['closed', 'declined']), eb('c.closed_at', '<', before)]), eb.and([eb('c.status', '=', 'answered'), eb(answeredAt(eb), '<', before)])]))
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('concern_entries as e').select('e.id').where('e.school_id', '=', schoolId).whereRef('e.concern_id', '=', 'c.concern_id').where('e.safeguarding', '=', 1))),
    )
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('public_complaints as p').select('p.id').where('p.school_id', '=', schoolId).whereRef('p.id', '=', 'c.public_complaint_id').where('p.safeguarding', '=', 1))),
    );
}

/** When a complaint answered at stage 1 was answered: its stage 1 outcome letter's sending (the last, if ever more than one). */
function answeredAt(eb: ExpressionBuilder<Database & { c: ComplaintTable }, 'c'>) {
  return eb
    .selectFrom('complaint_letters as l')
    .select((l) => l.fn.max('l.sent_at').as('sent_at'))
    .whereRef('l.complaint_id', '=', 'c.id')
    .where('l.school_id', '=', eb.ref('c.school_id'))
    .where('l.stage', '=', 'stage_1')
    .where('l.status', '!=', 'draft');
}

/** How many complaint files were closed before the cut-off (and may be erased), and the oldest closing. */
export async function closedComplaintsDue(db: Db, schoolId: string, before: Instant): Promise<{ count: number; oldest: Instant | null }> {
  const row = await due(db, schoolId, before)
    .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min(eb.fn.coalesce('c.closed_at', answeredAt(eb))).as('oldest')])
    .executeTakeFirst();
  return { count: Number(row?.n ?? 0), oldest: (row?.oldest as Instant | null | undefined) ?? null };
}

/**
 * Erase every complaint file closed before the cut-off, with every row of it, children first: the
 * emails about it in the outbox (by reference, and staff alert emails by their key), staff alerts
 * linking to it, case people, timeline, letters, panel papers, a serial or vexatious closure, the
 * complaint, then the concern that holds the complainant's words (with its entries) and the public
 * form. Run it inside the caller's transaction. Returns how many complaints went.
 */
export async function eraseClosedComplaints(trx: Db, schoolId: string, before: Instant): Promise<number> {
  const files = await due(trx, schoolId, before).select(['c.id', 'c.concern_id', 'c.public_complaint_id']).execute();
  for (const c of files) {
    const ids = [c.id, c.concern_id, c.public_complaint_id].filter((x): x is string => x !== null);
    // The concern goes with the complaint unless another complaint still rests on it.
    const concernShared =
      c.concern_id !== null &&
      (await trx.selectFrom('complaints').select('id').where('school_id', '=', schoolId).where('concern_id', '=', c.concern_id).where('id', '!=', c.id).executeTakeFirst()) !== undefined;
    await trx
      .deleteFrom('outbox')
      .where('school_id', '=', schoolId)
      .where('ref', 'in', concernShared ? ids.filter((x) => x !== c.concern_id) : ids)
      .execute();
    await trx.deleteFrom('outbox').where('school_id', '=', schoolId).where('idempotency_key', 'like', `%${c.id}%`).execute();
    const links = [complaintLink(c.id), carerComplaintLink(c.id)];
    if (c.concern_id && !concernShared) links.push(concernLink(c.concern_id));
    if (c.public_complaint_id) links.push(publicComplaintLink(c.public_complaint_id));
    await trx.deleteFrom('staff_alerts').where('school_id', '=', schoolId).where('link', 'in', links).execute();
    for (const table of ['complaint_people', 'complaint_events', 'complaint_letters', 'complaint_closures', 'complaint_papers'] as const) {
      await trx.deleteFrom(table).where('school_id', '=', schoolId).where('complaint_id', '=', c.id).execute();
    }
    await trx.deleteFrom('complaints').where('school_id', '=', schoolId).where('id', '=', c.id).execute();
    if (c.concern_id && !concernShared) {
      await trx.deleteFrom('concern_entries').where('school_id', '=', schoolId).where('concern_id', '=', c.concern_id).execute();
      await trx.deleteFrom('concerns').where('school_id', '=', schoolId).where('id', '=', c.concern_id).execute();
    }
    if (c.public_complaint_id) await trx.deleteFrom('public_complaints').where('school_id', '=', schoolId).where('id', '=', c.public_complaint_id).execute();
  }
  return files.length;
}
