import type { Kysely } from 'kysely';

/**
 * Indexes for statements that run every few seconds or on every page of a kind, and walked a table
 * that grows for years when the database had no statistics for it (a school that began empty):
 *
 * - the scheduled-message run, every 30 s on every app server: the messages due (status, due time);
 *   the school's index could not serve it (the run looks across schools), so it read every message
 *   (features/messages/send.ts, sendDueMessages);
 * - a carer's home page: their open actions from meetings (features/meetings/carer-actions-queries.ts),
 *   which read every action of every meeting;
 * - a carer's surveys page: their invitations (features/surveys/queries.ts, surveysOfCarer), which
 *   read every invitation of every survey;
 * - the staff messages page: the newest hundred messages (features/messages/queries.ts), which read
 *   and sorted every message the school ever sent (13 ms at 30,000 messages, every view).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('messages_scheduled_due').on('messages').columns(['status', 'scheduled_for']).execute();
  await db.schema.createIndex('meeting_actions_carer').on('meeting_actions').columns(['carer_id', 'due_on']).execute();
  await db.schema.createIndex('survey_invitations_carer').on('survey_invitations').column('carer_id').execute();
  await db.schema.createIndex('messages_school_updated').on('messages').columns(['school_id', 'updated_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
