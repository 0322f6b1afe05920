import { z } from 'zod';
import type { Db } from '../../../db/database.ts';
import { alertStaff } from '../../../platform/alerts/alerts.ts';
import { audit } from '../../../platform/audit/audit.ts';
import { schoolCalendar } from '../../../platform/calendar/calendar-queries.ts';
import { localDate } from '../../../platform/calendar/time.ts';
import { requiredDate } from '../../../platform/calendar/typed.ts';
import { newId } from '../../../platform/ids.ts';
import { checkbox, optionalText, text } from '../../../platform/web/forms.ts';
import { named, namedWords } from '../../../platform/web/nunjucks.ts';
import { panelTimeline, slipDeadline } from '../complaint-timeline.ts';
import { longDate, longDateIn } from '../concerns.ts';
import { sendLetter } from '../notify.ts';
import { reasonText, refusalReasons, type Appointment } from './independence.ts';
import { candidateOf, independenceFacts, type OpenedComplaint } from './queries.ts';
import { stagesFrom, type SettingsInput } from './settings.ts';
import { complaintLink } from './links.ts';
import { letterToComplainant, record, type By, type Ctx } from './tell.ts';

/** The steps of a case: settings, a late complaint's decision, naming staff, appointing people, slipping a date, stage 2. */
const date = (label: string) => requiredDate(`Enter ${label}`);

export async function saveSettings(db: Db, by: By, input: SettingsInput, now: Date): Promise<void> {
  const row = {
    school_type: input.school_type,
    stages_json: JSON.stringify(stagesFrom(input.stage_names)),
    acknowledge_days: input.acknowledge,
    respond_days: input.respond,
    panel_within_days: input.panel_within,
    papers_before_days: input.papers_before,
    decision_after_days: input.decision_after,
    head_complaints_to: input.head_complaints_to,
    governor_complaints_to: input.governor_complaints_to,
    clerk_id: input.clerk,
    updated_by: by.staffId,
    updated_at: now.toISOString(),
  };
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('complaint_settings').selectAll().where('school_id', '=', by.schoolId).executeTakeFirst();
    if (before) await trx.updateTable('complaint_settings').set(row).where('school_id', '=', by.schoolId).execute();
    else
      await trx
        .insertInto('complaint_settings')
        .values({ school_id: by.schoolId, ...row })
        .execute();
    await audit(
      trx,
      { kind: 'staff', id: by.staffId, schoolId: by.schoolId, ip: by.ip ?? null },
      { schoolId: by.schoolId, action: 'complaint_settings.saved', entity: 'complaint_settings', entityId: by.schoolId, before, after: row },
      now,
    );
  });
}

export const LateForm = z.object({
  decision: z.enum(['accepted', 'declined'], { error: 'Choose whether to accept the complaint or decline it' }),
  reason: text('the reason (the complainant is told)', 2_000),
});
export async function decideLate(db: Db, by: By, c: OpenedComplaint, input: z.output<typeof LateForm>, ctx: Ctx) {
  const { complaint } = c;
  if (!complaint.late || complaint.late_decision) return { ok: false as const, field: 'decision', message: 'This complaint needs no decision about its lateness' };
  const accepted = input.decision === 'accepted';
  const letter = await letterToComplainant(db, complaint, ctx, `complaint-late:${complaint.id}`, (t) => ({
    subject: t('concerns.letter.lateSubject', { decision: input.decision }),
    lines: [t('concerns.letter.lateLine', { decision: input.decision }), t('concerns.letter.why'), { schoolWrote: input.reason }, ...(accepted ? [] : [t('concerns.letter.lateWrong')])],
  }));
  await db.transaction().execute(async (trx) => {
    const set = { late_decision: input.decision, late_reason: input.reason, ...(accepted ? {} : { status: 'declined' as const, closed_at: ctx.now.toISOString() }) };
    const changed = await trx.updateTable('complaints').set(set).where('id', '=', complaint.id).where('school_id', '=', complaint.school_id).where('late_decision', 'is', null).executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return;
    await record(trx, by, complaint, { kind: accepted ? 'late_accepted' : 'late_declined', body: input.reason }, 'complaint.late_decided', set, ctx.now, letter);
  });
  return { ok: true as const };
}

export const NameForm = z.object({ staff: z.string({ error: 'Choose who is named' }).trim().min(1, 'Choose who is named') });
export async function nameStaff(db: Db, by: By, c: OpenedComplaint, staffId: string, now: Date) {
  const who = await candidateOf(db, c.complaint.school_id, staffId, null);
  if (!who) return { ok: false as const, field: 'staff', message: 'Choose someone on the staff' };
  if (c.people.some((p) => p.role === 'named' && p.staff_id === staffId)) return { ok: false as const, field: 'staff', message: named`${who.name} is already named` };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('complaint_people')
      .values({ id: newId(), school_id: c.complaint.school_id, complaint_id: c.complaint.id, staff_id: staffId, role: 'named', independent: 0, created_by: by.staffId, created_at: now.toISOString() })
      .execute();
    await record(trx, by, c.complaint, { kind: 'named', body: `${who.name} is named in the complaint`, staffId }, 'complaint.staff_named', { staff_id: staffId }, now);
  });
  return { ok: true as const };
}

