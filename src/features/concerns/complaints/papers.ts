import { z } from 'zod';
import type { Db } from '../../../db/database.ts';
import type { LocalDate } from '../../../db/schema.ts';
import { schoolCalendar } from '../../../platform/calendar/calendar-queries.ts';
import { localDate } from '../../../platform/calendar/time.ts';
import { newId } from '../../../platform/ids.ts';
import { enqueue } from '../../../platform/outbox/outbox.ts';
import { absoluteLink } from '../../../platform/web/links.ts';
import { optionalText, text } from '../../../platform/web/forms.ts';
import { panelTimeline } from '../complaint-timeline.ts';
import { longDate } from '../concerns.ts';
import { complainantOf } from './complainant.ts';
import { panelGaps } from './independence.ts';
import { complaintLink } from './links.ts';
import { letterOf, type OpenedComplaint } from './queries.ts';
import { letterToComplainant, record, type By, type Ctx } from './tell.ts';

/**
 * The panel papers (issue 14, point 5: "papers to everyone 5 school days before the panel"): the
 * complaint in the complainant's words (never anything marked as safeguarding), the stage-1 outcome
 * letter as sent, and the clerk's or head's covering note. Sent through the outbox to each panel
 * member and to the complainant, or recorded as printed and given out. The date is checked against
 * the school's "papers before" setting: papers going out after it need the reason, which is kept.
 */
export const PapersForm = z.object({
  note: text('the covering note', 5_000),
  how: z.enum(['email', 'printed'], { error: 'Choose whether the papers go by email or on paper' }),
  late_reason: optionalText('why the papers are late', 1_000),
});

/** The date the papers are due: `papersBefore` school days before the panel. */
export async function papersDueBy(db: Db, c: OpenedComplaint): Promise<LocalDate | null> {
  const { complaint } = c;
  if (!complaint.panel_on) return null;
  const calendar = await schoolCalendar(db, complaint.school_id);
  return panelTimeline(calendar, complaint.panel_requested_on ?? complaint.panel_on, complaint.panel_on, c.settings.limits).papersBy;
}

export async function papersOf(db: Db, schoolId: string, complaintId: string) {
  return db
    .selectFrom('complaint_papers')
    .select(['id', 'how', 'sent_on', 'panel_on', 'recipients', 'note'])
    .where('school_id', '=', schoolId)
    .where('complaint_id', '=', complaintId)
    .orderBy('created_at')
    .execute();
}

export async function sendPapers(db: Db, by: By, c: OpenedComplaint, input: z.output<typeof PapersForm>, ctx: Ctx) {
  const { complaint, settings, people } = c;
  if (complaint.stage !== 'stage_2' || !complaint.panel_on) return { ok: false as const, field: 'note', message: 'Set the date the panel meets before sending its papers' };
  const panel = people.filter((p) => p.role === 'panel');
  const gaps = panelGaps(
    panel.map((p) => ({ id: p.staff_id, independent: p.independent === 1 })),
    settings.schoolType,
  );
  if (gaps.length) return { ok: false as const, field: 'note', message: `Appoint the panel before sending its papers: ${gaps.join(' ')}` };
  const school = await db.selectFrom('schools').select(['name', 'time_zone']).where('id', '=', complaint.school_id).executeTakeFirstOrThrow();
  const today = localDate(ctx.now, school.time_zone);
  if (today >= complaint.panel_on) return { ok: false as const, field: 'note', message: 'The panel has met: papers go out before it' };
  const dueBy = (await papersDueBy(db, c))!;
  const late = today > dueBy;
  if (late && !input.late_reason)
    return {
      ok: false as const,
      field: 'late_reason',
      message: `The papers were due by ${longDate(dueBy)} (${settings.limits.papersBefore} school days before the panel): say why they are late, or move the panel’s date`,
    };

  const [who, stageOne, members] = await Promise.all([
    complainantOf(db, complaint),
    letterOf(db, complaint.school_id, complaint.id, 'stage_1'),
    db
      .selectFrom('staff')
      .select(['id', 'title', 'family_name', 'email'])
      .where('school_id', '=', complaint.school_id)
      .where(
        'id',
        'in',
        panel.map((p) => p.staff_id),
      )
      .execute(),
  ]);
  // complainantOf leaves out anything marked as safeguarding.
  const words = who.words.filter((e) => e.kind === 'what_happened' || e.kind === 'would_like').map((e) => e.body);
  const papers = [
    input.note,
    '',
    `The panel meets on ${longDate(complaint.panel_on)}.`,
    '',
    '1. The complaint',
    ...words,
    '',
    '2. The answer at stage 1',
    stageOne && stageOne.status !== 'draft' ? stageOne.body : 'No stage-1 letter was sent.',
    ...(late ? ['', `These papers are late (they were due by ${longDate(dueBy)}): ${input.late_reason}`] : []),
  ];
  const recipients = [...members.map((m) => `${m.title} ${m.family_name}`), who.name].join(', ');
  const subject = `Papers for the governors’ panel on ${longDate(complaint.panel_on)}: complaint ${who.pupil ? `about ${who.pupil.childName}` : `from ${who.name}`}`;
  const toComplainant =
    input.how === 'email'
      ? await letterToComplainant(db, complaint, ctx, `complaint-papers:${complaint.id}:${complaint.panel_on}`, (t) => ({
          subject: t('concerns.letter.papersSubject'),
          // The papers are the school's and the complainant's own words: machine translated where that can be done.
          lines: papers.filter((line) => line !== '').map((line) => ({ schoolWrote: line })),
        }))
      : undefined;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('complaint_papers')
      .values({
        id: newId(),
        school_id: complaint.school_id,
        complaint_id: complaint.id,
        how: input.how,
        sent_on: today,
        panel_on: complaint.panel_on!,
        recipients,
        note: late ? `Late: ${input.late_reason}` : null,
        sent_by: by.staffId,
        created_at: ctx.now.toISOString(),
      })
      .execute();
    if (input.how === 'email') {
      await enqueue(
        trx,
        members
          .filter((m) => m.email)
          .map((m) => ({
            channel: 'email' as const,
            schoolId: complaint.school_id,
            key: `complaint-papers:${complaint.id}:${complaint.panel_on}:${m.id}`,
            ref: complaint.id,
            payload: {
              to: m.email,
              subject,
              text: [`Dear ${m.title} ${m.family_name},`, '', ...papers, '', `The case on Gatepost: ${absoluteLink(ctx.baseUrl, complaintLink(complaint.id))}`, '', school.name].join('\n'),
            },
          })),
        ctx.now,
      );
    }
    // A timeline entry of kind 'stage_2' (the panel's part of the case), with the audit entry and the complainant's letter.
    await record(
      trx,
      by,
      complaint,
      { kind: 'stage_2', body: `Panel papers ${input.how === 'email' ? 'sent by email' : 'printed and given'} to ${recipients}${late ? ` (late: ${input.late_reason})` : ''}`, onDate: today },
      'complaint.papers_sent',
      { how: input.how, due_by: dueBy, late },
      ctx.now,
      toComplainant,
    );
  });
  return { ok: true as const };
}
