import type { Db } from '../../db/database.ts';
import { insertInChunks } from '../../db/insert-in-chunks.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import { carerLanguage } from '../../platform/i18n/languages.ts';
import { textForSchool } from '../../platform/i18n/plugin.ts';
import { weekdayInstantIn } from '../../platform/i18n/dates.ts';
import type { Text } from '../../platform/i18n/catalog.ts';
import { enqueue, type OutboxItem } from '../../platform/outbox/outbox.ts';
import { absoluteLink } from '../../platform/web/links.ts';
import { recipientsFor } from '../messages/index.ts';
import type { EventInput, RsvpInput, SessionInput } from './event.ts';
import { eventById, inviteesOf, sessionsOf, type SchoolEvent } from './queries.ts';

type StaffActor = Actor & { kind: 'staff' };
/** `textsCanGo`: a text message provider is set up; without it no text is queued. */
export type SendContext = { baseUrl: string; schoolName: string; timeZone: string; today: string; now: Date; textsCanGo: boolean };

export async function createEvent(db: Db, actor: StaffActor, input: EventInput, sessions: SessionInput[], now: Date): Promise<string> {
  const id = newId();
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('events')
      .values({
        id,
        school_id: actor.schoolId,
        kind: input.kind,
        title: input.title,
        description: input.description,
        place: input.place,
        audience_json: JSON.stringify(input.audience),
        status: 'draft',
        created_by: actor.id,
        created_at: at,
        published_at: null,
        reminded_at: null,
      })
      .execute();
    await trx
      .insertInto('event_sessions')
      .values(sessions.map((s) => ({ id: newId(), school_id: actor.schoolId, event_id: id, starts_at: s.startsAt, ends_at: s.endsAt })))
      .execute();
    await audit(trx, actor, { schoolId: actor.schoolId, action: 'event.created', entity: 'event', entityId: id, after: { ...input, sessions } }, now);
  });
  return id;
}

function sessionWords(t: Text, sessions: { starts_at: string }[], timeZone: string): string {
  return sessions.map((s) => `- ${weekdayInstantIn(t.code, s.starts_at, timeZone)}`).join('\n');
}

/**
 * Send a draft event: every carer the audience reaches who may hear about a child in it (the
 * messages feature's recipients, for the portal: never a person a restriction stops) is invited
 * once, and their invitation (email, or a text where texts can go) is in the outbox in the same
 * transaction. Compare-and-set on the status, so a double click sends once.
 */
export async function publishEvent(db: Db, actor: StaffActor, event: SchoolEvent, ctx: SendContext): Promise<{ ok: true; invited: number } | { ok: false; message: string }> {
  const { recipients } = await recipientsFor(db, event.school_id, 'letter', event.audience, ctx.today, 'portal');
  if (recipients.length === 0) return { ok: false, message: 'This would reach nobody: change who it is for' };
  const at = ctx.now.toISOString();
  return db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('events')
      .set({ status: 'published', published_at: at })
      .where('id', '=', event.id)
      .where('school_id', '=', event.school_id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return { ok: true as const, invited: 0 };
    await insertInChunks(
      trx,
      'event_invitees',
      recipients.map((r) => ({ id: newId(), school_id: event.school_id, event_id: event.id, carer_id: r.carerId, pupil_ids_json: JSON.stringify(r.pupils.map((p) => p.id)), created_at: at })),
    );
    const sessions = await sessionsOf(trx, event.school_id, [event.id]);
    const texts = new Map<string, Text>();
    const items: OutboxItem[] = [];
    const link = absoluteLink(ctx.baseUrl, `/my-events/${event.id}`);
    for (const r of recipients) {
      const code = carerLanguage(r.language).code;
      if (!texts.has(code)) texts.set(code, await textForSchool(trx, event.school_id, code, ctx.now));
      const t = texts.get(code)!;
      const key = `event:${event.id}:${r.carerId}`;
      const subject = t('events.email.subject', { school: ctx.schoolName, title: event.title });
      const text = [t('events.email.body', { school: ctx.schoolName, title: event.title, place: event.place }), '', sessionWords(t, sessions, ctx.timeZone), '', t('events.email.answer'), link].join(
        '\n',
      );
      if (r.channels.includes('email') && r.email) items.push({ channel: 'email', schoolId: event.school_id, key, ref: event.id, payload: { to: r.email, subject, text } });
      else if (r.mobile && ctx.textsCanGo)
        items.push({ channel: 'sms', schoolId: event.school_id, key, ref: event.id, payload: { to: r.mobile, text: `${t('events.sms', { school: ctx.schoolName, title: event.title })} ${link}` } });
    }
    await enqueue(trx, items, ctx.now);
    await audit(trx, actor, { schoolId: event.school_id, action: 'event.published', entity: 'event', entityId: event.id, after: { invited: recipients.length, sends: items.length } }, ctx.now);
    return { ok: true as const, invited: recipients.length };
  });
}

