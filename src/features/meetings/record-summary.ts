import type { Db } from '../../db/database.ts';
import type { Translator } from '../../platform/channels/translate.ts';
import { LANGUAGE_CODES } from '../../platform/channels/translate.ts';
import { helpLine } from '../../platform/channels/help-lines.ts';
import { bilingualEmail } from '../../platform/i18n/email.ts';
import { textForCarer, textForSchool } from '../../platform/i18n/plugin.ts';
import { audit } from '../../platform/audit/audit.ts';
import { whoMayHear } from '../../platform/access/hear.ts';
import { formatInstantDate, localDate } from '../../platform/calendar/time.ts';
import { enqueue } from '../../platform/outbox/outbox.ts';
import { actorOf, type RecordBy } from './record-commands.ts';
import { actionsOf, carersOf, pupilOf, staffName } from './record-queries.ts';
import { summaryEmail, summarySubject, summaryText, summaryVersion, type SummaryAction, type SummaryMeeting } from './record.ts';
import { absoluteLink } from '../../platform/web/links.ts';
import { notStartedYet } from './record-timing.ts';

/** Why a summary is not sent when its outcome is marked as a safeguarding concern. */
export const OUTCOME_NOT_SENT = 'The outcome was passed to the DSL as a safeguarding concern, so no summary goes to the family. Only the DSL and deputy DSLs can read it.';
/**
 * One click: the carers of a meeting get a thank-you and the summary (outcome, who does what by
 * when, the follow-up date, come back any time). By email to those who have one and take emails;
 * everyone sees it on their meeting page once summary_sent_at is set. The same summary is sent once
 * (summary_version, compare-and-set); a changed one is a new, deliberate send.
 */
export type SummaryContext = { now: Date; baseUrl: string; translator: Translator | null };
export type SummaryReader = { id: string; name: string; email: string | null; emailed: boolean; language: string; translated: boolean };
export type SummaryResult = { ok: true; sent: boolean; version: string; readers: SummaryReader[] } | { ok: false; message: string };

/** What the summary says now, and who may receive it (never a carer restricted from the child). */
export async function summaryDraft(db: Db, schoolId: string, meetingId: string, today: string) {
  const meeting = await db.selectFrom('meetings').selectAll().where('id', '=', meetingId).where('school_id', '=', schoolId).executeTakeFirst();
  if (!meeting) return null;
  const [school, pupil, carers, actions, lead] = await Promise.all([
    db.selectFrom('schools').select(['name', 'time_zone']).where('id', '=', schoolId).executeTakeFirstOrThrow(),
    pupilOf(db, meeting),
    carersOf(db, meeting),
    actionsOf(db, meeting),
    db
      .selectFrom('meeting_staff')
      .innerJoin('staff', 'staff.id', 'meeting_staff.staff_id')
      .select(['staff.title', 'staff.family_name'])
      .where('meeting_staff.meeting_id', '=', meetingId)
      .where('meeting_staff.role', '=', 'lead')
      .executeTakeFirst(),
  ]);
  const kept = meeting.pupil_id
    ? await carersWhoMayHear(
        db,
        schoolId,
        meeting.pupil_id,
        carers.map((c) => c.id),
        today,
      )
    : new Set(carers.map((c) => c.id));
  const summaryMeeting: SummaryMeeting = {
    id: meeting.id,
    topic: meeting.topic,
    heldOn: meeting.starts_at ? formatInstantDate(meeting.starts_at, school.time_zone) : null,
    heldAt: meeting.starts_at,
    timeZone: school.time_zone,
    pupilName: pupil?.name ?? null,
    outcome: meeting.outcome ?? '',
    followUpOn: meeting.follow_up_on,
    leadName: lead ? staffName(lead) : null,
  };
  const summaryActions: SummaryAction[] = actions.map((a) => ({ ownerKind: a.owner_kind, carerId: a.carer_id, ownerName: a.ownerName, what: a.what, dueOn: a.due_on, done: !!a.done_at }));
  return {
    meeting,
    school,
    summary: summaryMeeting,
    actions: summaryActions,
    carers: carers.filter((c) => !c.archived_at && kept.has(c.id)),
    version: summaryVersion(summaryMeeting, summaryActions),
  };
}

/** Of these carers, those who may hear the meeting's summary about the child (hear.ts: a restriction stopping information or contact keeps them off). */
async function carersWhoMayHear(db: Db, schoolId: string, pupilId: string, carerIds: string[], today: string): Promise<Set<string>> {
  const answers = await whoMayHear(db, { schoolId, pupilIds: [pupilId], purpose: 'meeting_summary', today, carerIds });
  return new Set(answers.filter((a) => a.decision.may).map((a) => a.carerId));
}

async function translated(translator: Translator | null, text: string, language: string): Promise<string | null> {
  const code = LANGUAGE_CODES[language];
  if (!translator || !code || code === 'en') return null;
  try {
    return await translator.translate(text, code, 'en');
  } catch {
    return null; // English with the help line in their language instead
  }
}

