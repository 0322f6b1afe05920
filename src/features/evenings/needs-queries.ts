import type { Db } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';
import type { LocalDate } from '../../db/schema.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import { bookableChildren } from './booking.ts';
import { eveningWithSessions, familyRows } from './booking-queries.ts';
import { needsClosed, sameNeeds, type Needs } from './needs.ts';

/** Reads and the one write of `evening_needs` (migration 0048). Every query is scoped by school. */

type Who = { schoolId: string; eveningId: string; carerId: string };

/** What the carer asked for at this evening (null: nothing yet), and what the school recorded about their language. */
export async function needsOfCarer(db: Db, q: Who) {
  const [row] = await carerAndNeeds(db, q);
  if (!row) return null;
  return {
    stored: row.needs_id ? ({ interpreterLanguage: row.interpreter_language ?? null, accessNote: row.access_note ?? null } satisfies Needs) : null,
    carer: { preferredLanguage: row.preferred_language, interpreterNeeded: Number(row.interpreter_needed) === 1 },
  };
}

// Prepared: every booking page and booking reads it (a rush, hundreds a second).
const carerAndNeeds = prepared(
  ['schoolId', 'eveningId', 'carerId'],
  (db, q: Who) =>
    db
      .selectFrom('carers')
      .leftJoin('evening_needs as n', (j) => j.onRef('n.carer_id', '=', 'carers.id').on('n.evening_id', '=', q.eveningId).on('n.school_id', '=', q.schoolId))
      .select(['carers.preferred_language', 'carers.interpreter_needed', 'n.id as needs_id', 'n.interpreter_language', 'n.access_note'])
      .where('carers.id', '=', q.carerId)
      .where('carers.school_id', '=', q.schoolId),
  { keepPlan: true }, // a read by key (src/db/kept-plans.ts)
);

/**
 * May this carer say what would help them at this evening? Only at a published evening with a child
 * of theirs they may book for (in its classes, may receive information, no restriction in force):
 * the same children the booking page shows. Anyone else is answered "page not found" ('no').
 * 'over': the evening has taken place, and it can no longer be changed (needsClosed).
 */
export async function mayAskAt(db: Db, q: Who & { today: LocalDate }): Promise<'yes' | 'no' | 'over'> {
  const [{ evening, sessions }, family] = await Promise.all([eveningWithSessions(db, q.schoolId, q.eveningId), familyRows(db, q)]);
  if (!evening?.published_at || bookableChildren(family).length === 0) return 'no';
  return needsClosed(sessions, q.today) ? 'over' : 'yes';
}

/**
 * Record what the carer asked for (by the carer, or staff for them), with an audit entry of what
 * changed, in one transaction. Saving the same again changes nothing and writes no entry.
 */
export async function saveNeeds(db: Db, actor: Actor, q: Who, needs: Needs, now: Date): Promise<'saved' | 'unchanged'> {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('evening_needs')
      .select(['id', 'interpreter_language', 'access_note'])
      .where('school_id', '=', q.schoolId)
      .where('evening_id', '=', q.eveningId)
      .where('carer_id', '=', q.carerId)
      .executeTakeFirst();
    const was: Needs | null = before ? { interpreterLanguage: before.interpreter_language, accessNote: before.access_note } : null;
    if (was ? sameNeeds(was, needs) : needs.interpreterLanguage === null && needs.accessNote === null) return 'unchanged';
    const at = now.toISOString();
    const by = { changed_by_kind: actor.kind === 'staff' ? ('staff' as const) : ('carer' as const), changed_by_id: actor.kind === 'system' ? q.carerId : actor.id };
    const id = before?.id ?? newId();
    await trx
      .insertInto('evening_needs')
      .values({
        id,
        school_id: q.schoolId,
        evening_id: q.eveningId,
        carer_id: q.carerId,
        interpreter_language: needs.interpreterLanguage,
        access_note: needs.accessNote,
        ...by,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.columns(['school_id', 'evening_id', 'carer_id']).doUpdateSet({ interpreter_language: needs.interpreterLanguage, access_note: needs.accessNote, ...by, updated_at: at }))
      .execute();
    await audit(
      trx,
      actor,
      {
        schoolId: q.schoolId,
        action: 'evening_needs.changed',
        entity: 'evening_needs',
        entityId: id,
        before: { evening_id: q.eveningId, carer_id: q.carerId, interpreter_language: was?.interpreterLanguage ?? null, access_note: was?.accessNote ?? null },
        after: { evening_id: q.eveningId, carer_id: q.carerId, interpreter_language: needs.interpreterLanguage, access_note: needs.accessNote },
      },
      now,
    );
    return 'saved';
  });
}

/** What each of these carers asked for at this evening (those who asked for something). */
export async function needsAt(db: Db, schoolId: string, eveningId: string, carerIds?: readonly string[]): Promise<Map<string, Needs>> {
  if (carerIds && carerIds.length === 0) return new Map();
  let query = db
    .selectFrom('evening_needs')
    .select(['carer_id', 'interpreter_language', 'access_note'])
    .where('school_id', '=', schoolId)
    .where('evening_id', '=', eveningId)
    .where((eb) => eb.or([eb('interpreter_language', 'is not', null), eb('access_note', 'is not', null)]));
  if (carerIds) query = query.where('carer_id', 'in', [...new Set(carerIds)]);
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.carer_id, { interpreterLanguage: r.interpreter_language, accessNote: r.access_note }]));
}
