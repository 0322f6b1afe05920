import type { Kysely } from 'kysely';
import type { Database, Instant, LocalDate } from '../../db/schema.ts';
import { volunteerPageState, type VolunteerPageState } from './volunteer-translation.ts';
import type { TranslatorsFor } from './volunteer-translation-commands.ts';

/** A request done (answered, closed or overtaken) this many days ago or less is still shown to its volunteer. */
export const RECENT_REQUEST_DAYS = 30;

/** Where a request stands on the volunteer's list: their page's states, and "written" (theirs is saved, not yet checked). */
export type VolunteerListState = VolunteerPageState | 'written';

export type VolunteerRequestItem = { id: string; language: string; subject: string; askedAt: Instant; doneAt: Instant | null; state: VolunteerListState };

/**
 * The translation requests asked of one carer, for their volunteering page: those waiting for them
 * (asked, still open), oldest first, and those done in the last 30 days with where each stands, newest
 * first. Only the carer's own; the message's English title and nothing about who receives it.
 */
export async function translationRequestsOfVolunteer(
  db: Kysely<Database>,
  schoolId: string,
  carerId: string,
  today: LocalDate,
  now: Date,
  translatorsFor: TranslatorsFor,
): Promise<{ waiting: VolunteerRequestItem[]; recent: VolunteerRequestItem[] }> {
  const since = new Date(now.getTime() - RECENT_REQUEST_DAYS * 86_400_000).toISOString();
  const rows = await db
    .selectFrom('translation_requests as r')
    .innerJoin('messages as m', (j) => j.onRef('m.id', '=', 'r.message_id').onRef('m.school_id', '=', 'r.school_id'))
    .leftJoin('message_translations as mt', (j) => j.onRef('mt.message_id', '=', 'r.message_id').onRef('mt.school_id', '=', 'r.school_id').onRef('mt.language', '=', 'r.language'))
    .select([
      'r.id',
      'r.language',
      'r.status',
      'r.carer_id',
      'r.volunteer_id',
      'r.asked_at',
      'r.answered_at',
      'm.subject',
      'm.status as messageStatus',
      'mt.status as translationStatus',
      'mt.written_by_carer',
      'mt.body as translationBody',
    ])
    .where('r.school_id', '=', schoolId)
    .where('r.carer_id', '=', carerId)
    .where((eb) => eb.or([eb('r.status', '=', 'asked'), eb('r.asked_at', '>=', since), eb('r.answered_at', '>=', since)]))
    .orderBy('r.asked_at')
    .orderBy('r.id')
    .execute();

  // Whether the volunteer may still be asked into each language (approved, in date, not restricted).
  const offered = new Map<string, boolean>();
  const stillOffered = async (language: string, volunteerId: string) => {
    const key = `${volunteerId}:${language}`;
    if (!offered.has(key)) offered.set(key, (await translatorsFor(db, schoolId, language, today, volunteerId)).length === 1);
    return offered.get(key)!;
  };

  const waiting: VolunteerRequestItem[] = [];
  const recent: VolunteerRequestItem[] = [];
  for (const row of rows) {
    const translation = row.translationStatus ? { status: row.translationStatus, written_by_carer: row.written_by_carer, body: row.translationBody ?? '' } : null;
    const pageState = volunteerPageState(row, { status: row.messageStatus }, translation, await stillOffered(row.language, row.volunteer_id));
    const item: VolunteerRequestItem = {
      id: row.id,
      language: row.language,
      subject: row.subject,
      askedAt: row.asked_at,
      doneAt: row.answered_at,
      state: pageState === 'open' && row.status === 'written' ? 'written' : pageState,
    };
    if (item.state === 'open') waiting.push(item);
    else if ((item.doneAt ?? item.askedAt) >= since) recent.push(item);
  }
  recent.sort((a, b) => (b.doneAt ?? b.askedAt).localeCompare(a.doneAt ?? a.askedAt));
  return { waiting, recent };
}
