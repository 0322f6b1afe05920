import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database, LocalDate, ProfileProposalTable, ProfileTable } from '../../db/schema.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { whoMayHear } from '../../platform/access/hear.ts';
import { enqueue, type OutboxItem } from '../../platform/outbox/outbox.ts';
import { newId } from '../../platform/ids.ts';
import { absoluteLink } from '../../platform/web/links.ts';
import { applyProposal, changesFrom, changesSomething, EMPTY, sectionsOf, SECTIONS, type ConsentInput, type ReviewInput, type Sections } from './profile.ts';
import { tellProposer, type TellContext } from './tell-carer.ts';
import { classTeachersOf, currentWords, profileOf, pupilOf, versionOf } from './queries.ts';

type Db = Kysely<Database>;
type StaffActor = Actor & { kind: 'staff' };
type CarerActor = Actor & { kind: 'carer' };
export type Done<T = object> = ({ ok: true } & T) | { ok: false; field: string; message: string };

/** Start a profile for a pupil: an empty first version. Asked twice (a double click), the profile already there is the answer. */
export async function startProfile(db: Db, actor: StaffActor, pupilId: string, now: Date, first: Sections = EMPTY): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const existing = await profileOf(trx, actor.schoolId, pupilId);
    if (existing) return existing.id;
    const id = newId();
    const at = now.toISOString();
    await trx
      .insertInto('profiles')
      .values({ id, school_id: actor.schoolId, pupil_id: pupilId, version: 1, review_due_on: null, review_kind: null, created_by: actor.id, created_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(['school_id', 'pupil_id']).doNothing())
      .execute();
    const made = await profileOf(trx, actor.schoolId, pupilId);
    if (made?.id !== id) return made!.id;
    await trx
      .insertInto('profile_versions')
      .values({ id: newId(), school_id: actor.schoolId, profile_id: id, version: 1, ...first, proposal_id: null, accepted_by: actor.id, created_at: at })
      .execute();
    await audit(trx, actor, { schoolId: actor.schoolId, action: 'profile.started', entity: 'profile', entityId: id, after: { pupil_id: pupilId, ...first } }, now);
    return id;
  });
}

type Proposed = Partial<Sections> & { words?: string; note: string };

/**
 * Propose a change: staff (every section, staff-only notes included) or a carer with a link (the
 * shared sections and their own words, in their language). Only what differs from the current
 * version is kept; a proposal that changes nothing is refused.
 */
export async function propose(db: Db, actor: StaffActor | CarerActor, profile: ProfileTable, input: Proposed, ctx: { now: Date; baseUrl: string; language?: string }): Promise<Done<{ id: string }>> {
  const current = sectionsOf(await versionOf(db, profile, profile.version));
  const shared: Partial<Sections> = actor.kind === 'carer' ? { admire: input.admire, important: input.important, support: input.support, pupil_voice: input.pupil_voice } : input;
  const changes = changesFrom(current, shared);
  const mine = actor.kind === 'carer' ? await currentWords(db, profile.school_id, profile.id, actor.id) : undefined;
  const words = actor.kind === 'carer' && input.words !== undefined && input.words !== (mine?.words ?? '') ? input.words : null;
  if (!changesSomething(changes, words, mine?.words ?? null)) return { ok: false, field: 'admire', message: 'nothing' };
  const id = newId();
  const at = ctx.now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('profile_proposals')
      .values({
        id,
        school_id: profile.school_id,
        profile_id: profile.id,
        base_version: profile.version,
        by_kind: actor.kind,
        staff_id: actor.kind === 'staff' ? actor.id : null,
        carer_id: actor.kind === 'carer' ? actor.id : null,
        admire: changes.admire ?? null,
        important: changes.important ?? null,
        support: changes.support ?? null,
        pupil_voice: changes.pupil_voice ?? null,
        admire_staff: actor.kind === 'staff' ? (changes.admire_staff ?? null) : null,
        important_staff: actor.kind === 'staff' ? (changes.important_staff ?? null) : null,
        support_staff: actor.kind === 'staff' ? (changes.support_staff ?? null) : null,
        words,
        words_language: words !== null ? (ctx.language ?? 'English') : null,
        note: input.note || null,
        status: 'pending',
        decided_by: null,
        decided_at: null,
        decision_note: null,
        created_at: at,
      })
      .execute();
    await audit(
      trx,
      actor,
      {
        schoolId: profile.school_id,
        action: 'profile.proposed',
        entity: 'profile_proposal',
        entityId: id,
        after: { profile_id: profile.id, base_version: profile.version, changed: Object.keys(changes).filter((k) => changes[k as keyof typeof changes] !== null), words: words !== null },
      },
      ctx.now,
    );
    // A carer's proposal is news for the SENCO and the class teacher (an email each, through the outbox).
    if (actor.kind === 'carer')
      await tellDeciders(trx, profile, {
        key: `profile-proposal:${id}`,
        subject: (pupil) => `A change to ${pupil}’s profile is waiting for you`,
        now: ctx.now,
        baseUrl: ctx.baseUrl,
        path: `/pupils/${profile.pupil_id}/profile/proposals/${id}`,
      });
  });
  return { ok: true, id };
}

