import type { Db } from '../../db/database.ts';
import type { AccessRequestKind, AccessRequestStatus, LocalDate } from '../../db/schema.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import type { SchoolCalendar } from '../../platform/calendar/school-days.ts';
import { formatDate } from '../../platform/calendar/time.ts';
import type { FieldErrors } from '../../platform/web/forms.ts';
import { daysUntil, dueDate, DUE_THIS_WEEK_DAYS, extendedDueDate } from './due-dates.ts';
import type { DetailsInput, RequestInput } from './forms.ts';

type StaffActor = Actor & { kind: 'staff' };

/**
 * The pupils and carers of the school (not archived), for the form's lists, by family name; with the
 * ones a request already names, archived or not (a former pupil's request is corrected, not lost).
 */
export async function choicesOf(db: Db, schoolId: string, keep: { pupilId?: string | null; carerId?: string | null } = {}) {
  const [pupils, carers] = await Promise.all([
    db
      .selectFrom('pupils')
      .select(['id', 'given_name', 'preferred_name', 'family_name', 'year_group'])
      .where('school_id', '=', schoolId)
      .where((eb) => (keep.pupilId ? eb.or([eb('archived_at', 'is', null), eb('id', '=', keep.pupilId)]) : eb('archived_at', 'is', null)))
      .orderBy('family_name')
      .orderBy('given_name')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('carers')
      .select(['id', 'given_name', 'family_name'])
      .where('school_id', '=', schoolId)
      .where((eb) => (keep.carerId ? eb.or([eb('archived_at', 'is', null), eb('id', '=', keep.carerId)]) : eb('archived_at', 'is', null)))
      .orderBy('family_name')
      .orderBy('given_name')
      .orderBy('id')
      .execute(),
  ]);
  return {
    pupils: pupils.map((p) => ({ id: p.id, name: `${p.preferred_name || p.given_name} ${p.family_name}`, year: p.year_group })),
    carers: carers.map((c) => ({ id: c.id, name: `${c.given_name} ${c.family_name}` })),
  };
}

type Recorded = { ok: true; id: string } | { ok: false; errors: FieldErrors };

/** The due date for these details, or what is wrong with the date received (in the future; term dates run out). */
export function dueOrErrors(
  kind: AccessRequestKind,
  received: LocalDate,
  calendar: SchoolCalendar,
  today: LocalDate,
  then = 'record the request',
): { ok: true; dueOn: LocalDate } | { ok: false; errors: FieldErrors } {
  if (received > today) return { ok: false, errors: { received_on: 'The date the request was received must be today or in the past' } };
  const due = dueDate(kind, received, calendar);
  if (due.ok) return due;
  const upTo = due.lastTermEndsOn ? `The term dates in Gatepost end on ${formatDate(due.lastTermEndsOn)}` : 'There are no term dates in Gatepost';
  return { ok: false, errors: { received_on: `${upTo}, so 15 school days cannot be counted: add the next terms at /settings/term-dates, then ${then}` } };
}

/** The columns the details fill: a carer of the school, or someone outside by name; a pupil, their own, or someone else's. */
export function detailsRow(input: DetailsInput) {
  const carerId = input.requester === 'carer' ? input.carer_id! : null;
  return {
    kind: input.kind,
    requester_carer_id: carerId,
    requester_name: carerId ? null : input.requester_name,
    requester_contact: carerId ? null : input.requester_contact,
    about: input.about,
    pupil_id: input.about === 'pupil' ? input.pupil_id! : null,
    about_other: input.about === 'other' ? input.about_other : null,
    received_on: input.received_on,
  };
}

/** The carer and the pupil chosen must be the school's (a form may be sent with anyone's id typed in). */
export async function choicesAreTheSchools(db: Db, schoolId: string, row: { requester_carer_id: string | null; pupil_id: string | null }): Promise<FieldErrors | null> {
  if (row.requester_carer_id && !(await db.selectFrom('carers').select('id').where('school_id', '=', schoolId).where('id', '=', row.requester_carer_id).executeTakeFirst())) {
    return { carer_id: 'Choose the parent or carer who asked from the list' };
  }
  if (row.pupil_id && !(await db.selectFrom('pupils').select('id').where('school_id', '=', schoolId).where('id', '=', row.pupil_id).executeTakeFirst())) {
    return { pupil_id: 'Choose the pupil from the list' };
  }
  return null;
}

/**
 * Record a new request: the carer and pupil chosen must be the school's, the date received not in the
 * future, and the due date countable (an education record needs term dates far enough ahead).
 */
