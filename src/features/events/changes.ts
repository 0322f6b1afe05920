import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import { carerLanguage } from '../../platform/i18n/languages.ts';
import { textForSchool } from '../../platform/i18n/plugin.ts';
import { weekdayInstantIn } from '../../platform/i18n/dates.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { enqueue, type OutboxItem } from '../../platform/outbox/outbox.ts';
import { absoluteLink } from '../../platform/web/links.ts';
import { recipientsFor } from '../messages/index.ts';
import type { SendContext } from './commands.ts';
import { changeIsNews, type EventInput, type SessionInput } from './event.ts';
import { inviteesOf, sessionsOf, type SchoolEvent } from './queries.ts';

/**
 * Changing an event after it is made, and cancelling it. Carers who answered (yes or no) hear of a
 * new place or new times, and of a cancellation, through the outbox in their own language; never a
 * person who may no longer hear about the children it was for (the messages feature's recipients,
 * for the portal, worked out again now).
 */
type StaffActor = Actor & { kind: 'staff' };
type Session = { id: string; starts_at: string; ends_at: string };

export type ChangeResult = { ok: true; told: number } | { ok: false; errors: Record<string, string> };

/** Carers who answered and may still hear about a child the event is for. */
async function answeredWhoMayHear(db: Db, event: SchoolEvent, today: string) {
  const [invitees, { recipients }] = await Promise.all([inviteesOf(db, event.school_id, event.id), recipientsFor(db, event.school_id, 'letter', event.audience, today, 'portal')]);
  const mayHear = new Set(recipients.map((r) => r.carerId));
  return invitees.filter((i) => i.answer && mayHear.has(i.carerId));
}

type Notice = { key: string; subject: (t: Text) => string; body: (t: Text, code: string) => string; sms: (t: Text) => string };

async function noticesTo(db: Db, event: SchoolEvent, ctx: SendContext, notice: Notice): Promise<OutboxItem[]> {
  const texts = new Map<string, Text>();
  const items: OutboxItem[] = [];
  const link = absoluteLink(ctx.baseUrl, `/my-events/${event.id}`);
  for (const i of await answeredWhoMayHear(db, event, ctx.today)) {
    const code = carerLanguage(i.language).code;
    if (!texts.has(code)) texts.set(code, await textForSchool(db, event.school_id, code, ctx.now));
    const t = texts.get(code)!;
    const key = `${notice.key}:${i.carerId}`;
    if (i.email)
      items.push({ channel: 'email', schoolId: event.school_id, key, ref: event.id, payload: { to: i.email, subject: notice.subject(t), text: [notice.body(t, code), '', link].join('\n') } });
    else if (i.mobile && ctx.textsCanGo) items.push({ channel: 'sms', schoolId: event.school_id, key, ref: event.id, payload: { to: i.mobile, text: `${notice.sms(t)} ${link}` } });
  }
  return items;
}

/**
 * Save the changed words, place and sessions (slot N is the Nth session as it was). A draft's audience
 * may change too; a sent event keeps the families it was sent to. A session families answered for or
 * were registered at cannot be taken away (move it, or cancel the event). Compare-and-set on the status.
 */
