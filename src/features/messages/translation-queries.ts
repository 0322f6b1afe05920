import { sql, type Kysely } from 'kysely';
import type { Database, MessageTable, MessageTranslationTable } from '../../db/schema.ts';
import type { Dialect } from '../../db/database.ts';
import { lockedOnPostgres } from '../../db/locks.ts';
import { hasAnyRole, WHOLE_SCHOOL_ROLES, type StaffUser } from '../../platform/access/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { Audience } from './audience.ts';
import { getMessage } from './queries.ts';
import { recipientsFor } from './recipient-queries.ts';

type Db = Kysely<Database>;

/**
 * A message this person may look at, as on /messages/:messageId: leaders and pastoral staff see
 * every message of their school; everyone else only the ones they wrote. Anything else is 404.
 */
export async function messageVisibleTo(db: Db, user: StaffUser, messageId: string): Promise<MessageTable> {
  const message = await getMessage(db, user.schoolId, messageId);
  if (!message) throw notFound();
  if (message.created_by !== user.id && !hasAnyRole(user, WHOLE_SCHOOL_ROLES)) throw notFound();
  return message;
}

/**
 * How many recipients read each language other than English. Before sending: worked out from the
 * audience now (as the message page does); after: what each carer was sent in.
 */
export async function languagesRead(db: Db, message: MessageTable, today: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (message.status === 'sent') {
    const rows = await db
      .selectFrom('message_recipients')
      .select(['language', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('message_id', '=', message.id)
      .groupBy('language')
      .execute();
    for (const r of rows) if (r.language !== 'English') counts.set(r.language, Number(r.n));
    return counts;
  }
  const audience = Audience.parse(JSON.parse(message.audience_json));
  const { recipients } = await recipientsFor(db, message.school_id, message.kind, audience, today);
  for (const r of recipients) if (r.language !== 'English') counts.set(r.language, (counts.get(r.language) ?? 0) + 1);
  return counts;
}

export type TranslationRow = MessageTranslationTable & { writer_name: string | null; checker_name: string | null };

/** The translations of one message, with who wrote (a member of staff, or a volunteer parent) and who checked them. */
export async function translationsWithNames(db: Db, messageId: string): Promise<TranslationRow[]> {
  return db
    .selectFrom('message_translations')
    .leftJoin('staff as writer', 'writer.id', 'message_translations.written_by')
    .leftJoin('staff as checker', 'checker.id', 'message_translations.checked_by')
    .leftJoin('carers as volunteer', (j) => j.onRef('volunteer.id', '=', 'message_translations.written_by_carer').onRef('volunteer.school_id', '=', 'message_translations.school_id'))
    .selectAll('message_translations')
    .select([
      // A volunteer parent who wrote it is named as a carer is, and said to be a volunteer.
      sql<
        string | null
      >`case when writer.id is not null then writer.title || ' ' || writer.family_name when volunteer.id is not null then volunteer.given_name || ' ' || volunteer.family_name || ' (volunteer)' else null end`.as(
        'writer_name',
      ),
      sql<string | null>`case when checker.id is null then null else checker.title || ' ' || checker.family_name end`.as('checker_name'),
    ])
    .where('message_translations.message_id', '=', messageId)
    .orderBy('message_translations.language')
    .execute();
}

/**
 * Read the message again inside a transaction that changes a translation, and say whether it may
 * still change. On PostgreSQL the row is locked, so a send running at the same moment either waits
 * for this change (and sends it) or has already sent (and this change is refused). SQLite runs one
 * writer at a time.
 */
export async function lockMessageForChange(trx: Db, dialect: Dialect, messageId: string): Promise<MessageTable | undefined> {
  return lockedOnPostgres(dialect, trx.selectFrom('messages').selectAll().where('id', '=', messageId)).executeTakeFirst();
}