/**
 * Remind everyone who said yes to a session still to come, once per session and carer (the outbox
 * key makes a second click harmless).
 */
export async function sendReminders(db: Db, actor: StaffActor, event: SchoolEvent, ctx: SendContext): Promise<number> {
  const [invitees, sessions] = await Promise.all([inviteesOf(db, event.school_id, event.id), sessionsOf(db, event.school_id, [event.id])]);
  const now = ctx.now.toISOString();
  const coming = new Map(sessions.filter((s) => s.starts_at > now).map((s) => [s.id, s]));
  const texts = new Map<string, Text>();
  const items: OutboxItem[] = [];
  const link = absoluteLink(ctx.baseUrl, `/my-events/${event.id}`);
  for (const i of invitees) {
    const session = i.answer === 'yes' && i.sessionId ? coming.get(i.sessionId) : undefined;
    if (!session) continue;
    const code = carerLanguage(i.language).code;
    if (!texts.has(code)) texts.set(code, await textForSchool(db, event.school_id, code, ctx.now));
    const t = texts.get(code)!;
    const when = weekdayInstantIn(code, session.starts_at, ctx.timeZone);
    const key = `event-reminder:${session.id}:${i.carerId}`;
    if (i.email)
      items.push({
        channel: 'email',
        schoolId: event.school_id,
        key,
        ref: event.id,
        payload: {
          to: i.email,
          subject: t('events.reminder.subject', { title: event.title }),
          text: [t('events.reminder.body', { title: event.title, when, place: event.place }), '', link].join('\n'),
        },
      });
    else if (i.mobile && ctx.textsCanGo)
      items.push({ channel: 'sms', schoolId: event.school_id, key, ref: event.id, payload: { to: i.mobile, text: t('events.reminder.body', { title: event.title, when, place: event.place }) } });
  }
  await db.transaction().execute(async (trx) => {
    await enqueue(trx, items, ctx.now);
    await trx.updateTable('events').set({ reminded_at: now }).where('id', '=', event.id).where('school_id', '=', event.school_id).execute();
    await audit(trx, actor, { schoolId: event.school_id, action: 'event.reminded', entity: 'event', entityId: event.id, after: { reminders: items.length } }, ctx.now);
  });
  return items.length;
}

/** A carer's answer, one per event (a second answer replaces the first). Only for a carer the event was sent to. */
export async function answer(db: Db, actor: Actor & { kind: 'carer' }, eventId: string, rsvp: RsvpInput, now: Date): Promise<boolean> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const event = await eventById(trx, actor.schoolId, eventId);
    const invited = await trx.selectFrom('event_invitees').select('id').where('school_id', '=', actor.schoolId).where('event_id', '=', eventId).where('carer_id', '=', actor.id).executeTakeFirst();
    if (!event || event.status !== 'published' || !invited) return false;
    const values = { answer: rsvp.answer, session_id: rsvp.answer === 'yes' ? rsvp.sessionId : null, attending: rsvp.answer === 'yes' ? rsvp.attending : 0, updated_at: at };
    await trx
      .insertInto('event_rsvps')
      .values({ id: newId(), school_id: actor.schoolId, event_id: eventId, carer_id: actor.id, ...values })
      .onConflict((oc) => oc.columns(['school_id', 'event_id', 'carer_id']).doUpdateSet(values))
      .execute();
    await audit(trx, actor, { schoolId: actor.schoolId, action: 'event.answered', entity: 'event', entityId: eventId, after: values }, now);
    return true;
  });
}