export async function changeEvent(db: Db, actor: StaffActor, event: SchoolEvent, input: EventInput, slots: (SessionInput | null)[], ctx: SendContext): Promise<ChangeResult> {
  const before = await sessionsOf(db, event.school_id, [event.id]);
  const gone = before.filter((_, i) => !slots[i]);
  const errors: Record<string, string> = {};
  for (const s of gone) {
    const [answered, registered] = await Promise.all([
      db.selectFrom('event_rsvps').select('id').where('school_id', '=', event.school_id).where('session_id', '=', s.id).executeTakeFirst(),
      db.selectFrom('event_attendance').select('id').where('school_id', '=', event.school_id).where('session_id', '=', s.id).executeTakeFirst(),
    ]);
    if (answered || registered) errors[`session_${before.indexOf(s) + 1}_date`] = 'Families have answered for this session: change its time rather than take it away, or cancel the event';
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const after: SessionInput[] = slots.filter((s): s is SessionInput => s !== null);
  const plain = (s: Session[]) => s.map((x) => ({ startsAt: x.starts_at, endsAt: x.ends_at }));
  const news = event.status === 'published' && changeIsNews({ place: event.place, sessions: plain(before) }, { place: input.place, sessions: after });
  const audienceJson = event.status === 'draft' ? JSON.stringify(input.audience) : event.audience_json;
  return db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('events')
      .set({ kind: input.kind, title: input.title, description: input.description, place: input.place, audience_json: audienceJson })
      .where('id', '=', event.id)
      .where('school_id', '=', event.school_id)
      .where('status', '=', event.status)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return { ok: false as const, errors: { title: 'This event was cancelled or changed meanwhile: start again' } };
    for (const s of gone) await trx.deleteFrom('event_sessions').where('school_id', '=', event.school_id).where('id', '=', s.id).execute();
    // Move kept sessions out of the way first, so two sessions swapping times do not meet on the unique start.
    const kept = before.flatMap((s, i) => (slots[i] ? [{ s, to: slots[i] }] : []));
    const moved = kept.filter((k) => k.s.starts_at !== k.to.startsAt || k.s.ends_at !== k.to.endsAt);
    for (const k of moved)
      await trx
        .updateTable('event_sessions')
        .set({ starts_at: `0000-${k.s.id}`, ends_at: `0001-${k.s.id}` })
        .where('school_id', '=', event.school_id)
        .where('id', '=', k.s.id)
        .execute();
    for (const k of moved) await trx.updateTable('event_sessions').set({ starts_at: k.to.startsAt, ends_at: k.to.endsAt }).where('school_id', '=', event.school_id).where('id', '=', k.s.id).execute();
    const added = slots.slice(before.length).filter((s): s is SessionInput => s !== null);
    if (added.length)
      await trx
        .insertInto('event_sessions')
        .values(added.map((s) => ({ id: newId(), school_id: event.school_id, event_id: event.id, starts_at: s.startsAt, ends_at: s.endsAt })))
        .execute();
    let items: OutboxItem[] = [];
    if (news) {
      const sessions = await sessionsOf(trx, event.school_id, [event.id]);
      const digest = createHash('sha256')
        .update(JSON.stringify([input.place, plain(sessions)]))
        .digest('hex')
        .slice(0, 12);
      const title = input.title;
      items = await noticesTo(trx, { ...event, place: input.place, title }, ctx, {
        key: `event-changed:${event.id}:${digest}`,
        subject: (t) => t('events.changed.subject', { title }),
        body: (t, code) =>
          [
            t('events.changed.body', { school: ctx.schoolName, title, place: input.place }),
            ...sessions.map((s) => `- ${weekdayInstantIn(code, s.starts_at, ctx.timeZone)}`),
            '',
            t('events.changed.check'),
          ].join('\n'),
        sms: (t) => t('events.changed.sms', { school: ctx.schoolName, title }),
      });
      await enqueue(trx, items, ctx.now);
    }
    await audit(
      trx,
      actor,
      {
        schoolId: event.school_id,
        action: 'event.changed',
        entity: 'event',
        entityId: event.id,
        before: { kind: event.kind, title: event.title, description: event.description, place: event.place, audience: event.audience, sessions: plain(before) },
        after: { ...input, audience: JSON.parse(audienceJson) as unknown, sessions: after, told: items.length },
      },
      ctx.now,
    );
    return { ok: true as const, told: items.length };
  });
}

/**
 * Cancel a draft or a sent event. Those who answered are told, with the reason the school gives
 * (optional); the carer's page then shows it as cancelled. Compare-and-set, so a double click tells once.
 */
export async function cancelEvent(db: Db, actor: StaffActor, event: SchoolEvent, reason: string, ctx: SendContext): Promise<{ ok: boolean; told: number }> {
  return db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('events')
      .set({ status: 'cancelled' })
      .where('id', '=', event.id)
      .where('school_id', '=', event.school_id)
      .where('status', 'in', ['draft', 'published'])
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return { ok: false, told: 0 };
    const items =
      event.status === 'published'
        ? await noticesTo(trx, event, ctx, {
            key: `event-cancelled:${event.id}`,
            subject: (t) => t('events.cancel.subject', { title: event.title }),
            body: (t) => [t('events.cancel.body', { school: ctx.schoolName, title: event.title }), ...(reason ? ['', reason] : []), '', t('events.cancel.sorry')].join('\n'),
            sms: (t) => t('events.cancel.sms', { school: ctx.schoolName, title: event.title }),
          })
        : [];
    await enqueue(trx, items, ctx.now);
    await audit(
      trx,
      actor,
      { schoolId: event.school_id, action: 'event.cancelled', entity: 'event', entityId: event.id, before: { status: event.status }, after: { status: 'cancelled', reason, told: items.length } },
      ctx.now,
    );
    return { ok: true, told: items.length };
  });
}