/** An email to the SENCO(s) and the pupil's class teachers about this profile. */
async function tellDeciders(db: Db, profile: ProfileTable, mail: { key: string; subject: (pupil: string) => string; now: Date; baseUrl: string; path: string }): Promise<number> {
  const pupil = await pupilOf(db, profile.school_id, profile.pupil_id);
  if (!pupil) return 0;
  const teachers = await classTeachersOf(db, profile.school_id, pupil.class_id);
  const sencos = await db.selectFrom('staff_roles').select('staff_id').where('school_id', '=', profile.school_id).where('role', '=', 'senco').execute();
  const ids = [...new Set([...sencos.map((s) => s.staff_id), ...teachers])];
  if (ids.length === 0) return 0;
  const people = await db.selectFrom('staff').select(['id', 'email', 'given_name']).where('school_id', '=', profile.school_id).where('id', 'in', ids).where('archived_at', 'is', null).execute();
  const subject = mail.subject(pupil.name);
  const items: OutboxItem[] = people.map((p) => ({
    channel: 'email',
    schoolId: profile.school_id,
    key: `${mail.key}:${p.id}`,
    payload: { to: p.email, subject, text: `Dear ${p.given_name},\n\n${subject}.\n\nSee it in Gatepost: ${absoluteLink(mail.baseUrl, mail.path)}\n` },
  }));
  await enqueue(db, items, mail.now);
  return items.length;
}

/**
 * Accept or reject a pending proposal (the SENCO or the class teacher: the route checks who). A
 * compare-and-set on the proposal's status, and on the profile's version: accepting makes the next
 * version (the current one with the proposal's changed sections) and, for a carer's words, a new
 * words row waiting for its English translation.
 */
