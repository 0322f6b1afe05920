import type { Kysely } from 'kysely';
import type { Database, LocalDate } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { audit } from '../../platform/audit/audit.ts';
import { textIn } from '../../platform/i18n/catalog.ts';
import { dateIn } from '../../platform/i18n/dates.ts';
import { carerLanguage, ENGLISH } from '../../platform/i18n/languages.ts';
import { newId } from '../../platform/ids.ts';
import { recipientsFor, sendMessage, type SendContext } from '../messages/index.ts';
import { bandOf, percentShare, percentTenths } from './figures.ts';

/**
 * "Tell families": each family with a child in a saved import is sent that child's figure, as an
 * individual message through the messages feature's own send (one message per child, to the carers
 * recipientsFor lets hear about that child for the purpose 'individual': "may receive information",
 * no restriction in force; written to the outbox in the same transaction). The words are the carer
 * page's own (attendance i18n), in each carer's language with the English beneath, as every message.
 *
 * Nothing lost, nothing twice: each child's message is first written as a draft and claimed on the
 * pupil's figure (`told_message_id`, compare-and-set, one transaction), then sent (messages' own
 * claim on the draft). If the process stops part-way, pressing again sends the claimed drafts and the
 * children not yet reached, and nothing already sent; two presses at once share the children out.
 * `families_told_at` is set once every child is done, and then a press sends nothing.
 */
export type Told = { status: 'told'; children: number; families: number; nobody: number } | { status: 'already_told' } | { status: 'not_saved' };

/** Thrown inside a child's claim to undo its draft when another press claimed the child first. */
class ClaimedElsewhere extends Error {}

export async function tellFamilies(db: Kysely<Database>, q: { schoolId: string; importId: string; actor: Actor & { kind: 'staff' }; send: SendContext }): Promise<Told> {
  const stored = await db.selectFrom('attendance_imports').select(['as_of', 'applied_at', 'families_told_at']).where('school_id', '=', q.schoolId).where('id', '=', q.importId).executeTakeFirst();
  if (!stored?.applied_at) return { status: 'not_saved' };
  if (stored.families_told_at) return { status: 'already_told' };

  const figures = await db
    .selectFrom('attendance_figures')
    .innerJoin('pupils', (j) => j.onRef('pupils.id', '=', 'attendance_figures.pupil_id').onRef('pupils.school_id', '=', 'attendance_figures.school_id'))
    .leftJoin('messages', (j) => j.onRef('messages.id', '=', 'attendance_figures.told_message_id').onRef('messages.school_id', '=', 'attendance_figures.school_id'))
    .select([
      'attendance_figures.id',
      'attendance_figures.pupil_id',
      'attendance_figures.sessions_possible',
      'attendance_figures.sessions_attended',
      'attendance_figures.told_message_id',
      'messages.status as message_status',
      'pupils.given_name',
      'pupils.preferred_name',
    ])
    .where('attendance_figures.school_id', '=', q.schoolId)
    .where('attendance_figures.import_id', '=', q.importId)
    .where('pupils.archived_at', 'is', null)
    .orderBy('attendance_figures.pupil_id')
    .execute();

  let children = 0;
  let families = 0;
  let nobody = 0;
  for (const f of figures) {
    if (f.message_status === 'sent') continue; // told before this press
    let messageId = f.told_message_id;
    if (!messageId) {
      const audience = { kind: 'pupils' as const, pupilIds: [f.pupil_id] };
      const { recipients } = await recipientsFor(db, q.schoolId, 'individual', audience, q.send.today);
      if (recipients.length === 0) {
        nobody += 1;
        continue;
      }
      messageId = await claimDraft(db, q, { ...f, as_of: stored.as_of }, audience, recipients);
      if (!messageId) continue; // another press has this child
    }
    try {
      const sent = await sendMessage(db, q.actor, q.schoolId, messageId, q.send);
      children += 1;
      families += sent.recipients;
    } catch (e) {
      // Sent by another press a moment ago, or nobody may hear about this child any more: nothing to send.
      if (e instanceof AppError && (e.code === 'conflict' || e.code === 'bad_request')) continue;
      throw e;
    }
  }
  const finished = await db
    .updateTable('attendance_imports')
    .set({ families_told_at: q.send.now.toISOString() })
    .where('school_id', '=', q.schoolId)
    .where('id', '=', q.importId)
    .where('families_told_at', 'is', null)
    .executeTakeFirst();
  if (Number(finished.numUpdatedRows) !== 1 && children === 0) return { status: 'already_told' };
  await audit(
    db,
    q.actor,
    { schoolId: q.schoolId, action: 'attendance.families_told', entity: 'attendance_import', entityId: q.importId, after: { children, carers: families, nobody_to_tell: nobody } },
    q.send.now,
  );
  return { status: 'told', children, families, nobody };
}

/**
 * The child's message written as a draft and claimed on their figure in one transaction; null when
 * another press claimed the child first (the draft is undone with it).
 */
async function claimDraft(
  db: Kysely<Database>,
  q: { schoolId: string; actor: Actor & { kind: 'staff' }; send: SendContext },
  f: { id: string; sessions_possible: number; sessions_attended: number; given_name: string; preferred_name: string | null; as_of: LocalDate },
  audience: { kind: 'pupils'; pupilIds: string[] },
  recipients: readonly { language: string }[],
): Promise<string | null> {
  const tenths = percentTenths(f.sessions_attended, f.sessions_possible);
  const name = f.preferred_name || f.given_name;
  const words = (code: string) => {
    const t = textIn(code);
    const lines = [t('attendance.carer.figure', { name, share: percentShare(tenths), date: dateIn(code, f.as_of) })];
    if (bandOf(tenths) !== 'ok') lines.push(t('attendance.carer.support', { name }), t('attendance.carer.talkOffice'));
    return { subject: `${t('attendance.carer.heading')}: ${name}`, body: lines.join('\n\n') };
  };
  const english = words(ENGLISH);
  const id = newId();
  const at = q.send.now.toISOString();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('messages')
        .values({
          id,
          school_id: q.schoolId,
          kind: 'individual',
          tone: bandOf(tenths) === 'ok' ? 'information' : 'concern',
          subject: english.subject,
          body: english.body,
          audience_json: JSON.stringify(audience),
          asks_acknowledgement: 0,
          status: 'draft',
          scheduled_for: null,
          sent_at: null,
          created_by: q.actor.id,
          created_at: at,
          updated_at: at,
        })
        .execute();
      // Each carer's language Gatepost has words in (not English): the same words, from the catalog.
      const languages = new Set(recipients.map((r) => r.language).filter((l) => carerLanguage(l).code !== ENGLISH && carerLanguage(l).name === l));
      for (const language of languages) {
        const own = words(carerLanguage(language).code);
        await trx
          .insertInto('message_translations')
          .values({
            id: newId(),
            school_id: q.schoolId,
            message_id: id,
            language,
            subject: own.subject,
            body: own.body,
            source: 'person',
            status: 'written',
            written_by: null,
            written_by_carer: null,
            checked_by: null,
            updated_at: at,
          })
          .execute();
      }
      const claimed = await trx
        .updateTable('attendance_figures')
        .set({ told_message_id: id })
        .where('school_id', '=', q.schoolId)
        .where('id', '=', f.id)
        .where('told_message_id', 'is', null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) throw new ClaimedElsewhere();
    });
  } catch (e) {
    if (e instanceof ClaimedElsewhere) return null;
    throw e;
  }
  return id;
}
