import { z } from 'zod';
import type { Db } from '../../../db/database.ts';
import type { PublicComplaintTable, SchoolTable } from '../../../db/schema.ts';
import type { Selectable } from 'kysely';
import { alertStaff, staffWithRoles } from '../../../platform/alerts/alerts.ts';
import { audit, type Actor } from '../../../platform/audit/audit.ts';
import type { Rule } from '../../../platform/auth/rate-limit.ts';
import { schoolCalendar } from '../../../platform/calendar/calendar-queries.ts';
import { localDate } from '../../../platform/calendar/time.ts';
import { requiredDate } from '../../../platform/calendar/typed.ts';
import { newId } from '../../../platform/ids.ts';
import { enqueue } from '../../../platform/outbox/outbox.ts';
import { checkbox, text } from '../../../platform/web/forms.ts';
import { stageOneTimeline } from '../complaint-timeline.ts';
import { longDate } from '../concerns.ts';
import { triagers } from './public-triage.ts';
import { settingsFor } from './queries.ts';
import type { ComplaintSettings } from './settings.ts';

/**
 * A complaint made by anyone, on the public form (issue 14, point 5): no sign-in. A maintained school
 * must hear complaints from anyone; an academy's procedure covers parents of its pupils, so there the
 * form asks, and refuses anyone else with the reason. The complaint is acknowledged by email through
 * the outbox with its dates in school days, the head is alerted, and the head triages it: takes it on
 * (it will be answered by its date) or declines it with the reason, and the complainant is told.
 * The school is named in the address by its URN (public, and on the school's own complaints page).
 */
export type PublicComplaint = Selectable<PublicComplaintTable>;

const emailAddress = z
  .string({ error: 'Enter your email address' })
  .trim()
  .min(1, 'Enter your email address')
  .max(254, 'Email address must be 254 characters or fewer')
  .email('Enter an email address in the correct format, like name@example.com')
  .transform((v) => v.toLowerCase());
const phone = z
  .string()
  .trim()
  .max(30, 'Phone number must be 30 characters or fewer')
  .regex(/^[+\d][\d ()-]*$|^$/, 'Enter a phone number, like 01632 960 001 or 07700 900 982')
  .optional()
  .transform((v) => (v ? v : null));

export const PublicComplaintForm = z.object({
  name: text('your name', 200),
  email: emailAddress,
  phone,
  connection: text('how you are connected with the school', 500),
  about: text('your complaint', 5_000),
  would_like: text('what would put it right', 2_000),
  /** GOV.UK's three boxes (last_incident_on-day/-month/-year): more than three months before, it is flagged for a decision. */
  last_incident_on: requiredDate('Enter the date of the last thing that happened'),
  /** About the head: it goes to whoever the settings name (the chair of governors), as a carer's does. */
  about_head: checkbox,
  parent: z.enum(['yes', 'no']).optional(),
});
export type PublicComplaintInput = z.output<typeof PublicComplaintForm>;

/** How often one network and one email address may use the form: a person with a real complaint is never stopped by it. */
export const PUBLIC_COMPLAINT_LIMITS = {
  network: { free: 20, windowMinutes: 60, firstWaitSeconds: 60, maxWaitSeconds: 60 * 60 },
  email: { free: 3, windowMinutes: 24 * 60, firstWaitSeconds: 60 * 60, maxWaitSeconds: 24 * 60 * 60 },
} satisfies Record<string, Rule>;

export async function schoolByUrn(db: Db, urn: string): Promise<Pick<SchoolTable, 'id' | 'name' | 'time_zone'> | undefined> {
  if (!/^\d{5,8}$/.test(urn)) return undefined;
  return db.selectFrom('schools').select(['id', 'name', 'time_zone']).where('urn', '=', urn).executeTakeFirst();
}

/** Who the form is for, from the school's setting. */
export function whoTheFormIsFor(settings: ComplaintSettings): 'anyone' | 'parents' {
  return settings.schoolType === 'academy' ? 'parents' : 'anyone';
}

export type PublicMade = { ok: true; id: string } | { ok: false; field: string; message: string };