export const AppointForm = z.object({
  staff: z.string({ error: 'Choose who to appoint' }).trim().min(1, 'Choose who to appoint'),
  interest: optionalText('the interest declared', 1_000),
  independent: checkbox,
});
/**
 * Appointing the investigating officer or a panel member. Anyone not independent is refused, with
 * every reason shown — and the refusal is kept on the case's timeline (the procedure-followed record
 * shows Gatepost checked).
 */
export async function appoint(db: Db, by: By, c: OpenedComplaint, as: Appointment, input: z.output<typeof AppointForm>, now: Date, baseUrl = '') {
  const { complaint } = c;
  const school = await db.selectFrom('schools').select('time_zone').where('id', '=', complaint.school_id).executeTakeFirstOrThrow();
  const who = await candidateOf(db, complaint.school_id, input.staff, input.interest);
  if (!who) return { ok: false as const, field: 'staff', message: 'Choose someone on the staff', reasons: [] };
  if (as === 'panel' && complaint.stage !== 'stage_2') return { ok: false as const, field: 'staff', message: 'The panel is appointed at stage 2', reasons: [] };
  if (c.people.some((p) => p.staff_id === input.staff && p.role === as) || (as === 'officer' && complaint.officer_id === input.staff)) {
    return { ok: false as const, field: 'staff', message: named`${who.name} is already appointed`, reasons: [] };
  }
  const facts = await independenceFacts(db, complaint, c.people, localDate(now, school.time_zone));
  const refused = refusalReasons(who, facts, as);
  const reasons = refused.map(reasonText);
  const label = as === 'officer' ? 'investigating officer' : 'panel member';
  await db.transaction().execute(async (trx) => {
    if (reasons.length) {
      await record(
        trx,
        by,
        complaint,
        { kind: 'refused', body: `Gatepost refused ${who.name} as ${label}: ${reasons.join('; ')}`, staffId: who.id },
        'complaint.appointment_refused',
        { as, staff_id: who.id, reasons },
        now,
      );
      return;
    }
    if (as === 'officer') await trx.updateTable('complaints').set({ officer_id: who.id }).where('id', '=', complaint.id).where('school_id', '=', complaint.school_id).execute();
    await trx
      .insertInto('complaint_people')
      .values({
        id: newId(),
        school_id: complaint.school_id,
        complaint_id: complaint.id,
        staff_id: who.id,
        role: as,
        independent: input.independent,
        created_by: by.staffId,
        created_at: now.toISOString(),
      })
      .execute();
    await record(
      trx,
      by,
      complaint,
      { kind: 'appointed', body: `${who.name} appointed as ${label}${input.independent ? ' (independent of the school’s management)' : ''}`, staffId: who.id },
      'complaint.appointed',
      { as, staff_id: who.id },
      now,
    );
    // The person appointed hears of it at once: the case is theirs to open from their home page.
    const title = as === 'officer' ? 'You are the investigating officer for a formal complaint' : 'You are on the panel for a formal complaint';
    await alertStaff(
      trx,
      {
        schoolId: complaint.school_id,
        staffIds: [who.id].filter((id) => id !== by.staffId),
        kind: 'referral',
        title,
        link: complaintLink(complaint.id),
        key: `complaint-${as}:${complaint.id}:${who.id}`,
      },
      now,
      baseUrl,
    );
  });
  if (reasons.length) return { ok: false as const, field: 'staff', message: named`Gatepost cannot appoint ${who.name}: ${refused.map((r) => namedWords(r.words, r.names))}`, reasons };
  return { ok: true as const };
}

export const SLIPPABLE = { acknowledge_by: 'Acknowledge by', respond_by: 'Answer by', panel_by: 'Panel held by' } as const;
export const SlipForm = z.object({
  deadline: z.enum(Object.keys(SLIPPABLE) as [keyof typeof SLIPPABLE], { error: 'Choose which date moves' }),
  new_date: date('the new date'),
  reason: text('why the date has to move (the complainant is told)', 2_000),
});
/** Every slip needs a new, later date and a reason, and the complainant is told both. */
export async function slip(db: Db, by: By, c: OpenedComplaint, input: z.output<typeof SlipForm>, ctx: Ctx) {
  const { complaint } = c;
  const current = complaint[input.deadline];
  if (!current) return { ok: false as const, field: 'deadline', message: 'That date is not set yet' };
  const ok = slipDeadline(current, input.new_date, input.reason);
  if (!ok.ok) return ok;
  const label = SLIPPABLE[input.deadline];
  const letter = await letterToComplainant(db, complaint, ctx, `complaint-slip:${complaint.id}:${input.deadline}:${input.new_date}`, (t) => ({
    subject: t('concerns.letter.slipSubject'),
    lines: [
      t('concerns.letter.slipLine', { deadline: input.deadline, was: longDateIn(t.code, current), date: longDateIn(t.code, input.new_date) }),
      t('concerns.letter.why'),
      { schoolWrote: input.reason },
      t('concerns.letter.sorry'),
    ],
  }));
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('complaints')
      .set({ [input.deadline]: input.new_date })
      .where('id', '=', complaint.id)
      .where('school_id', '=', complaint.school_id)
      .where(input.deadline, '=', current)
      .execute();
    await record(
      trx,
      by,
      complaint,
      { kind: 'slip', body: `${label}: ${longDate(current)} moved to ${longDate(input.new_date)}. ${input.reason}`, onDate: input.new_date },
      'complaint.deadline_moved',
      { [input.deadline]: input.new_date, from: current, reason: input.reason },
      ctx.now,
      letter,
    );
  });
  return { ok: true as const };
}

