import { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import type { LocalDate, MessageKind } from '../db/schema.ts';
import { insertInChunks } from '../db/insert-in-chunks.ts';
import type { Audience } from '../features/messages/audience.ts';
import { sendMessage } from '../features/messages/send.ts';
import { audit } from '../platform/audit/audit.ts';
import { markAlertsSeen } from '../platform/alerts/alerts.ts';
import { alertSafeguardingLeads, auditSafeguardingViews } from '../platform/safeguarding/safeguarding.ts';
import { CONTACT_SAFEGUARDING_ALERT_TITLE, contactsLink } from '../features/messages/contacts.ts';
import { localDate, schoolLocalInstant } from '../platform/calendar/time.ts';
import { newId } from '../platform/ids.ts';
import { DEMO_SEED, type Plan } from './builder.ts';
import { DEMO_SCHOOL } from './calendar.ts';
import type { JourneyIds } from './journeys.ts';
import { int, seededRng } from './random.ts';
import { CLOSURE_DAY, DEMO_TODAY, DRAFT_LETTER, SCHEDULED_NEWSLETTER, termLetters, type AudienceSpec, type TermLetter } from './term-letters.ts';
import { chooseTermPeople, liaisonContacts, resolvePupils, type ContactEntry } from './term-people.ts';
import { habitsOf, readsOf, stamp, type Received } from './term-reads.ts';
import { TRANSLATIONS } from './term-translations.ts';

/**
 * The demo school's autumn term of messages, sent through the real sendMessage at the time each
 * went (so recipients, channels, copies and restrictions are worked out as they are for a person),
 * then marked as delivered so that starting the server sends nothing: except one email that bounced.
 * Then who read what, Ms Lewis's calls, next Friday's newsletter waiting to go and a draft.
 */
export type TermInput = { schoolId: string; plan: Plan; journey: JourneyIds; handMade: number; generatedEnd?: number; now: Date };
export type TermSummary = { messages: number; recipients: number; emails: number; texts: number };

const BASE_URL = 'http://127.0.0.1:3000';
const ZONE = DEMO_SCHOOL.time_zone;
/** The Saturday after the first newsletter: the app-only readers turned emails off. */
const STOP_EMAILS_AT = '2026-09-05T19:30:00.000Z';
const bounce = (email: string) => `550 5.1.1 <${email}>: mailbox unavailable`;

function schoolTime(date: LocalDate, time: string): Date {
  const r = schoolLocalInstant(date, time, ZONE);
  if (!r.ok) throw new Error(`The demo term has an impossible time: ${date} ${time} (${r.reason})`);
  return new Date(r.instant);
}

export async function addDemoTerm(db: Db, input: TermInput): Promise<TermSummary> {
  const { schoolId, plan, journey } = input;
  const rng = seededRng(DEMO_SEED + 7);
  const people = chooseTermPeople(plan, journey, { from: input.handMade, to: input.generatedEnd }, rng);
  const groups = { PTA: newId(), 'Reading partners': newId() } as const;

  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('school_closures')
      .values({ id: newId(), school_id: schoolId, ...CLOSURE_DAY })
      .execute();
    await trx
      .insertInto('carer_groups')
      .values(Object.entries(groups).map(([name, id]) => ({ id, school_id: schoolId, name })))
      .execute();
    const members = [...people.pta.map((c) => [groups.PTA, c]), ...people.readingPartners.map((c) => [groups['Reading partners'], c])];
    await insertInChunks(
      trx,
      'carer_group_members',
      members.map(([group_id, carer_id]) => ({ group_id: group_id!, carer_id: carer_id!, school_id: schoolId })),
    );
  });

  const audienceOf = (spec: AudienceSpec): Audience => {
    switch (spec.kind) {
      case 'school':
        return { kind: 'school' };
      case 'years':
        return { kind: 'years', years: spec.years };
      case 'classes':
        return { kind: 'classes', classIds: spec.years.map((y) => plan.classIdByYear.get(y)!) };
      case 'group':
        return { kind: 'group', groupId: groups[spec.group as keyof typeof groups] };
      case 'pupils':
        return { kind: 'pupils', pupilIds: resolvePupils(spec.pupils, journey, people, rng) };
    }
  };

  const sent: { letter: TermLetter; id: string; at: Date }[] = [];
  let emailsStopped = false;
  for (const letter of termLetters()) {
    const at = schoolTime(letter.date, letter.time);
    if (!emailsStopped && at.toISOString() > STOP_EMAILS_AT) {
      await stopEmails(db, schoolId, people.portalReaders, new Date(STOP_EMAILS_AT));
      emailsStopped = true;
    }
    const id = await writeMessage(db, schoolId, plan.staffIds[letter.author]!, {
      kind: letter.kind,
      tone: letter.tone,
      subject: letter.subject,
      body: letter.body,
      audience: audienceOf(letter.audience),
      ack: letter.ack ?? false,
      status: 'draft',
      writtenAt: new Date(at.getTime() - int(rng, 20, 90) * 60_000),
      scheduledFor: null,
    });
    await addTranslations(db, schoolId, id, letter.key, plan.staffIds, at);
    await sendMessage(db, { kind: 'staff', id: plan.staffIds[letter.author]!, schoolId }, schoolId, id, {
      baseUrl: BASE_URL,
      schoolName: DEMO_SCHOOL.name,
      today: localDate(at, ZONE),
      now: at,
      // The school had its text message service then (the closure went by text).
      textsCanGo: true,
    });
    sent.push({ letter, id, at });
  }

  // Next Friday's newsletter waits to go at 4pm; a letter is still being written.
  const friday = nextFriday(localDate(input.now, ZONE) > DEMO_TODAY ? localDate(input.now, ZONE) : DEMO_TODAY);
  await writeMessage(db, schoolId, plan.staffIds.head!, {
    kind: 'newsletter',
    tone: 'information',
    subject: SCHEDULED_NEWSLETTER.subject,
    body: SCHEDULED_NEWSLETTER.body,
    audience: { kind: 'school' },
    ack: false,
    status: 'scheduled',
    writtenAt: schoolTime(DEMO_TODAY, '07:45'),
    scheduledFor: schoolTime(friday, SCHEDULED_NEWSLETTER.time),
  });
  await writeMessage(db, schoolId, plan.staffIds[DRAFT_LETTER.author]!, {
    kind: DRAFT_LETTER.kind,
    tone: 'information',
    subject: DRAFT_LETTER.subject,
    body: DRAFT_LETTER.body,
    audience: { kind: 'years', years: DRAFT_LETTER.years },
    ack: false,
    status: 'draft',
    writtenAt: schoolTime('2026-11-20', '16:40'),
    scheduledFor: null,
  });

  return db.transaction().execute(async (trx) => {
    // Delivered at the time, by the worker of the day: starting the server now sends none of it.
    await trx
      .updateTable('outbox')
      .set((eb) => ({ status: 'sent', sent_at: eb.ref('created_at'), attempts: 1 }))
      .where('school_id', '=', schoolId)
      .where('status', '=', 'pending')
      .execute();
    // And Twilio reported each text delivered to the phone.
    await trx
      .updateTable('outbox')
      .set((eb) => ({ delivered_at: eb.ref('created_at') }))
      .where('school_id', '=', schoolId)
      .where('channel', '=', 'sms')
      .where('status', '=', 'sent')
      .execute();
    // Not a family Ms Lewis has spoken to: the first two silent families are the ones she rang.
    const bouncing = people.silentFamilies.slice(2).flatMap((f) => f.carers);
    await bounceOne(trx, sent.find((s) => s.letter.key === 'news-11-20')!.id, bouncing, plan);

    const received = await receivedInOrder(trx, schoolId, sent, plan);
    const { reads, acks } = readsOf(received, habitsOf(plan, journey, people, rng), rng);
    await stamp(trx, 'read_at', reads);
    await stamp(trx, 'acknowledged_at', acks);

    // Ms Lewis's calls; the DSL's emails about the one she passed on were delivered at the time too.
    const flo = plan.staffIds.flo!;
    const contacts = liaisonContacts(plan, journey, people, rng).map((c) => ({ ...c, id: newId() }));
    await insertInChunks(
      trx,
      'contact_log',
      contacts.map((c) => ({
        id: c.id,
        school_id: schoolId,
        carer_id: c.carerId,
        staff_id: flo,
        kind: c.kind,
        note: c.note,
        safeguarding: c.safeguarding ? 1 : 0,
        at: schoolTime(c.at.date, c.at.time).toISOString(),
      })),
    );
    for (const c of contacts) if (c.safeguarding) await passedToDsl(trx, schoolId, plan, flo, c);
    await trx
      .updateTable('outbox')
      .set((eb) => ({ status: 'sent', sent_at: eb.ref('created_at'), attempts: 1 }))
      .where('school_id', '=', schoolId)
      .where('status', '=', 'pending')
      .execute();

    const outbox = await trx
      .selectFrom('outbox')
      .select(['channel', (eb) => eb.fn.countAll<string>().as('n')])
      .where('school_id', '=', schoolId)
      .groupBy('channel')
      .execute();
    const count = (ch: string) => Number(outbox.find((o) => o.channel === ch)?.n ?? 0);
    const summary: TermSummary = { messages: sent.length + 2, recipients: received.length, emails: count('email'), texts: count('sms') };
    await audit(trx, { kind: 'system' }, { schoolId, action: 'demo.term_loaded', entity: 'school', entityId: schoolId, after: summary }, input.now);
    return summary;
  });
}