/** The register for one session: each listed carer ticked (came) or not; a changed tick is kept, not deleted. */
export async function markRegister(db: Db, actor: StaffActor, session: { id: string; event_id: string }, listed: string[], came: string[], now: Date): Promise<void> {
  const at = now.toISOString();
  const cameSet = new Set(came);
  await db.transaction().execute(async (trx) => {
    const before = new Map(
      (await trx.selectFrom('event_attendance').select(['carer_id', 'attended']).where('school_id', '=', actor.schoolId).where('session_id', '=', session.id).execute()).map((r) => [
        r.carer_id,
        r.attended,
      ]),
    );
    const changes = listed.filter((id) => (before.get(id) ?? 0) !== (cameSet.has(id) ? 1 : 0));
    for (const carerId of changes) {
      const attended = cameSet.has(carerId) ? 1 : 0;
      await trx
        .insertInto('event_attendance')
        .values({ id: newId(), school_id: actor.schoolId, event_id: session.event_id, session_id: session.id, carer_id: carerId, attended, marked_by: actor.id, marked_at: at })
        .onConflict((oc) => oc.columns(['school_id', 'session_id', 'carer_id']).doUpdateSet({ attended, marked_by: actor.id, marked_at: at }))
        .execute();
    }
    await audit(trx, actor, { schoolId: actor.schoolId, action: 'event.register_marked', entity: 'event_session', entityId: session.id, after: { came: came.length, changed: changes.length } }, now);
  });
}

/**
 * A family who was not on the register came (a walk-in at the door): ticked as came on this session,
 * audited with whether it was their first time at any event. Ticking a family already ticked changes
 * nothing. The carer must be a current carer of the school (the route has checked this person may see them).
 */
export async function addWalkIn(db: Db, actor: StaffActor, session: { id: string; event_id: string }, carerId: string, now: Date): Promise<{ added: boolean; firstTime: boolean }> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const carer = await trx.selectFrom('carers').select('id').where('school_id', '=', actor.schoolId).where('id', '=', carerId).where('archived_at', 'is', null).executeTakeFirst();
    if (!carer) return { added: false, firstTime: false };
    const before = await trx
      .selectFrom('event_attendance')
      .select(['session_id', 'attended'])
      .where('school_id', '=', actor.schoolId)
      .where('carer_id', '=', carerId)
      .where('attended', '=', 1)
      .execute();
    if (before.some((b) => b.session_id === session.id)) return { added: false, firstTime: false };
    const invited = await trx
      .selectFrom('event_invitees')
      .select('id')
      .where('school_id', '=', actor.schoolId)
      .where('event_id', '=', session.event_id)
      .where('carer_id', '=', carerId)
      .executeTakeFirst();
    await trx
      .insertInto('event_attendance')
      .values({ id: newId(), school_id: actor.schoolId, event_id: session.event_id, session_id: session.id, carer_id: carerId, attended: 1, marked_by: actor.id, marked_at: at })
      .onConflict((oc) => oc.columns(['school_id', 'session_id', 'carer_id']).doUpdateSet({ attended: 1, marked_by: actor.id, marked_at: at }))
      .execute();
    const firstTime = before.length === 0;
    await audit(trx, actor, { schoolId: actor.schoolId, action: 'event.walk_in', entity: 'event_session', entityId: session.id, after: { carerId, invited: !!invited, firstTime } }, now);
    return { added: true, firstTime };
  });
}
