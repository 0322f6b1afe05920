// The policy register: policies, their owners and reviews, and each policy's document.
import type { Transaction } from 'kysely';
import type { Database } from './types.ts';
import { audit } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import { staffActor, type Db, type Done, type Policy, type StaffActor } from './common.ts';
import type { PolicyInput } from './forms.ts';
import { aYearOn } from './sections.ts';

async function ownerInSchool(db: Db | Transaction<Database>, schoolId: string, staffId: string): Promise<boolean> {
  return !!(await db.selectFrom('staff').select('id').where('school_id', '=', schoolId).where('id', '=', staffId).where('archived_at', 'is', null).executeTakeFirst());
}

export async function createPolicy(db: Db, by: StaffActor, input: PolicyInput, now: Date): Promise<Done> {
  if (!(await ownerInSchool(db, by.schoolId, input.owner))) return { ok: false, field: 'owner', message: 'Choose who owns the policy from the list' };
  const id = newId();
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('policies')
      .values({
        id,
        school_id: by.schoolId,
        title: input.title,
        owner_id: input.owner,
        statutory_yearly: input.statutory_yearly,
        last_reviewed_on: input.last_reviewed_on,
        next_review_on: input.next_review_on,
        body: input.body,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await audit(
      trx,
      staffActor(by),
      { schoolId: by.schoolId, action: 'policy.created', entity: 'policy', entityId: id, after: { title: input.title, owner_id: input.owner, next_review_on: input.next_review_on } },
      now,
    );
  });
  return { ok: true, id };
}

export async function updatePolicy(db: Db, by: StaffActor, policy: Policy, input: PolicyInput, now: Date): Promise<Done> {
  if (!(await ownerInSchool(db, by.schoolId, input.owner))) return { ok: false, field: 'owner', message: 'Choose who owns the policy from the list' };
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('policies')
      .set({
        title: input.title,
        owner_id: input.owner,
        statutory_yearly: input.statutory_yearly,
        last_reviewed_on: input.last_reviewed_on,
        next_review_on: input.next_review_on,
        body: input.body,
        updated_at: now.toISOString(),
      })
      .where('id', '=', policy.id)
      .where('school_id', '=', by.schoolId)
      .execute();
    await audit(
      trx,
      staffActor(by),
      {
        schoolId: by.schoolId,
        action: 'policy.updated',
        entity: 'policy',
        entityId: policy.id,
        before: { title: policy.title, owner_id: policy.owner_id, next_review_on: policy.next_review_on, text_changed: false },
        after: { title: input.title, owner_id: input.owner, next_review_on: input.next_review_on, text_changed: input.body !== policy.body },
      },
      now,
    );
  });
  return { ok: true, id: policy.id };
}

/** Reviewed today: the next review is a year on. */
export async function markReviewed(db: Db, by: StaffActor, policy: Policy, today: string, now: Date): Promise<void> {
  const next = aYearOn(today);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('policies').set({ last_reviewed_on: today, next_review_on: next, updated_at: now.toISOString() }).where('id', '=', policy.id).where('school_id', '=', by.schoolId).execute();
    await audit(
      trx,
      staffActor(by),
      {
        schoolId: by.schoolId,
        action: 'policy.reviewed',
        entity: 'policy',
        entityId: policy.id,
        before: { last_reviewed_on: policy.last_reviewed_on, next_review_on: policy.next_review_on },
        after: { last_reviewed_on: today, next_review_on: next },
      },
      now,
    );
  });
}

/** The files a policy's document may be (platform/web/uploads.ts checks name, size and the first bytes). */
export const POLICY_DOCUMENT = {
  types: {
    pdf: 'application/pdf',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    odt: 'application/vnd.oasis.opendocument.text',
    txt: 'text/plain; charset=utf-8',
  } as Record<string, string>,
  maxBytes: 4_000_000,
  kinds: 'a PDF, Word (.docx), OpenDocument (.odt) or text (.txt) file',
  choose: 'Choose the policy’s document',
  checkContent: true,
};

/** The policy's document as a file, stored in its row as complaint documents are; a new one replaces the old. */
export async function attachDocument(db: Db, by: StaffActor, policy: Policy, file: { name: string; type: string; bytes: Buffer }, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('policies')
      .set({ document_name: file.name, document_type: file.type, document_base64: file.bytes.toString('base64'), updated_at: now.toISOString() })
      .where('id', '=', policy.id)
      .where('school_id', '=', by.schoolId)
      .execute();
    await audit(
      trx,
      staffActor(by),
      {
        schoolId: by.schoolId,
        action: 'policy.document_attached',
        entity: 'policy',
        entityId: policy.id,
        before: { document_name: policy.document_name },
        after: { document_name: file.name, bytes: file.bytes.length },
      },
      now,
    );
  });
}
