import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';
import { audit } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import { textForCarer } from '../../platform/i18n/plugin.ts';
import { enqueue, type OutboxItem } from '../../platform/outbox/outbox.ts';
import { absoluteLink } from '../../platform/web/links.ts';
import { carerActor, staffActor, type By, type CarerBy, type Done } from './commands.ts';
import { checkInOn, mayPair, suggestBuddies } from './community.ts';
import { buddyFamilies, carerName, carerOf, liaisonOrHead, matchById, optInOf } from './queries.ts';

/**
 * The buddy scheme's changes: a family opting in, a lead recording a match, each family saying yes
 * or no, a family ending it, the check-in and a lead's withdrawal. Each writes its audit entry in the
 * same transaction (facts and ids, never the words typed about a family), and every email goes
 * through the outbox in that transaction.
 */
/** A family joins the buddy scheme (as newcomers, or offering to be a buddy), or leaves it ('none'). */
export async function setOptIn(db: Db, by: CarerBy, wants: 'newcomer' | 'buddy' | 'none', now: Date): Promise<void> {
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const open = await optInOf(trx, by.schoolId, by.carerId);
    if (open?.wants === wants) return;
    if (open) await trx.updateTable('buddy_opt_ins').set({ withdrawn_at: at }).where('id', '=', open.id).where('withdrawn_at', 'is', null).execute();
    if (wants !== 'none') await trx.insertInto('buddy_opt_ins').values({ id: newId(), school_id: by.schoolId, carer_id: by.carerId, wants, opted_in_at: at, withdrawn_at: null }).execute();
    await audit(
      trx,
      carerActor(by),
      { schoolId: by.schoolId, action: 'community.buddy_opt_in', entity: 'carer', entityId: by.carerId, before: { wants: open?.wants ?? 'none' }, after: { wants } },
      now,
    );
  });
}

async function emailCarer(
  db: Db,
  schoolId: string,
  carerId: string,
  key: string,
  ref: string,
  words: (t: Awaited<ReturnType<typeof textForCarer>>) => { subject: string; lines: string[] },
  now: Date,
): Promise<OutboxItem[]> {
  const carer = await carerOf(db, schoolId, carerId);
  if (!carer?.email || carer.channel_email !== 1 || carer.archived_at) return [];
  const t = await textForCarer(db, schoolId, carer.preferred_language, now);
  const w = words(t);
  return [{ channel: 'email', schoolId, key, ref, payload: { to: carer.email, subject: w.subject, text: [t('community.email.dear', { name: carer.given_name }), '', ...w.lines].join('\n') } }];
}

/**
 * The family liaison officer records a match between a newcomer family and a buddy family, from the
 * suggestions: both must have opted in and the pair must pass the rules (a shared year group; never
 * across a restriction). Each family is asked, by email when they take emails, to say yes or no.
 */
export async function recordMatch(db: Db, by: By, input: { newcomer: string; buddy: string }, ctx: { today: LocalDate; now: Date; baseUrl: string }): Promise<Done> {
  const [newcomerIn, buddyIn] = await Promise.all([optInOf(db, by.schoolId, input.newcomer), optInOf(db, by.schoolId, input.buddy)]);
  if (newcomerIn?.wants !== 'newcomer') return { ok: false, field: 'newcomer', message: 'Choose a new family who asked for a buddy' };
  if (buddyIn?.wants !== 'buddy') return { ok: false, field: 'buddy', message: 'Choose a family who offered to be a buddy' };
  const live = await db.selectFrom('buddy_matches').select('id').where('school_id', '=', by.schoolId).where('newcomer_id', '=', input.newcomer).where('declined_at', 'is', null).executeTakeFirst();
  if (live) return { ok: false, field: 'newcomer', message: 'This family already has a buddy family: one of them must decline before another is suggested' };
  const [newcomer, buddy] = await buddyFamilies(db, by.schoolId, [input.newcomer, input.buddy], ctx.today).then((fs) => [
    fs.find((f) => f.carerId === input.newcomer),
    fs.find((f) => f.carerId === input.buddy),
  ]);
  if (!newcomer || !buddy || !mayPair(newcomer, buddy) || suggestBuddies(newcomer, [buddy]).length === 0)
    return { ok: false, field: 'buddy', message: 'These two families cannot be matched: choose a buddy family from the suggestions' };
  const existing = await db
    .selectFrom('buddy_matches')
    .select('id')
    .where('school_id', '=', by.schoolId)
    .where('newcomer_id', '=', input.newcomer)
    .where('buddy_id', '=', input.buddy)
    .executeTakeFirst();
  if (existing) return { ok: false, field: 'buddy', message: 'These two families are already matched' };
  const id = newId();
  const link = absoluteLink(ctx.baseUrl, '/my-community');
  const ask = (t: Awaited<ReturnType<typeof textForCarer>>) => ({ subject: t('community.email.askSubject'), lines: [t('community.email.askLine'), '', link] });
  const mails = [
    ...(await emailCarer(db, by.schoolId, input.newcomer, `buddy-ask:${id}:${input.newcomer}`, id, ask, ctx.now)),
    ...(await emailCarer(db, by.schoolId, input.buddy, `buddy-ask:${id}:${input.buddy}`, id, ask, ctx.now)),
  ];
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('buddy_matches')
      .values({
        id,
        school_id: by.schoolId,
        newcomer_id: input.newcomer,
        buddy_id: input.buddy,
        newcomer_consent_at: null,
        buddy_consent_at: null,
        declined_at: null,
        recorded_by: by.staffId,
        recorded_on: ctx.today,
        check_in_on: checkInOn(ctx.today),
        checked_in_at: null,
        checked_in_by: null,
        check_in_note: null,
        withdrawn_by: null,
        withdrawn_reason: null,
        created_at: ctx.now.toISOString(),
      })
      .execute();
    await audit(
      trx,
      staffActor(by),
      { schoolId: by.schoolId, action: 'community.buddy_matched', entity: 'buddy_match', entityId: id, after: { newcomer_id: input.newcomer, buddy_id: input.buddy } },
      ctx.now,
    );
    if (mails.length) await enqueue(trx, mails, ctx.now);
  });
  return { ok: true, id };
}

