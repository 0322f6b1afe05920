import type { Kysely } from 'kysely';

/**
 * A meeting's agenda emails are found by the outbox's indexed `ref` (the meeting), no longer by a
 * key pattern that walked the whole outbox (src/features/meetings/agenda.ts, agendaEmailsStatement).
 * The agenda emails written before carry no `ref`: each is given its meeting's id, read from its
 * key (`email:agenda:<meeting>:<version>:<carer>`), so an agenda already sent is not sent again and
 * the meeting page still says when it went. One walk of the outbox, once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const rows: { id: string; idempotency_key: string }[] = await db
    .selectFrom('outbox')
    .select(['id', 'idempotency_key'])
    .where('idempotency_key', 'like', 'email:agenda:%')
    .where('ref', 'is', null)
    .execute();
  const byMeeting = new Map<string, string[]>();
  for (const row of rows) {
    const [channel, kind, meetingId] = row.idempotency_key.split(':');
    if (channel !== 'email' || kind !== 'agenda' || !meetingId) continue; // SQLite's LIKE ignores case
    byMeeting.set(meetingId, [...(byMeeting.get(meetingId) ?? []), row.id]);
  }
  for (const [meetingId, ids] of byMeeting) {
    for (let i = 0; i < ids.length; i += 500) {
      await db
        .updateTable('outbox')
        .set({ ref: meetingId })
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
    }
  }
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