/** What the school wrote (topic, outcome, each action), machine translated; null when the service cannot. */
async function inTheirWords(translator: Translator | null, meeting: SummaryMeeting, actions: SummaryAction[], code: string): Promise<{ meeting: SummaryMeeting; actions: SummaryAction[] } | null> {
  if (!translator) return null;
  try {
    const [topic, outcome, ...whats] = await Promise.all([meeting.topic, meeting.outcome, ...actions.map((a) => a.what)].map((text) => translator.translate(text, code, 'en')));
    return { meeting: { ...meeting, topic: topic!, outcome: outcome! }, actions: actions.map((a, i) => ({ ...a, what: whats[i]! })) };
  } catch {
    return null; // their language around the English the school wrote
  }
}

export async function sendSummary(db: Db, by: RecordBy, meetingId: string, ctx: SummaryContext): Promise<SummaryResult> {
  const school = await db.selectFrom('schools').select('time_zone').where('id', '=', by.schoolId).executeTakeFirst();
  const today = localDate(ctx.now, school?.time_zone ?? 'Europe/London');
  const draft = await summaryDraft(db, by.schoolId, meetingId, today);
  if (!draft) return { ok: false, message: 'This meeting could not be found' };
  const early = notStartedYet(draft.meeting.starts_at, ctx.now, draft.school.time_zone, 'summary');
  if (early) return { ok: false, message: early };
  if (draft.meeting.status !== 'held' || !draft.meeting.outcome) return { ok: false, message: 'Record the outcome of the meeting before sending the summary' };
  // Safeguarding first: a marked outcome is for the DSL and deputies only, never the family.
  if (Number(draft.meeting.outcome_safeguarding) === 1) return { ok: false, message: OUTCOME_NOT_SENT };
  if (draft.carers.length === 0) return { ok: false, message: 'No parent or carer who may receive it is recorded for this meeting' };

  const link = absoluteLink(ctx.baseUrl, `/my-meetings/${meetingId}`);
  const inEnglish = await textForSchool(db, by.schoolId, 'en', ctx.now);
  const letters = await Promise.all(
    draft.carers.map(async (c) => {
      const reader = { id: c.id, name: c.name };
      const english = summaryText(draft.summary, draft.actions, reader, draft.school.name, link, inEnglish);
      const emailed = !!c.email && c.channel_email === 1;
      const t = await textForCarer(db, by.schoolId, c.preferred_language, ctx.now);
      if (t.code !== 'en') {
        // Gatepost speaks their language: its own words from the catalog, what the school wrote machine translated.
        const own = emailed ? await inTheirWords(ctx.translator, draft.summary, draft.actions, t.code) : null;
        const email = bilingualEmail(
          t,
          (w) => {
            if (w.code === 'en') return { subject: summarySubject(draft.summary, w), text: english };
            const text = summaryText(own?.meeting ?? draft.summary, own?.actions ?? draft.actions, reader, draft.school.name, link, w);
            return { subject: summarySubject(draft.summary, w), text: own ? `${text}\n\n${w('meetings.summary.machine')}` : text };
          },
          inEnglish,
        );
        return { carer: c, emailed, translated: !!own, text: email.text, subject: email.subject };
      }
      const inLanguage = emailed ? await translated(ctx.translator, english, c.preferred_language) : null;
      const text = summaryEmail(english, inLanguage ? { language: c.preferred_language, text: inLanguage } : null, inLanguage ? null : helpLine(c.preferred_language));
      return { carer: c, emailed, translated: !!inLanguage, text, subject: summarySubject(draft.summary, inEnglish) };
    }),
  );
  const readers: SummaryReader[] = letters.map((l) => ({
    id: l.carer.id,
    name: l.carer.name,
    email: l.carer.email,
    emailed: l.emailed,
    language: l.carer.preferred_language,
    translated: l.translated,
  }));

  const at = ctx.now.toISOString();
  const sent = await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('meetings')
      .set({ summary_sent_at: at, summary_version: draft.version, updated_at: at })
      .where('id', '=', meetingId)
      .where('school_id', '=', by.schoolId)
      .where('status', '=', 'held')
      .where((eb) => eb.or([eb('summary_version', 'is', null), eb('summary_version', '!=', draft.version)]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false; // this summary has been sent already (a double click)
    await enqueue(
      trx,
      letters
        .filter((l) => l.emailed)
        .map((l) => ({
          channel: 'email' as const,
          schoolId: by.schoolId,
          key: `meeting-summary:${meetingId}:${draft.version}:${l.carer.id}`,
          ref: meetingId,
          payload: { to: l.carer.email!, subject: l.subject, text: l.text },
        })),
      ctx.now,
    );
    await audit(
      trx,
      actorOf(by),
      {
        schoolId: by.schoolId,
        action: 'meeting.summary_sent',
        entity: 'meeting',
        entityId: meetingId,
        after: {
          version: draft.version,
          emailed: readers.filter((x) => x.emailed).map((x) => x.id),
          on_gatepost: readers.map((x) => x.id),
          translated: readers.filter((x) => x.translated).map((x) => x.language),
        },
      },
      ctx.now,
    );
    return true;
  });
  return { ok: true, sent, version: draft.version, readers };
}