export async function recordRequest(db: Db, actor: StaffActor, input: RequestInput, calendar: SchoolCalendar, today: LocalDate, now: Date): Promise<Recorded> {
  const due = dueOrErrors(input.kind, input.received_on, calendar, today);
  if (!due.ok) return due;
  return db.transaction().execute(async (trx): Promise<Recorded> => {
    const details = detailsRow(input);
    const wrong = await choicesAreTheSchools(trx, actor.schoolId, details);
    if (wrong) return { ok: false as const, errors: wrong };
    const id = input.form_id;
    const row = { ...details, identity_checked: input.identity_checked === 'yes' ? (1 as const) : (0 as const), due_on: due.dueOn };
    const inserted = await trx
      .insertInto('access_requests')
      .values({
        id,
        school_id: actor.schoolId,
        ...row,
        extended_reason: null,
        status: 'open',
        sent_on: null,
        refused_reason: null,
        closed_by: null,
        closed_at: null,
        created_by: actor.id,
        created_at: now.toISOString(),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      // The same form sent twice (a double click, a resend): the first one recorded it.
      const same = await trx.selectFrom('access_requests').select('id').where('id', '=', id).where('school_id', '=', actor.schoolId).where('created_by', '=', actor.id).executeTakeFirst();
      if (!same) return { ok: false as const, errors: { form_id: 'This form has expired. Go back, refresh the page and try again.' } };
      return { ok: true as const, id: same.id };
    }
    await audit(trx, actor, { schoolId: actor.schoolId, action: 'access_request.recorded', entity: 'access_request', entityId: id, after: row }, now);
    return { ok: true as const, id };
  });
}

function requestsQuery(db: Db, schoolId: string) {
  return db
    .selectFrom('access_requests as r')
    .leftJoin('carers as c', (j) => j.onRef('c.id', '=', 'r.requester_carer_id').onRef('c.school_id', '=', 'r.school_id'))
    .leftJoin('pupils as p', (j) => j.onRef('p.id', '=', 'r.pupil_id').onRef('p.school_id', '=', 'r.school_id'))
    .leftJoin('staff as s', (j) => j.onRef('s.id', '=', 'r.created_by').onRef('s.school_id', '=', 'r.school_id'))
    .selectAll('r')
    .select(['c.given_name as carer_given', 'c.family_name as carer_family', 'p.given_name as pupil_given', 'p.preferred_name as pupil_preferred', 'p.family_name as pupil_family'])
    .select(['s.title as staff_title', 's.family_name as staff_family'])
    .where('r.school_id', '=', schoolId);
}

type Row = Awaited<ReturnType<ReturnType<typeof requestsQuery>['execute']>>[number];
export type AccessRequest = ReturnType<typeof shaped>;

function shaped(r: Row) {
  const requester = r.requester_carer_id ? `${r.carer_given} ${r.carer_family}` : (r.requester_name ?? '');
  const pupil = r.pupil_id ? `${r.pupil_preferred || r.pupil_given} ${r.pupil_family}` : null;
  const aboutWhom = r.about === 'pupil' ? pupil : r.about === 'requester' ? requester : r.about_other;
  return { ...r, requester, pupil, aboutWhom, recordedBy: `${r.staff_title ?? ''} ${r.staff_family ?? ''}`.trim() };
}

/** Open requests, the soonest due first; then the latest closed ones (sent or refused). */
export async function requestsOf(db: Db, schoolId: string, o: { closedLimit: number }) {
  const [open, closed] = await Promise.all([
    requestsQuery(db, schoolId).where('r.status', '=', 'open').orderBy('r.due_on').orderBy('r.received_on').orderBy('r.id').execute(),
    requestsQuery(db, schoolId).where('r.status', '!=', 'open').orderBy('r.closed_at', 'desc').orderBy('r.id').limit(o.closedLimit).execute(),
  ]);
  return { open: open.map(shaped), closed: closed.map(shaped) };
}

export async function requestOf(db: Db, schoolId: string, id: string): Promise<AccessRequest | undefined> {
  const row = await requestsQuery(db, schoolId).where('r.id', '=', id).executeTakeFirst();
  return row ? shaped(row) : undefined;
}

/** How many open requests are overdue, and how many fall due within the week: for the home page. */
export async function requestsDue(db: Db, schoolId: string, today: LocalDate): Promise<{ overdue: number; thisWeek: number }> {
  const open = await db.selectFrom('access_requests').select('due_on').where('school_id', '=', schoolId).where('status', '=', 'open').execute();
  const days = open.map((r) => daysUntil(today, r.due_on));
  return { overdue: days.filter((d) => d < 0).length, thisWeek: days.filter((d) => d >= 0 && d < DUE_THIS_WEEK_DAYS).length };
}

export type Changed = { ok: true } | { ok: false; errors: FieldErrors } | { ok: false; missing: true };

/** Compare-and-set on an open request: only an open one changes; the audit keeps before and after. */
async function changeOpen(
  db: Db,
  actor: StaffActor,
  id: string,
  now: Date,
  change: (r: { kind: AccessRequestKind; received_on: LocalDate; due_on: LocalDate; extended_reason: string | null }) =>
    | { errors: FieldErrors }
    | {
        set: Partial<{ due_on: LocalDate; extended_reason: string; status: AccessRequestStatus; sent_on: LocalDate; refused_reason: string; closed_by: string; closed_at: string }>;
        action: string;
        before: object;
      },
): Promise<Changed> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('access_requests')
      .select(['kind', 'received_on', 'due_on', 'extended_reason', 'status'])
      .where('school_id', '=', actor.schoolId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!current) return { ok: false as const, missing: true as const };
    if (current.status !== 'open') return { ok: false as const, errors: { _form: `This request is already ${current.status === 'sent' ? 'sent' : 'refused'}: nothing was changed` } };
    const decided = change(current);
    if ('errors' in decided) return { ok: false as const, errors: decided.errors };
    const done = await trx.updateTable('access_requests').set(decided.set).where('school_id', '=', actor.schoolId).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) return { ok: false as const, errors: { _form: 'Someone else changed this request at the same moment: look again' } };
    await audit(trx, actor, { schoolId: actor.schoolId, action: decided.action, entity: 'access_request', entityId: id, before: decided.before, after: decided.set }, now);
    return { ok: true as const };
  });
}