/** A contact marked as a safeguarding concern: the DSL and deputy alerted as they are in the app, and their readings since (audited, alerts seen). */
async function passedToDsl(trx: Db, schoolId: string, plan: Plan, flo: string, c: ContactEntry & { id: string }): Promise<void> {
  const link = contactsLink(c.carerId);
  const mark = { schoolId, title: CONTACT_SAFEGUARDING_ALERT_TITLE, link, key: `safeguarding-contact:${c.id}`, markedBy: flo };
  await alertSafeguardingLeads(trx, mark, schoolTime(c.at.date, c.at.time), BASE_URL);
  for (const r of c.safeguarding?.readBy ?? []) {
    const readerId = plan.staffIds[r.who]!;
    const at = schoolTime(r.at.date, r.at.time);
    await auditSafeguardingViews(trx, { kind: 'staff', id: readerId, schoolId }, schoolId, 'contact', [c.id], { carer_id: c.carerId }, at);
    await markAlertsSeen(trx, schoolId, readerId, link, at);
  }
}

type Draft = {
  kind: MessageKind;
  tone: 'good_news' | 'information' | 'concern';
  subject: string;
  body: string;
  audience: Audience;
  ack: boolean;
  status: 'draft' | 'scheduled';
  writtenAt: Date;
  scheduledFor: Date | null;
};

