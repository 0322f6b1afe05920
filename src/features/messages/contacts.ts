import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { alertSafeguardingLeads } from '../../platform/safeguarding/safeguarding.ts';
import { checkbox } from '../../platform/web/forms.ts';
import { CONTACT_KIND_LABELS, type ContactKind } from './family-reach.ts';

type Db = Kysely<Database>;

export const CONTACT_KINDS = Object.keys(CONTACT_KIND_LABELS) as [ContactKind, ...ContactKind[]];
export const NOTE_MAX = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The contact form. `form_id` is made when the form is drawn and becomes the contact's id, so
 * pressing the button twice (or resending the form) records the contact once.
 */
export const ContactForm = z.object({
  kind: z.enum(CONTACT_KINDS, { error: 'Choose how you were in touch' }),
  note: z
    .string({ error: 'Enter a note: what was said, or what happens next' })
    .trim()
    .min(1, 'Enter a note: what was said, or what happens next')
    .max(NOTE_MAX, `The note must be ${NOTE_MAX} characters or fewer`),
  form_id: z.string({ error: 'This form has expired. Go back, refresh the page and try again.' }).regex(UUID, 'This form has expired. Go back, refresh the page and try again.'),
  /** "This is a safeguarding concern": the DSL and deputies are told at once, and only they read the note. */
  safeguarding: checkbox,
});
export type ContactInput = z.infer<typeof ContactForm>;

export const CONTACT_SAFEGUARDING_ALERT_TITLE = 'A safeguarding concern was recorded in a contact note';

/** Where the DSL reads a contact's note: the family's reach page, with its calls and conversations. */
export const contactsLink = (carerId: string) => `/carers/${carerId}/reach`;

/**
 * Record a phone call, a conversation at the gate or another contact with a carer, with its audit
 * entry, in one transaction. Returns false when this form was saved already (nothing changes).
 * A note marked as a safeguarding concern alerts the DSL and deputies in the same transaction
 * (platform/safeguarding); the note's words never go into the audit log or the alert.
 */
export async function recordContact(db: Db, actor: Actor & { kind: 'staff' }, carerId: string, input: ContactInput, now: Date, baseUrl: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('contact_log')
      .values({ id: input.form_id, school_id: actor.schoolId, carer_id: carerId, staff_id: actor.id, kind: input.kind, note: input.note, safeguarding: input.safeguarding, at: now.toISOString() })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      const same = await trx.selectFrom('contact_log').select('id').where('id', '=', input.form_id).where('carer_id', '=', carerId).where('staff_id', '=', actor.id).executeTakeFirst();
      if (!same) throw new AppError('conflict', 'This form has expired. Go back, refresh the page and try again.');
      return false;
    }
    await audit(
      trx,
      actor,
      { schoolId: actor.schoolId, action: 'contact.recorded', entity: 'carer', entityId: carerId, after: { contact_id: input.form_id, kind: input.kind, safeguarding: input.safeguarding } },
      now,
    );
    if (input.safeguarding) {
      const mark = { schoolId: actor.schoolId, title: CONTACT_SAFEGUARDING_ALERT_TITLE, link: contactsLink(carerId), key: `safeguarding-contact:${input.form_id}`, markedBy: actor.id };
      await alertSafeguardingLeads(trx, mark, now, baseUrl);
    }
    return true;
  });
}

/**
 * Mark a contact already saved as a safeguarding concern (compare-and-set: once only), with the
 * same alert as when it is ticked on the form. From then on only the DSL and deputies read its note.
 * 'missing' when the contact is not this carer's in this school.
 */
export async function markContactSafeguarding(db: Db, actor: Actor & { kind: 'staff' }, carerId: string, contactId: string, now: Date, baseUrl: string): Promise<'marked' | 'already' | 'missing'> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('contact_log')
      .set({ safeguarding: 1 })
      .where('id', '=', contactId)
      .where('carer_id', '=', carerId)
      .where('school_id', '=', actor.schoolId)
      .where('safeguarding', '=', 0)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      const exists = await trx.selectFrom('contact_log').select('id').where('id', '=', contactId).where('carer_id', '=', carerId).where('school_id', '=', actor.schoolId).executeTakeFirst();
      return exists ? 'already' : 'missing';
    }
    await audit(
      trx,
      actor,
      { schoolId: actor.schoolId, action: 'contact.marked_safeguarding', entity: 'contact', entityId: contactId, before: { safeguarding: 0 }, after: { safeguarding: 1, carer_id: carerId } },
      now,
    );
    const mark = { schoolId: actor.schoolId, title: CONTACT_SAFEGUARDING_ALERT_TITLE, link: contactsLink(carerId), key: `safeguarding-contact:${contactId}`, markedBy: actor.id };
    await alertSafeguardingLeads(trx, mark, now, baseUrl);
    return 'marked';
  });
}

/** Who passed each of these contacts to the DSL after it was saved, and when (from the audit): none for one ticked on the form. */
export async function contactsMarkedLater(db: Db, schoolId: string, contactIds: string[]): Promise<Map<string, { by: string | null; at: string }>> {
  const out = new Map<string, { by: string | null; at: string }>();
  if (contactIds.length === 0) return out;
  const rows = await db
    .selectFrom('audit_log')
    .select(['entity_id', 'actor_id', 'at'])
    .where('school_id', '=', schoolId)
    .where('action', '=', 'contact.marked_safeguarding')
    .where('entity_id', 'in', contactIds)
    .execute();
  for (const r of rows) out.set(r.entity_id!, { by: r.actor_id, at: r.at });
  return out;
}
