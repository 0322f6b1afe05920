import type { Kysely } from 'kysely';
import type { Database, Instant } from '../../db/schema.ts';

import { PAPER_ONLY_CHANNELS, TEXT_ONLY_CHANNELS } from './family-reach.ts';

type Db = Kysely<Database>;
const CHUNK = 900; // ids per IN (...) list: under SQLite's bind limit with room to spare

/**
 * Of these carers, the ones who were sent at least one message between `since` and `until` that they
 * could read online, and had read none of them by `until` (no read_at before it): "families who read
 * nothing last term", for a survey's response rate by group, as things stood when the survey went out.
 * A read after `until` does not count, so once `until` has passed the answer never changes. A carer sent
 * nothing is not counted as reading nothing, nor is one sent everything on paper only (in the print
 * pack) or by an urgent text only: they could never be seen to read it (reach.ts, howTheyGotIt; the
 * survey counts paper-only families on their own).
 */
export async function carersWhoReadNothing(db: Db, schoolId: string, carerIds: readonly string[], since: Instant, until: Instant): Promise<Set<string>> {
  const ids = [...new Set(carerIds)];
  const nothing = new Set<string>();
  const paperOnly = [...PAPER_ONLY_CHANNELS];
  const textOnly = [...TEXT_ONLY_CHANNELS];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('message_recipients as mr')
      .innerJoin('messages as m', 'm.id', 'mr.message_id')
      .select((eb) => {
        const online = eb.and([eb('mr.channels', 'not in', paperOnly), eb.or([eb('m.kind', '!=', 'urgent'), eb('mr.channels', 'not in', textOnly)])]);
        return [
          'mr.carer_id',
          eb.fn.count<number | string>(eb.case().when('mr.read_at', '<', until).then(1).end()).as('read'),
          eb.fn.count<number | string>(eb.case().when(online).then(1).end()).as('readable'),
        ];
      })
      .where('mr.school_id', '=', schoolId)
      .where('mr.carer_id', 'in', ids.slice(i, i + CHUNK))
      .where('mr.created_at', '>=', since)
      .where('mr.created_at', '<', until)
      .groupBy('mr.carer_id')
      .execute();
    for (const r of rows) if (Number(r.read) === 0 && Number(r.readable) > 0) nothing.add(r.carer_id);
  }
  return nothing;
}