export async function decide(
  db: Db,
  actor: StaffActor,
  proposal: ProfileProposalTable,
  decision: { decision: 'accept' | 'reject'; decision_note: string },
  now: Date,
  tell?: TellContext,
): Promise<Done> {
  const gone = { ok: false as const, field: 'decision', message: 'This change has already been decided.' };
  return db.transaction().execute(async (trx): Promise<Done> => {
    const at = now.toISOString();
    const status = decision.decision === 'accept' ? 'accepted' : 'rejected';
    const changed = await trx
      .updateTable('profile_proposals')
      .set({ status, decided_by: actor.id, decided_at: at, decision_note: decision.decision_note || null })
      .where('school_id', '=', actor.schoolId)
      .where('id', '=', proposal.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return gone;
    const told = { ...proposal, decision_note: decision.decision_note || null };
    const pupilId = (await trx.selectFrom('profiles').select('pupil_id').where('school_id', '=', actor.schoolId).where('id', '=', proposal.profile_id).executeTakeFirstOrThrow()).pupil_id;
    if (tell) await tellProposer(trx, told, pupilId, status, tell, now);
    if (status === 'rejected') {
      await audit(
        trx,
        actor,
        {
          schoolId: actor.schoolId,
          action: 'profile.proposal_rejected',
          entity: 'profile_proposal',
          entityId: proposal.id,
          before: { status: 'pending' },
          after: { status, note: decision.decision_note || null },
        },
        now,
      );
      return { ok: true };
    }
    const profile = await trx.selectFrom('profiles').selectAll().where('school_id', '=', actor.schoolId).where('id', '=', proposal.profile_id).executeTakeFirstOrThrow();
    const current = sectionsOf(await versionOf(trx, profile, profile.version));
    const next = applyProposal(current, proposal);
    const version = profile.version + 1;
    const moved = await trx.updateTable('profiles').set({ version, updated_at: at }).where('id', '=', profile.id).where('version', '=', profile.version).executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new Error('The profile changed while the proposal was accepted');
    await trx
      .insertInto('profile_versions')
      .values({ id: newId(), school_id: actor.schoolId, profile_id: profile.id, version, ...next, proposal_id: proposal.id, accepted_by: actor.id, created_at: at })
      .execute();
    if (proposal.words !== null && proposal.carer_id) {
      await trx
        .updateTable('profile_words')
        .set({ version_to: version })
        .where('school_id', '=', actor.schoolId)
        .where('profile_id', '=', profile.id)
        .where('carer_id', '=', proposal.carer_id)
        .where('version_to', 'is', null)
        .execute();
      const english = (proposal.words_language ?? 'English') === 'English';
      if (proposal.words.trim() !== '')
        await trx
          .insertInto('profile_words')
          .values({
            id: newId(),
            school_id: actor.schoolId,
            profile_id: profile.id,
            carer_id: proposal.carer_id,
            language: proposal.words_language ?? 'English',
            words: proposal.words,
            version_from: version,
            version_to: null,
            // Words in English need no translation; others wait for one (written, then checked by a second person).
            translation: english ? proposal.words : '',
            translation_source: 'person',
            translation_status: english ? 'checked' : 'requested',
            written_by: null,
            checked_by: null,
            updated_at: at,
            created_at: at,
          })
          .execute();
    }
    await audit(
      trx,
      actor,
      {
        schoolId: actor.schoolId,
        action: 'profile.proposal_accepted',
        entity: 'profile_proposal',
        entityId: proposal.id,
        before: { status: 'pending', version: profile.version },
        after: { status, version, note: decision.decision_note || null, changed: SECTIONS.filter((s) => proposal[s] !== null), words: proposal.words !== null },
      },
      now,
    );
    return { ok: true };
  });
}

/** Record a review of the profile (its current version) and when the next one is due. */
export async function recordReview(db: Db, actor: StaffActor, profile: ProfileTable, input: ReviewInput, ctx: { today: LocalDate; now: Date }): Promise<Done> {
  if (input.reviewed_on > ctx.today) return { ok: false, field: 'reviewed_on', message: 'The date of the review cannot be in the future' };
  if (input.next_due_on <= input.reviewed_on) return { ok: false, field: 'next_due_on', message: 'The next review must be after this one' };
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('profile_reviews')
      .values({
        id,
        school_id: actor.schoolId,
        profile_id: profile.id,
        version: profile.version,
        reviewed_on: input.reviewed_on,
        reviewed_by: actor.id,
        next_due_on: input.next_due_on,
        next_kind: input.next_kind,
        note: input.note || null,
        created_at: ctx.now.toISOString(),
      })
      .execute();
    await trx.updateTable('profiles').set({ review_due_on: input.next_due_on, review_kind: input.next_kind, updated_at: ctx.now.toISOString() }).where('id', '=', profile.id).execute();
    await audit(
      trx,
      actor,
      {
        schoolId: actor.schoolId,
        action: 'profile.reviewed',
        entity: 'profile',
        entityId: profile.id,
        before: { review_due_on: profile.review_due_on, review_kind: profile.review_kind },
        after: { version: profile.version, reviewed_on: input.reviewed_on, review_due_on: input.next_due_on, review_kind: input.next_kind },
      },
      ctx.now,
    );
  });
  return { ok: true };
}

/**
 * Record a carer's consent to share the profile outside the school (who, when, with whom, why).
 * Only a carer who may hear about the child for the profile (platform/access) can give it.
 */
export async function recordConsent(db: Db, actor: StaffActor, profile: ProfileTable, input: ConsentInput, ctx: { today: LocalDate; now: Date }): Promise<Done> {
  if (input.given_on > ctx.today) return { ok: false, field: 'given_on', message: 'The date consent was given cannot be in the future' };
  const answer = (await whoMayHear(db, { schoolId: actor.schoolId, pupilIds: [profile.pupil_id], purpose: 'profile', today: ctx.today, carerIds: [input.carer] }))[0];
  if (!answer?.decision.may) return { ok: false, field: 'carer', message: 'Choose one of the child’s carers who may see the profile' };
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('profile_consents')
      .values({
        id,
        school_id: actor.schoolId,
        profile_id: profile.id,
        carer_id: input.carer,
        given_on: input.given_on,
        shared_with: input.shared_with,
        purpose: input.purpose,
        recorded_by: actor.id,
        created_at: ctx.now.toISOString(),
      })
      .execute();
    await audit(trx, actor, { schoolId: actor.schoolId, action: 'profile.consent_recorded', entity: 'profile_consent', entityId: id, after: { profile_id: profile.id, ...input } }, ctx.now);
  });
  return { ok: true };
}