/**
 * A family says yes or no to a match (compare-and-set: an answer given stands). When the second
 * family says yes, both are told by email that they can now see each other's details in Gatepost.
 * 'not_found' when the match is not theirs.
 */
export async function answerMatch(db: Db, by: CarerBy, matchId: string, answer: 'yes' | 'no', ctx: { now: Date; baseUrl: string }): Promise<'done' | 'not_found'> {
  const match = await matchById(db, by.schoolId, matchId);
  if (!match || (match.newcomer_id !== by.carerId && match.buddy_id !== by.carerId)) return 'not_found';
  const side = match.newcomer_id === by.carerId ? 'newcomer_consent_at' : 'buddy_consent_at';
  const at = ctx.now.toISOString();
  const other = side === 'newcomer_consent_at' ? match.buddy_consent_at : match.newcomer_consent_at;
  const link = absoluteLink(ctx.baseUrl, '/my-community');
  const agreed = (t: Awaited<ReturnType<typeof textForCarer>>) => ({ subject: t('community.email.agreedSubject'), lines: [t('community.email.agreedLine'), '', link] });
  const mails =
    answer === 'yes' && other && !match.declined_at
      ? [
          ...(await emailCarer(db, by.schoolId, match.newcomer_id, `buddy-agreed:${match.id}:${match.newcomer_id}`, match.id, agreed, ctx.now)),
          ...(await emailCarer(db, by.schoolId, match.buddy_id, `buddy-agreed:${match.id}:${match.buddy_id}`, match.id, agreed, ctx.now)),
        ]
      : [];
  await db.transaction().execute(async (trx) => {
    const q = trx.updateTable('buddy_matches').where('school_id', '=', by.schoolId).where('id', '=', matchId).where('declined_at', 'is', null);
    const changed =
      answer === 'yes'
        ? await q
            .set({ [side]: at })
            .where(side, 'is', null)
            .executeTakeFirst()
        : await q.set({ declined_at: at }).executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 0) return;
    await audit(trx, carerActor(by), { schoolId: by.schoolId, action: answer === 'yes' ? 'community.buddy_consented' : 'community.buddy_declined', entity: 'buddy_match', entityId: matchId }, ctx.now);
    if (mails.length) await enqueue(trx, mails, ctx.now);
  });
  return 'done';
}

/**
 * A family stops sharing its details with its buddy family (after saying yes; before, it answers no).
 * Compare-and-set on a live match, so a double click ends it once. The other family is told by email
 * that its details are no longer shown, and the family liaison officer (else the head) that the
 * match has ended and who ended it, so someone can talk to both. The newcomer may be matched again.
 */
