import type { Kysely } from 'kysely';
import type { AgreementMeasure, Database, LocalDate } from '../../db/schema.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { schoolDaysBefore, type SchoolCalendar } from '../../platform/calendar/school-days.ts';
import { REPLY_SCHOOL_DAYS, replyBy } from '../../platform/calendar/first-reply.ts';

type Db = Kysely<Database>;

/**
 * The evidence a school may show beside one of its promises: a fixed list, each a query of what
 * Gatepost already records and a pure function that turns those facts into a figure (tested apart).
 * The figure covers the current term up to today.
 */
export type Period = { from: LocalDate; to: LocalDate; name: string };
export type MeasureContext = { schoolId: string; period: Period; calendar: SchoolCalendar; timeZone: string };
export type Evidence = { measured: number; met: number; share: number | null; sentence: string };

type Measure<F> = {
  label: string;
  /** For the school choosing: what the figure counts. */
  describes: string;
  facts: (db: Db, ctx: MeasureContext) => Promise<F>;
  figure: (facts: F, ctx: Omit<MeasureContext, 'schoolId'>) => Evidence;
};

const share = (met: number, measured: number) => (measured === 0 ? null : Math.round((100 * met) / measured));
const startOf = (d: LocalDate) => `${d}T00:00:00.000Z`;
const endOf = (d: LocalDate) => `${d}T23:59:59.999Z`;

// ---- "We will tell you in advance": agendas sent two school days before the meeting.
export type AgendaFacts = { startsAt: string; agendaSentAt: string | null }[];
export function agendaFigure(facts: AgendaFacts, ctx: { calendar: SchoolCalendar; timeZone: string; period: Period }): Evidence {
  let met = 0;
  for (const m of facts) {
    const day = localDate(new Date(m.startsAt), ctx.timeZone);
    const by = schoolDaysBefore(ctx.calendar, day, 2);
    if (m.agendaSentAt && localDate(new Date(m.agendaSentAt), ctx.timeZone) <= by) met += 1;
  }
  const s = share(met, facts.length);
  return {
    measured: facts.length,
    met,
    share: s,
    sentence:
      facts.length === 0 ? `No meetings with families yet in ${ctx.period.name}.` : `${met} of ${facts.length} meetings in ${ctx.period.name} had their agenda sent two school days ahead (${s}%).`,
  };
}
async function agendaFacts(db: Db, ctx: MeasureContext): Promise<AgendaFacts> {
  // Meetings with a family held or still to come this term (parents' evening slots have no agenda).
  const meetings = await db
    .selectFrom('meetings')
    .select(['id', 'starts_at'])
    .where('school_id', '=', ctx.schoolId)
    .where('status', 'in', ['scheduled', 'held'])
    .where('evening_booking_id', 'is', null)
    .where('starts_at', '>=', startOf(ctx.period.from))
    .where('starts_at', '<=', endOf(ctx.period.to))
    .execute();
  if (meetings.length === 0) return [];
  const sent = await db
    .selectFrom('audit_log')
    .select(['entity_id', (eb) => eb.fn.min('at').as('first')])
    .where('school_id', '=', ctx.schoolId)
    .where('action', '=', 'meeting.agenda_sent')
    .where(
      'entity_id',
      'in',
      meetings.map((m) => m.id),
    )
    .groupBy('entity_id')
    .execute();
  const firstSent = new Map(sent.map((r) => [r.entity_id, r.first as string]));
  return meetings.filter((m) => m.starts_at).map((m) => ({ startsAt: m.starts_at!, agendaSentAt: firstSent.get(m.id) ?? null }));
}

// ---- "We will share good news": families who received praise this term.
export type PraiseFacts = { carers: number; praised: number };
export function praiseFigure(facts: PraiseFacts, ctx: { period: Period }): Evidence {
  const s = share(facts.praised, facts.carers);
  return {
    measured: facts.carers,
    met: facts.praised,
    share: s,
    sentence: facts.carers === 0 ? 'No families yet.' : `${facts.praised} of ${facts.carers} carers received praise about their child in ${ctx.period.name} (${s}%).`,
  };
}
async function praiseFacts(db: Db, ctx: MeasureContext): Promise<PraiseFacts> {
  const [all, praised] = await Promise.all([
    db
      .selectFrom('carer_pupils')
      .innerJoin('pupils', 'pupils.id', 'carer_pupils.pupil_id')
      .innerJoin('carers', 'carers.id', 'carer_pupils.carer_id')
      .select((eb) => eb.fn.count<number | string>('carer_pupils.carer_id').distinct().as('n'))
      .where('carer_pupils.school_id', '=', ctx.schoolId)
      .where('carer_pupils.may_receive_information', '=', 1)
      .where('pupils.archived_at', 'is', null)
      .where('carers.archived_at', 'is', null)
      .executeTakeFirst(),
    db
      .selectFrom('message_recipients')
      .innerJoin('messages', 'messages.id', 'message_recipients.message_id')
      .select((eb) => eb.fn.count<number | string>('message_recipients.carer_id').distinct().as('n'))
      .where('messages.school_id', '=', ctx.schoolId)
      .where('messages.kind', '=', 'praise')
      .where('messages.status', '=', 'sent')
      .where('messages.sent_at', '>=', startOf(ctx.period.from))
      .where('messages.sent_at', '<=', endOf(ctx.period.to))
      .executeTakeFirst(),
  ]);
  return { carers: Number(all?.n ?? 0), praised: Number(praised?.n ?? 0) };
}

