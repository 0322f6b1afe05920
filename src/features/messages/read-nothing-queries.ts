import type { Kysely } from 'kysely';
import type { Database, Instant } from '../../db/schema.ts';

type Db = Kysely<Database>;
const CHUNK = 900; // ids per IN (...) list: under SQLite's bind limit with room to spare

/**
 * Of these carers, the ones who were sent at least one message between `since` and `until` and had
 * read none of them by `until` (no read_at before it): "families who read nothing last term", for a
 * survey's response rate by group, as things stood when the survey went out. A read after `until`
 * does not count, so once `until` has passed the answer never changes. A carer sent nothing is not
 * counted as reading nothing.
 */
export async function carersWhoReadNothing(db: Db, schoolId: string, carerIds: readonly string[], since: Instant, until: Instant): Promise<Set<string>> {
  const ids = [...new Set(carerIds)];
  const nothing = new Set<string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('message_recipients')
      .select(['carer_id', (eb) => eb.fn.count<number | string>(eb.case().when('read_at', '<', until).then(1).end()).as('read')])
      .where('school_id', '=', schoolId)
      .where('carer_id', 'in', ids.slice(i, i + CHUNK))
      .where('created_at', '>=', since)
      .where('created_at', '<', until)
      .groupBy('carer_id')
      .execute();
    for (const r of rows) if (Number(r.read) === 0) nothing.add(r.carer_id);
  }
  return nothing;
}