export async function endMatchByFamily(db: Db, by: CarerBy, matchId: string, ctx: { now: Date; baseUrl: string }): Promise<'done' | 'not_found'> {
  const match = await matchById(db, by.schoolId, matchId);
  if (!match || (match.newcomer_id !== by.carerId && match.buddy_id !== by.carerId)) return 'not_found';
  const mine = match.newcomer_id === by.carerId ? match.newcomer_consent_at : match.buddy_consent_at;
  if (!mine || match.declined_at) return 'done';
  const otherId = match.newcomer_id === by.carerId ? match.buddy_id : match.newcomer_id;
  const [newcomer, buddy] = await Promise.all([carerOf(db, by.schoolId, match.newcomer_id), carerOf(db, by.schoolId, match.buddy_id)]);
  const endedBy = match.newcomer_id === by.carerId ? 'the new family' : 'the buddy family';
  const names = `${newcomer ? carerName(newcomer) : 'the new family'} (new family) and ${buddy ? carerName(buddy) : 'the buddy family'} (buddy family)`;
  const link = absoluteLink(ctx.baseUrl, '/my-community');
  const ended = (t: Awaited<ReturnType<typeof textForCarer>>) => ({ subject: t('community.email.endedSubject'), lines: [t('community.email.endedLine'), '', link] });
  const staff = await liaisonOrHead(db, by.schoolId);
  const mails: OutboxItem[] = [
    ...(await emailCarer(db, by.schoolId, otherId, `buddy-ended:${match.id}:${otherId}`, match.id, ended, ctx.now)),
    ...staff.map((p): OutboxItem => ({
      channel: 'email',
      schoolId: by.schoolId,
      key: `buddy-ended:${match.id}:${p.id}`,
      ref: match.id,
      payload: {
        to: p.email,
        subject: 'A family ended its buddy match',
        text: `Dear ${p.given_name},\n\nThe buddy match between ${names} has been ended by ${endedBy} from Gatepost. Their contact details are no longer shown to each other. You may want to talk to both families; the new family can be matched with another buddy family.\n\nSee it in Gatepost: ${absoluteLink(ctx.baseUrl, '/community')}\n`,
      },
    })),
  ];
  await db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('buddy_matches')
      .set({ declined_at: ctx.now.toISOString(), ended_by_carer: by.carerId })
      .where('school_id', '=', by.schoolId)
      .where('id', '=', matchId)
      .where('declined_at', 'is', null)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return;
    await audit(
      trx,
      carerActor(by),
      { schoolId: by.schoolId, action: 'community.buddy_ended_by_family', entity: 'buddy_match', entityId: matchId, before: { state: 'live' }, after: { state: 'ended' } },
      ctx.now,
    );
    if (mails.length) await enqueue(trx, mails, ctx.now);
  });
  return 'done';
}

/** The family liaison officer's check-in on a live match (once; not on one declined or withdrawn). */
export async function checkIn(db: Db, by: By, matchId: string, note: string, now: Date): Promise<Done> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('buddy_matches')
      .set({ checked_in_at: at, checked_in_by: by.staffId, check_in_note: note })
      .where('school_id', '=', by.schoolId)
      .where('id', '=', matchId)
      .where('checked_in_at', 'is', null)
      .where('declined_at', 'is', null)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 0) {
      const match = await trx.selectFrom('buddy_matches').select('checked_in_at').where('school_id', '=', by.schoolId).where('id', '=', matchId).executeTakeFirst();
      const message = match?.checked_in_at ? 'The check-in for this match is already recorded' : 'This match has ended, so there is no check-in to record';
      return { ok: false as const, field: 'check_in_note', message };
    }
    await audit(trx, staffActor(by), { schoolId: by.schoolId, action: 'community.buddy_checked_in', entity: 'buddy_match', entityId: matchId }, now);
    return { ok: true as const, id: matchId };
  });
}

/**
 * A lead withdraws a match that is not working (compare-and-set on a live match: a double click
 * withdraws once). declined_at says when, withdrawn_by and withdrawn_reason who and why; the reason
 * stays with the match, not in the audit log. Each family is told in their own language by email
 * (when they take emails). The newcomer may then be matched again.
 */
export async function withdrawMatch(db: Db, by: By, matchId: string, reason: string, ctx: { now: Date; baseUrl: string }): Promise<Done> {
  const match = await matchById(db, by.schoolId, matchId);
  const over = { ok: false as const, field: 'withdraw_reason', message: 'This match has already ended' };
  if (!match || match.declined_at) return over;
  const link = absoluteLink(ctx.baseUrl, '/my-community');
  const ended = (t: Awaited<ReturnType<typeof textForCarer>>) => ({ subject: t('community.email.withdrawnSubject'), lines: [t('community.email.withdrawnLine'), '', link] });
  const mails = [
    ...(await emailCarer(db, by.schoolId, match.newcomer_id, `buddy-withdrawn:${match.id}:${match.newcomer_id}`, match.id, ended, ctx.now)),
    ...(await emailCarer(db, by.schoolId, match.buddy_id, `buddy-withdrawn:${match.id}:${match.buddy_id}`, match.id, ended, ctx.now)),
  ];
  return db.transaction().execute(async (trx): Promise<Done> => {
    const changed = await trx
      .updateTable('buddy_matches')
      .set({ declined_at: ctx.now.toISOString(), withdrawn_by: by.staffId, withdrawn_reason: reason })
      .where('school_id', '=', by.schoolId)
      .where('id', '=', matchId)
      .where('declined_at', 'is', null)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return over;
    await audit(
      trx,
      staffActor(by),
      {
        schoolId: by.schoolId,
        action: 'community.buddy_withdrawn',
        entity: 'buddy_match',
        entityId: matchId,
        before: { state: 'live' },
        after: { state: 'withdrawn', newcomer_id: match.newcomer_id, buddy_id: match.buddy_id },
      },
      ctx.now,
    );
    if (mails.length) await enqueue(trx, mails, ctx.now);
    return { ok: true, id: matchId };
  });
}