// ---- "We will reply within N school days": concerns with a reply (a contact or the outcome) in time.
// The number and the counting are platform/calendar/first-reply.ts's: the date the family is told on the concern, never a copy here.
export type ConcernFacts = { raisedOn: LocalDate; repliedOn: LocalDate | null }[];
export function concernsFigure(facts: ConcernFacts, ctx: { calendar: SchoolCalendar; period: Period }): Evidence {
  let measured = 0;
  let met = 0;
  for (const c of facts) {
    const by = replyBy(ctx.calendar, c.raisedOn);
    const onTime = !!c.repliedOn && c.repliedOn <= by;
    // Still inside its time with no reply yet: not counted either way.
    if (!onTime && !c.repliedOn && by >= ctx.period.to) continue;
    measured += 1;
    if (onTime) met += 1;
  }
  const s = share(met, measured);
  return {
    measured,
    met,
    share: s,
    sentence:
      measured === 0
        ? `No concerns to count yet in ${ctx.period.name}.`
        : `${met} of ${measured} concerns raised in ${ctx.period.name} were replied to within ${REPLY_SCHOOL_DAYS} school days (${s}%).`,
  };
}
async function concernFacts(db: Db, ctx: MeasureContext): Promise<ConcernFacts> {
  const concerns = await db
    .selectFrom('concerns')
    .select(['id', 'raised_on', 'closed_at'])
    .where('school_id', '=', ctx.schoolId)
    .where('raised_on', '>=', ctx.period.from)
    .where('raised_on', '<=', ctx.period.to)
    .execute();
  if (concerns.length === 0) return [];
  const replies = await db
    .selectFrom('concern_entries')
    .select(['concern_id', (eb) => eb.fn.min('created_at').as('first')])
    .where('school_id', '=', ctx.schoolId)
    .where('written_by_kind', '=', 'staff')
    .where('kind', 'in', ['contact', 'outcome'])
    .where(
      'concern_id',
      'in',
      concerns.map((c) => c.id),
    )
    .groupBy('concern_id')
    .execute();
  const first = new Map(replies.map((r) => [r.concern_id, r.first as string]));
  return concerns.map((c) => {
    const at = [first.get(c.id), c.closed_at].filter((x): x is string => !!x).sort()[0];
    return { raisedOn: c.raised_on, repliedOn: at ? localDate(new Date(at), ctx.timeZone) : null };
  });
}

// ---- "We will do what we said we would": the school's meeting actions done by their date.
export type ActionFacts = { dueOn: LocalDate; doneOn: LocalDate | null }[];
export function actionsFigure(facts: ActionFacts, ctx: { period: Period }): Evidence {
  const met = facts.filter((a) => a.doneOn !== null && a.doneOn <= a.dueOn).length;
  const s = share(met, facts.length);
  return {
    measured: facts.length,
    met,
    share: s,
    sentence:
      facts.length === 0
        ? `No school actions from meetings fell due yet in ${ctx.period.name}.`
        : `${met} of ${facts.length} things the school agreed to do at meetings were done by the date agreed (${s}%).`,
  };
}
async function actionFacts(db: Db, ctx: MeasureContext): Promise<ActionFacts> {
  const rows = await db
    .selectFrom('meeting_actions')
    .select(['due_on', 'done_at'])
    .where('school_id', '=', ctx.schoolId)
    .where('owner_kind', '=', 'school')
    .where('due_on', '>=', ctx.period.from)
    .where('due_on', '<=', ctx.period.to)
    .execute();
  return rows.map((r) => ({ dueOn: r.due_on, doneOn: r.done_at ? localDate(new Date(r.done_at), ctx.timeZone) : null }));
}

/** A measure with its facts and figure joined: what the evidence page runs. */
export type ShownMeasure = { label: string; describes: string; run: (db: Db, ctx: MeasureContext) => Promise<Evidence> };
const shown = <F>(m: Measure<F>): ShownMeasure => ({ label: m.label, describes: m.describes, run: async (db, ctx) => m.figure(await m.facts(db, ctx), ctx) });

export const MEASURES: Record<AgreementMeasure, ShownMeasure> = {
  agenda_ahead: shown<AgendaFacts>({
    label: 'Agendas sent two school days before meetings',
    describes: 'Share of meetings with a family this term whose agenda was sent at least two school days before.',
    facts: agendaFacts,
    figure: agendaFigure,
  }),
  praise_families: shown<PraiseFacts>({
    label: 'Families who received praise this term',
    describes: 'Share of carers who received praise about their child this term.',
    facts: praiseFacts,
    figure: praiseFigure,
  }),
  concerns_replied: shown<ConcernFacts>({
    label: `Concerns replied to within ${REPLY_SCHOOL_DAYS} school days`,
    describes: `Share of concerns raised this term with a reply (a recorded contact or the outcome) within ${REPLY_SCHOOL_DAYS} school days.`,
    facts: concernFacts,
    figure: concernsFigure,
  }),
  actions_done: shown<ActionFacts>({
    label: 'Actions from meetings done on time',
    describes: 'Share of the school’s actions from meetings, due this term, done by the date agreed.',
    facts: actionFacts,
    figure: actionsFigure,
  }),
};

/** The figure for one measure now. */
export async function evidenceFor(db: Db, measure: AgreementMeasure, ctx: MeasureContext): Promise<Evidence> {
  return MEASURES[measure].run(db, ctx);
}

/** The current term up to today (or the last term to have started). */
export function periodFor(terms: readonly { name: string; starts_on: LocalDate; ends_on: LocalDate }[], today: LocalDate): Period {
  const started = [...terms].filter((t) => t.starts_on <= today).sort((a, b) => b.starts_on.localeCompare(a.starts_on));
  const term = started[0];
  if (!term) return { from: today, to: today, name: 'this term' };
  return { from: term.starts_on, to: today < term.ends_on ? today : term.ends_on, name: term.name };
}