/** Who asked has now been checked (proof of identity seen): said once, while the request is open. */
export async function markIdentityChecked(db: Db, actor: StaffActor, id: string, now: Date): Promise<Changed> {
  return db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('access_requests')
      .set({ identity_checked: 1 })
      .where('school_id', '=', actor.schoolId)
      .where('id', '=', id)
      .where('status', '=', 'open')
      .where('identity_checked', '=', 0)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) {
      const current = await trx.selectFrom('access_requests').select('id').where('school_id', '=', actor.schoolId).where('id', '=', id).executeTakeFirst();
      return current ? { ok: true as const } : { ok: false as const, missing: true as const };
    }
    await audit(
      trx,
      actor,
      { schoolId: actor.schoolId, action: 'access_request.identity_checked', entity: 'access_request', entityId: id, before: { identity_checked: 0 }, after: { identity_checked: 1 } },
      now,
    );
    return { ok: true as const };
  });
}

/** Extend a complex subject access request: due three calendar months from receipt, once, with the reason. */
export function extendRequest(db: Db, actor: StaffActor, id: string, reason: string, now: Date): Promise<Changed> {
  return changeOpen(db, actor, id, now, (r) => {
    if (r.kind !== 'subject_access') return { errors: { complex_reason: 'Only a subject access request can be extended: an education record is due in 15 school days' } };
    if (r.extended_reason !== null) return { errors: { complex_reason: 'This request has already been extended: it cannot be extended again' } };
    return { set: { due_on: extendedDueDate(r.received_on), extended_reason: reason }, action: 'access_request.extended', before: { due_on: r.due_on } };
  });
}

/** The answer was sent on a date (not before the request came, not in the future). */
export function markSent(db: Db, actor: StaffActor, id: string, sentOn: LocalDate, today: LocalDate, now: Date): Promise<Changed> {
  return changeOpen(db, actor, id, now, (r) => {
    if (sentOn > today) return { errors: { sent_on: 'The date it was sent must be today or in the past' } };
    if (sentOn < r.received_on) return { errors: { sent_on: 'The date it was sent must be on or after the date the request was received' } };
    return { set: { status: 'sent', sent_on: sentOn, closed_by: actor.id, closed_at: now.toISOString() }, action: 'access_request.sent', before: { status: 'open' } };
  });
}

/** The request is refused (manifestly unfounded or excessive, or an exemption applies), with the reason. */
export function refuseRequest(db: Db, actor: StaffActor, id: string, reason: string, now: Date): Promise<Changed> {
  return changeOpen(db, actor, id, now, () => ({
    set: { status: 'refused', refused_reason: reason, closed_by: actor.id, closed_at: now.toISOString() },
    action: 'access_request.refused',
    before: { status: 'open' },
  }));
}