async function writeMessage(db: Db, schoolId: string, authorId: string, d: Draft): Promise<string> {
  const id = newId();
  const written = d.writtenAt.toISOString();
  await db
    .insertInto('messages')
    .values({
      id,
      school_id: schoolId,
      kind: d.kind,
      tone: d.tone,
      subject: d.subject,
      body: d.body,
      audience_json: JSON.stringify(d.audience),
      asks_acknowledgement: d.ack ? 1 : 0,
      status: d.status,
      scheduled_for: d.scheduledFor?.toISOString() ?? null,
      sent_at: null,
      created_by: authorId,
      created_at: written,
      updated_at: written,
    })
    .execute();
  return id;
}

async function addTranslations(db: Db, schoolId: string, messageId: string, key: string, staffIds: Readonly<Record<string, string>>, sendAt: Date): Promise<void> {
  const mine = TRANSLATIONS.filter((t) => t.newsletter === key);
  if (mine.length === 0) return;
  const updated = new Date(sendAt.getTime() - 30 * 60_000).toISOString();
  await db
    .insertInto('message_translations')
    .values(
      mine.map((t) => ({
        id: newId(),
        school_id: schoolId,
        message_id: messageId,
        language: t.language,
        subject: t.subject,
        body: t.body,
        source: t.source,
        status: t.status,
        written_by: staffIds.office!,
        checked_by: t.status === 'checked' ? staffIds.head! : null,
        updated_at: updated,
      })),
    )
    .execute();
}

/** The app-only readers turned emails off from the link in the first newsletter. */
async function stopEmails(db: Db, schoolId: string, carerIds: string[], at: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('carers').set({ channel_email: 0, updated_at: at.toISOString() }).where('id', 'in', carerIds).execute();
    for (const id of carerIds) {
      await audit(trx, { kind: 'carer', id, schoolId }, { schoolId, action: 'carer.stopped_emails', entity: 'carer', entityId: id, before: { channel_email: 1 }, after: { channel_email: 0 } }, at);
    }
  });
}

/** One address stopped working: the last newsletter to it bounced, for good. */
async function bounceOne(db: Db, messageId: string, carerIds: string[], plan: Plan): Promise<void> {
  const order = new Map(plan.carers.map((c, i) => [c.id, i]));
  const rows = await db
    .selectFrom('outbox')
    .innerJoin('message_recipients', 'message_recipients.id', 'outbox.ref')
    .select(['outbox.id', 'outbox.recipient', 'message_recipients.carer_id'])
    .where('message_recipients.message_id', '=', messageId)
    .where('outbox.channel', '=', 'email')
    .where('message_recipients.carer_id', 'in', carerIds)
    .execute();
  const row = rows.sort((a, b) => order.get(a.carer_id)! - order.get(b.carer_id)!)[0];
  if (!row) throw new Error('The demo term has no email to bounce');
  await db
    .updateTable('outbox')
    .set({ status: 'failed', sent_at: null, last_error: bounce(row.recipient) })
    .where('id', '=', row.id)
    .execute();
}

/** Everything received, in the order sent and then in the order the carers were made. */
async function receivedInOrder(db: Db, schoolId: string, sent: { letter: TermLetter; id: string; at: Date }[], plan: Plan): Promise<Received[]> {
  const messages = new Map(sent.map((s, i) => [s.id, { i, s }]));
  const carerOrder = new Map(plan.carers.map((c, i) => [c.id, i]));
  const rows = await db.selectFrom('message_recipients').select(['id', 'message_id', 'carer_id', 'channels']).where('school_id', '=', schoolId).execute();
  return rows
    .filter((r) => messages.has(r.message_id))
    .sort((a, b) => messages.get(a.message_id)!.i - messages.get(b.message_id)!.i || carerOrder.get(a.carer_id)! - carerOrder.get(b.carer_id)!)
    .map((r) => {
      const { s } = messages.get(r.message_id)!;
      return { id: r.id, carerId: r.carer_id, channels: r.channels, sentAt: s.at.toISOString(), kind: s.letter.kind, asksAck: s.letter.ack ?? false };
    });
}

/** The first Friday after a date. */
function nextFriday(after: LocalDate): LocalDate {
  let d = DateTime.fromISO(after).plus({ days: 1 });
  while (d.weekday !== 5) d = d.plus({ days: 1 });
  return d.toISODate() as LocalDate;
}