export async function makePublicComplaint(
  db: Db,
  school: Pick<SchoolTable, 'id' | 'name' | 'time_zone'>,
  input: PublicComplaintInput,
  ctx: { now: Date; baseUrl: string; ip?: string | null },
): Promise<PublicMade> {
  const settings = await settingsFor(db, school.id);
  if (whoTheFormIsFor(settings) === 'parents') {
    if (!input.parent) return { ok: false, field: 'parent', message: 'Say whether you are a parent or carer of a pupil at the school' };
    if (input.parent === 'no')
      return {
        ok: false,
        field: 'parent',
        message: `${school.name} is an academy: its complaints procedure covers parents and carers of its pupils. For anything else, contact the academy trust, or the Department for Education at www.gov.uk/complain-to-dfe`,
      };
  }
  const today = localDate(ctx.now, school.time_zone);
  if (input.last_incident_on > today) return { ok: false, field: 'last_incident_on', message: 'The date of the last thing that happened must be today or before' };
  const calendar = await schoolCalendar(db, school.id);
  const dates = stageOneTimeline(calendar, { receivedOn: today, lastIncidentOn: input.last_incident_on, yearGroup: null }, settings.limits);
  const id = newId();
  const at = ctx.now.toISOString();
  const actor: Actor = { kind: 'system' }; // nobody signed in: the complainant is named in the record
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('public_complaints')
      .values({
        id,
        school_id: school.id,
        name: input.name,
        email: input.email,
        phone: input.phone,
        connection: input.connection,
        about: input.about,
        would_like: input.would_like,
        received_on: today,
        acknowledge_by: dates.acknowledgeBy,
        respond_by: dates.respondBy,
        last_incident_on: input.last_incident_on,
        about_head: input.about_head,
        safeguarding: 0,
        status: 'new',
        decision_reason: null,
        decided_by: null,
        decided_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await audit(
      trx,
      actor,
      { schoolId: school.id, action: 'public_complaint.made', entity: 'public_complaint', entityId: id, after: { respond_by: dates.respondBy, late: dates.late, about_head: input.about_head } },
      ctx.now,
    );
    await enqueue(
      trx,
      [
        {
          channel: 'email',
          schoolId: school.id,
          key: `public-complaint-received:${id}`,
          ref: id,
          payload: {
            to: input.email,
            subject: `${school.name}: we have received your complaint`,
            text: [
              `Dear ${input.name},`,
              '',
              `We have received your complaint. It will be looked into under the school’s complaints procedure by someone not connected with the matter.`,
              '',
              `${input.about_head ? 'Someone not connected with the head teacher' : 'The head teacher'} will decide by ${longDate(dates.acknowledgeBy)} how it will be dealt with, and we will answer it by ${longDate(dates.respondBy)} (counted in school days from ${longDate(dates.countsFrom)}). If a date has to move, we will tell you the new date and why.`,
              '',
              'What you wrote:',
              input.about,
              '',
              school.name,
            ].join('\n'),
          },
        },
      ],
      ctx.now,
    );
    // The head, or for a complaint about the head whoever the settings name (the carers' rule).
    const leads = triagers(input.about_head === 1, settings, await staffWithRoles(trx, school.id, ['head']));
    await alertStaff(
      trx,
      {
        schoolId: school.id,
        staffIds: leads,
        kind: 'referral',
        title: dates.late
          ? 'A complaint was made on the public form more than three months after the last incident: decide how it will be dealt with'
          : 'A complaint was made on the public form: decide how it will be dealt with',
        link: `/complaints/public/${id}`,
        key: `public-complaint:${id}`,
      },
      ctx.now,
      ctx.baseUrl,
    );
  });
  return { ok: true, id };
}

export const DecisionForm = z.object({
  decision: z.enum(['accepted', 'declined'], { error: 'Choose whether to take it on or decline it' }),
  reason: text('what the complainant is told', 3_000),
});

/** The head's triage: taken on (answered by its date) or declined with the reason; the complainant is told by email. */
export async function decidePublicComplaint(
  db: Db,
  by: { staffId: string; schoolId: string; ip?: string | null },
  complaint: PublicComplaint,
  input: z.output<typeof DecisionForm>,
  now: Date,
): Promise<{ ok: true; caseId: string | null } | { ok: false; field: string; message: string }> {
  if (complaint.status !== 'new') return { ok: false, field: 'decision', message: 'This complaint has been decided already' };
  const [school, calendar, settings] = await Promise.all([
    db.selectFrom('schools').select('name').where('id', '=', complaint.school_id).executeTakeFirstOrThrow(),
    schoolCalendar(db, complaint.school_id),
    settingsFor(db, complaint.school_id),
  ]);
  const at = now.toISOString();
  const caseId = input.decision === 'accepted' ? newId() : null;
  await db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('public_complaints')
      .set({ status: input.decision, decision_reason: input.reason, decided_by: by.staffId, decided_at: at, updated_at: at })
      .where('id', '=', complaint.id)
      .where('school_id', '=', complaint.school_id)
      .where('status', '=', 'new')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return;
    await audit(
      trx,
      { kind: 'staff', id: by.staffId, schoolId: by.schoolId, ip: by.ip ?? null },
      { schoolId: complaint.school_id, action: `public_complaint.${input.decision}`, entity: 'public_complaint', entityId: complaint.id, after: { reason: input.reason, complaint_id: caseId } },
      now,
    );
    if (caseId)
      await openCase(
        trx,
        by,
        complaint,
        caseId,
        stageOneTimeline(calendar, { receivedOn: complaint.received_on, lastIncidentOn: complaint.last_incident_on ?? complaint.received_on, yearGroup: null }, settings.limits),
        input.reason,
        now,
      );
    const lines =
      input.decision === 'accepted'
        ? [`Your complaint will be looked into under the school’s complaints procedure. We will answer it by ${longDate(complaint.respond_by)}.`, '', input.reason]
        : [
            'The school cannot look into your complaint under its complaints procedure, for this reason:',
            '',
            input.reason,
            '',
            'If you are not satisfied, you can contact the Department for Education: www.gov.uk/complain-to-dfe',
          ];
    await enqueue(
      trx,
      [
        {
          channel: 'email',
          schoolId: complaint.school_id,
          key: `public-complaint-decided:${complaint.id}`,
          ref: complaint.id,
          payload: { to: complaint.email, subject: `${school.name}: how your complaint will be dealt with`, text: [`Dear ${complaint.name},`, '', ...lines, '', school.name].join('\n') },
        },
      ],
      now,
    );
  });
  return { ok: true, caseId };
}