/**
 * Reminders of profile reviews that are due (on or after the date): an email to the SENCO and the
 * class teacher, through the outbox, once per profile and due date (the idempotency key). Run by
 * the scheduler in main.ts; returns how many it wrote (repeats included).
 */
export async function sendReviewReminders(db: Db, now: Date, baseUrl: string): Promise<number> {
  const schools = await db.selectFrom('schools').select(['id', 'time_zone']).execute();
  let sent = 0;
  for (const school of schools) {
    const today = DateTime.fromJSDate(now, { zone: school.time_zone }).toISODate()!;
    const due = await db.selectFrom('profiles').selectAll().where('school_id', '=', school.id).where('review_due_on', 'is not', null).where('review_due_on', '<=', today).execute();
    for (const profile of due)
      sent += await tellDeciders(db, profile, {
        key: `profile-review:${profile.id}:${profile.review_due_on}`,
        subject: (pupil) => `${pupil}’s profile is due for review`,
        now,
        baseUrl,
        path: `/pupils/${profile.pupil_id}/profile`,
      });
  }
  return sent;
}

/**
 * The English translation of a carer's words: written by one person, then checked by a second (the
 * rules are messages' checkProblem: the caller asks it first). `seen` is the version they read.
 */
export async function writeWordsTranslation(db: Db, actor: StaffActor, wordsId: string, body: string, seen: string, now: Date): Promise<Done> {
  return db.transaction().execute(async (trx): Promise<Done> => {
    const row = await trx.selectFrom('profile_words').selectAll().where('school_id', '=', actor.schoolId).where('id', '=', wordsId).executeTakeFirst();
    if (!row) return { ok: false, field: 'body', message: 'These words are no longer in the profile.' };
    if (seen && row.updated_at !== seen)
      return { ok: false, field: 'body', message: 'Someone else changed this translation while you were writing. Their version is shown above; your writing is below. Save again to replace theirs.' };
    const fields = { translation: body, translation_source: 'person' as const, translation_status: 'written' as const, written_by: actor.id, checked_by: null, updated_at: now.toISOString() };
    await trx.updateTable('profile_words').set(fields).where('id', '=', row.id).execute();
    await audit(
      trx,
      actor,
      {
        schoolId: actor.schoolId,
        action: 'profile.translation_written',
        entity: 'profile_words',
        entityId: row.id,
        before: { translation: row.translation, status: row.translation_status },
        after: { translation: body, status: 'written' },
      },
      now,
    );
    return { ok: true };
  });
}

export async function checkWordsTranslation(
  db: Db,
  actor: StaffActor,
  wordsId: string,
  problem: (row: {
    translation_status: 'requested' | 'written' | 'checked';
    translation_source: 'person' | 'machine';
    written_by: string | null;
    updated_at: string;
    translation: string;
  }) => string | null,
  now: Date,
): Promise<Done> {
  return db.transaction().execute(async (trx): Promise<Done> => {
    const row = await trx.selectFrom('profile_words').selectAll().where('school_id', '=', actor.schoolId).where('id', '=', wordsId).executeTakeFirst();
    if (!row) return { ok: false, field: 'check', message: 'These words are no longer in the profile.' };
    const why = problem(row);
    if (why) return { ok: false, field: 'check', message: why };
    if (row.translation_status === 'checked') return { ok: true };
    const changed = await trx
      .updateTable('profile_words')
      .set({ translation_status: 'checked', checked_by: actor.id, updated_at: now.toISOString() })
      .where('id', '=', row.id)
      .where('updated_at', '=', row.updated_at)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return { ok: false, field: 'check', message: 'The translation changed while you were reading it. Read it again before marking it as checked.' };
    await audit(
      trx,
      actor,
      {
        schoolId: actor.schoolId,
        action: 'profile.translation_checked',
        entity: 'profile_words',
        entityId: row.id,
        before: { status: row.translation_status },
        after: { status: 'checked', checked_by: actor.id },
      },
      now,
    );
    return { ok: true };
  });
}
