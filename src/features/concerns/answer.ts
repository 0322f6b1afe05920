import type { Db } from '../../db/database.ts';
import { alertStaff } from '../../platform/alerts/alerts.ts';
import { audit } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import type { AnswerInput } from './concerns.ts';
import type { Concern } from './queries.ts';
import { concernLink } from './safeguarding.ts';

/**
 * The family's one-click answer to "Is it resolved?" on a closed concern. "Yes" resolves it.
 * "Not yet" opens it again (with their words, when they give some) and tells the owner at once,
 * in the app and by email. Compare-and-set on the status: a second click changes nothing.
 * The caller has checked the concern is this carer's and they may still hear about the child.
 */
export type AnswerResult = 'resolved' | 'reopened' | 'not_closed';

export async function answerConcern(
  db: Db,
  carer: { id: string; schoolId: string; ip?: string | null },
  concern: Concern,
  input: AnswerInput,
  ctx: { now: Date; baseUrl: string },
): Promise<AnswerResult> {
  const at = ctx.now.toISOString();
  const resolved = input.answer === 'yes';
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('concerns')
      .set(resolved ? { status: 'resolved', answered_at: at, updated_at: at } : { status: 'open', answered_at: at, updated_at: at, reopened_count: concern.reopened_count + 1 })
      .where('id', '=', concern.id)
      .where('school_id', '=', carer.schoolId)
      .where('carer_id', '=', carer.id)
      .where('status', '=', 'closed')
      .where('reopened_count', '=', concern.reopened_count)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return 'not_closed' as const;
    const why = input.why?.trim();
    if (!resolved) {
      await trx
        .insertInto('concern_entries')
        .values({
          id: newId(),
          school_id: carer.schoolId,
          concern_id: concern.id,
          kind: 'not_yet',
          body: why || 'Not resolved yet (no reason given).',
          contact_how: null,
          safeguarding: 0,
          written_by_kind: 'carer',
          staff_id: null,
          carer_id: carer.id,
          created_at: at,
        })
        .execute();
    }
    await audit(
      trx,
      { kind: 'carer', id: carer.id, schoolId: carer.schoolId, ip: carer.ip ?? null },
      {
        schoolId: carer.schoolId,
        action: resolved ? 'concern.resolved' : 'concern.reopened',
        entity: 'concern',
        entityId: concern.id,
        before: { status: 'closed' },
        after: resolved ? { status: 'resolved' } : { status: 'open', reopened_count: concern.reopened_count + 1 },
      },
      ctx.now,
    );
    if (!resolved) {
      const owner = concern.owner_id ?? concern.closed_by;
      if (owner) {
        await alertStaff(
          trx,
          {
            schoolId: carer.schoolId,
            staffIds: [owner],
            kind: 'referral',
            title: 'A family says their concern is not resolved yet: it is open again',
            link: concernLink(concern.id),
            key: `concern-reopened:${concern.id}:${concern.reopened_count + 1}`,
          },
          ctx.now,
          ctx.baseUrl,
        );
      }
    }
    return resolved ? ('resolved' as const) : ('reopened' as const);
  });
}