/** Stage 2: the complainant (or the lead for them) asks for the panel; it is held within the school's limit in school days. */
export async function toPanel(
  db: Db,
  complaint: OpenedComplaint['complaint'],
  by: By | { carerId: string; schoolId: string; ip?: string | null },
  ctx: Ctx,
  limits: OpenedComplaint['settings']['limits'],
) {
  if (complaint.stage !== 'stage_1' || complaint.status !== 'answered') return { ok: false as const, field: 'panel', message: 'A complaint goes to the panel once stage 1 has been answered' };
  const school = await db.selectFrom('schools').select('time_zone').where('id', '=', complaint.school_id).executeTakeFirstOrThrow();
  const today = localDate(ctx.now, school.time_zone);
  const dates = panelTimeline(await schoolCalendar(db, complaint.school_id), today, null, limits);
  const letter = await letterToComplainant(db, complaint, ctx, `complaint-panel:${complaint.id}`, (t) => ({
    subject: t('concerns.letter.panelSubject'),
    lines: [t('concerns.letter.panelHeld', { date: longDateIn(t.code, dates.panelBy) }), t('concerns.letter.panelPapers', { papers: limits.papersBefore, decision: limits.decisionAfter })],
  }));
  await db.transaction().execute(async (trx) => {
    const set = { stage: 'stage_2' as const, status: 'panel' as const, panel_requested_on: today, panel_by: dates.panelBy };
    const changed = await trx.updateTable('complaints').set(set).where('id', '=', complaint.id).where('school_id', '=', complaint.school_id).where('stage', '=', 'stage_1').executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return;
    if ('staffId' in by)
      await record(trx, by, complaint, { kind: 'stage_2', body: `Stage 2 asked for; the panel is to be held by ${longDate(dates.panelBy)}` }, 'complaint.to_panel', set, ctx.now, letter);
    else {
      await trx
        .insertInto('complaint_events')
        .values({
          id: newId(),
          school_id: complaint.school_id,
          complaint_id: complaint.id,
          kind: 'stage_2',
          body: `The complainant asked for stage 2; the panel is to be held by ${longDate(dates.panelBy)}`,
          staff_id: null,
          on_date: dates.panelBy,
          file_name: null,
          file_type: null,
          file_base64: null,
          created_by_kind: 'carer',
          created_by: by.carerId,
          created_at: ctx.now.toISOString(),
        })
        .execute();
      await audit(
        trx,
        { kind: 'carer', id: by.carerId, schoolId: by.schoolId, ip: by.ip ?? null },
        { schoolId: complaint.school_id, action: 'complaint.to_panel', entity: 'complaint', entityId: complaint.id, after: set },
        ctx.now,
      );
      await sendLetter(trx, letter, ctx.now);
    }
  });
  return { ok: true as const };
}

export const PanelDateForm = z.object({ panel_on: date('the date of the panel') });
export async function setPanelDate(db: Db, by: By, c: OpenedComplaint, panelOn: string, ctx: Ctx) {
  const { complaint } = c;
  if (complaint.stage !== 'stage_2') return { ok: false as const, field: 'panel_on', message: 'The panel meets at stage 2' };
  const dates = panelTimeline(await schoolCalendar(db, complaint.school_id), complaint.panel_requested_on ?? panelOn, panelOn, c.settings.limits);
  const letter = await letterToComplainant(db, complaint, ctx, `complaint-panel-date:${complaint.id}:${panelOn}`, (t) => ({
    subject: t('concerns.letter.panelDateSubject'),
    lines: [t('concerns.letter.panelDateLine', { date: longDateIn(t.code, panelOn), papers: longDateIn(t.code, dates.papersBy!), decision: longDateIn(t.code, dates.decisionBy!) })],
  }));
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('complaints').set({ panel_on: panelOn }).where('id', '=', complaint.id).where('school_id', '=', complaint.school_id).execute();
    await record(
      trx,
      by,
      complaint,
      { kind: 'stage_2', body: `The panel will meet on ${longDate(panelOn)} (papers by ${longDate(dates.papersBy!)}, decision by ${longDate(dates.decisionBy!)})`, onDate: panelOn },
      'complaint.panel_date_set',
      { panel_on: panelOn },
      ctx.now,
      letter,
    );
  });
  return { ok: true as const };
}