/**
 * Taken on, a complaint from the public form becomes a formal case like any other (migration 0028):
 * the head leads it, appoints the investigating officer, and every step (dates that move, the report,
 * the outcome letter, the panel and its papers) tells the complainant by email. It keeps the dates the
 * complainant was given when it was made; it is about no child and no carer.
 */
async function openCase(
  trx: Db,
  by: { staffId: string; schoolId: string; ip?: string | null },
  p: PublicComplaint,
  id: string,
  dates: { countsFrom: string; late: boolean },
  reason: string,
  now: Date,
) {
  const at = now.toISOString();
  const lastIncidentOn = p.last_incident_on ?? p.received_on;
  await trx
    .insertInto('complaints')
    .values({
      id,
      school_id: p.school_id,
      concern_id: null,
      pupil_id: null,
      carer_id: null,
      public_complaint_id: p.id,
      stage: 'stage_1',
      made_by_kind: 'staff',
      made_by_staff: by.staffId,
      received_on: p.received_on,
      counts_from: dates.countsFrom,
      acknowledge_by: p.acknowledge_by,
      respond_by: p.respond_by,
      last_incident_on: lastIncidentOn,
      // More than three months after the last incident: the lead decides, with the reason, as for a carer's.
      late: dates.late ? 1 : 0,
      early_years_outcome_by: null,
      created_at: at,
      updated_at: at,
      about: p.about_head ? 'head' : 'matter',
      direct: 1,
    })
    .execute();
  // The case's timeline starts where the complaint was taken on: when, by whom, and what the complainant was told.
  const eventId = newId();
  await trx
    .insertInto('complaint_events')
    .values({
      id: eventId,
      school_id: p.school_id,
      complaint_id: id,
      kind: 'taken_on',
      body: `Taken on from the public form (received ${longDate(p.received_on)}). The complainant was told: ${reason}`,
      staff_id: by.staffId,
      on_date: null,
      file_name: null,
      file_type: null,
      file_base64: null,
      created_by_kind: 'staff',
      created_by: by.staffId,
      created_at: at,
    })
    .execute();
  await audit(
    trx,
    { kind: 'staff', id: by.staffId, schoolId: by.schoolId, ip: by.ip ?? null },
    {
      schoolId: p.school_id,
      action: 'complaint.made',
      entity: 'complaint',
      entityId: id,
      after: { public_complaint_id: p.id, respond_by: p.respond_by, about: p.about_head ? 'head' : 'matter', late: dates.late, taken_on_event: eventId },
    },
    now,
  );
}

/** The public complaints this person triages: `matter` (the head's), `head` (about the head: whoever the settings name). */
export async function publicComplaintsOf(db: Db, schoolId: string, which: { matter: boolean; head: boolean }) {
  const flags = [...(which.matter ? [0 as const] : []), ...(which.head ? [1 as const] : [])];
  if (flags.length === 0) return [];
  return db
    .selectFrom('public_complaints')
    .leftJoin('complaints as c', 'c.public_complaint_id', 'public_complaints.id')
    .select([
      'public_complaints.id',
      'public_complaints.name',
      'public_complaints.status',
      'public_complaints.received_on',
      'public_complaints.respond_by',
      'public_complaints.about_head',
      'c.id as case_id',
    ])
    .where('public_complaints.school_id', '=', schoolId)
    .where('public_complaints.about_head', 'in', flags)
    .orderBy('public_complaints.received_on', 'desc')
    .orderBy('public_complaints.id')
    .limit(100)
    .execute();
}

export async function publicComplaintOf(db: Db, schoolId: string, id: string): Promise<PublicComplaint | undefined> {
  return db.selectFrom('public_complaints').selectAll().where('id', '=', id).where('school_id', '=', schoolId).executeTakeFirst();
}
