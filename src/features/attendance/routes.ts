import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { dateField } from '../../platform/calendar/typed.ts';
import { formatDate, formatInstantDate } from '../../platform/calendar/time.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { rememberUploadName, uploadOf } from '../../platform/web/uploads.ts';
import { meetingsAbout } from '../meetings/index.ts';
import { textsCanGo } from '../../platform/channels/sms.ts';
import { MAX_FILE_BYTES, TOO_LARGE } from '../people/index.ts';
import { bandOf, belowThreshold, percentTenths, percentText } from './figures.ts';
import { figuresSeenBy, findImport, historyOf, latestImport, pupilNamed, savedImports } from './queries.ts';
import { ATTENDANCE_COLUMNS } from './read-file.ts';
import { applyImport, checkAndStore, readStored } from './service.ts';
import { tellFamilies } from './tell.ts';

const V = 'features/attendance/views';

/** Import the records system's figures: the office, the head and senior leaders. */
export const ATTENDANCE_IMPORTERS = ['head', 'senior_leader', 'office'] as const;
/** Who sees the list of pupils at or below 90%: leaders, the office, family liaison, and teachers (their own classes unless the school lets them see all). */
export const ATTENDANCE_READERS = ['head', 'senior_leader', 'office', 'family_liaison', 'teacher'] as const;
const importing = staff(ATTENDANCE_IMPORTERS);
const reading = staff(ATTENDANCE_READERS, 'own_classes');

/**
 * What the staff list suggests as the meeting's topic (the meetings form shows it to change). The link
 * also says the meeting is for attendance (`purpose=attendance`, stored with the meeting): that, not
 * the topic's words, is how the list knows a meeting is arranged (meetings' `arrangedFor`).
 */
export const MEETING_TOPIC = 'Attendance: how we can help';
const arrangeUrl = (pupilId: string) => `/meetings/new?pupil=${encodeURIComponent(pupilId)}&purpose=attendance&topic=${encodeURIComponent(MEETING_TOPIC)}`;

const AsOfForm = z.object({ as_of: dateField('the date the figures are counted up to') });

export function attendanceRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;
  const actor = (request: FastifyRequest): Actor & { kind: 'staff' } => ({ kind: 'staff', id: request.user!.id, schoolId: request.user!.schoolId, ip: request.ip });
  const zone = (request: FastifyRequest) => request.school?.time_zone ?? 'Europe/London';

  app.get('/attendance', { config: { policy: reading } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const latest = await latestImport(db, user.schoolId);
    if (!latest) return reply.page(`${V}/list.njk`, { title: 'Attendance', latest: null, mayImport: request.mayOpen('/attendance/import') });
    const figures = await figuresSeenBy(db, user, request.scope, latest.id);
    const name = (f: (typeof figures)[number]) => `${f.preferred_name || f.given_name} ${f.family_name}`;
    const below = belowThreshold(
      figures.map((f) => ({ ...f, pupilId: f.pupil_id, attended: f.sessions_attended, possible: f.sessions_possible })),
      (a, b) => name(a).localeCompare(name(b)),
    );
    const meetings = await meetingsAbout(db, { schoolId: user.schoolId, pupilIds: below.map((b) => b.pupilId), purpose: 'attendance', since: `${latest.as_of}T00:00:00.000Z` });
    const rows = below.map((b) => {
      const meeting = meetings.get(b.pupilId);
      return {
        pupilId: b.pupilId,
        name: name(b),
        year: b.year_group,
        className: b.class_name,
        percent: percentText(b.tenths),
        band: b.band,
        sessions: `${b.attended} of ${b.possible}`,
        meeting: meeting ? { id: meeting.meetingId, when: meeting.startsAt ? formatInstantDate(meeting.startsAt, zone(request)) : null, status: meeting.status } : null,
        arrangeUrl: arrangeUrl(b.pupilId),
      };
    });
    return reply.page(`${V}/list.njk`, {
      title: 'Attendance',
      latest: { ...latest, asOf: formatDate(latest.as_of) },
      seen: figures.length,
      rows,
      severe: rows.filter((r) => r.band === 'severe').length,
      mayImport: request.mayOpen('/attendance/import'),
    });
  });

  // One pupil's figures over the year, oldest first, with the change since the figure before (a trend).
  app.get('/attendance/pupils/:pupilId', { config: { policy: reading } }, async (request, reply) => {
    const { pupilId } = request.params as { pupilId: string };
    const pupil = await pupilNamed(db, request.user!.schoolId, pupilId);
    if (!pupil) throw notFound();
    const history = await historyOf(db, request.user!.schoolId, pupilId);
    let before: number | null = null;
    const rows = history.map((h) => {
      const tenths = percentTenths(h.sessions_attended, h.sessions_possible);
      const change = before === null ? null : tenths - before;
      before = tenths;
      return {
        asOf: formatDate(h.as_of),
        sessions: `${h.sessions_attended} of ${h.sessions_possible}`,
        percent: percentText(tenths),
        band: bandOf(tenths),
        change: change === null ? '' : change === 0 ? 'No change' : `${change > 0 ? 'Up' : 'Down'} ${Math.floor(Math.abs(change) / 10)}.${Math.abs(change) % 10} points`,
      };
    });
    return reply.page(`${V}/pupil.njk`, {
      title: `${pupil.name}: attendance`,
      pupil,
      rows: rows.reverse(),
      arrangeUrl: arrangeUrl(pupilId),
    });
  });

  async function uploadPage(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, unknown>; rejects?: unknown[]; rowCount?: number } = {}) {
    const imports = await savedImports(db, request.user!.schoolId);
    return reply.page(`${V}/import.njk`, {
      title: 'Import attendance',
      imports: imports.map((i) => ({ ...i, asOf: formatDate(i.as_of) })),
      columns: ATTENDANCE_COLUMNS,
      values: extra.values ?? {},
      errors: extra.errors,
      rejects: extra.rejects,
      rowCount: extra.rowCount,
    });
  }

  app.get('/attendance/import', { config: { policy: importing } }, async (request, reply) => uploadPage(request, reply));

  app.post('/attendance/import', { config: { policy: importing, uploads: true }, onRequest: rememberUploadName }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = Object.fromEntries(Object.entries(body).filter(([k, v]) => k !== 'file' && typeof v === 'string'));
    const form = parseForm(AsOfForm, values);
    const upload = uploadOf(request, 'file');
    const errors: FieldErrors = form.ok ? {} : form.errors;
    if (form.ok && form.data.as_of > request.scope.today) errors.as_of = 'The date the figures are counted up to must be today or in the past';
    // The upload is cut off at MAX_FILE_BYTES (app.ts): a file that reaches it was longer.
    if (upload.bytes && upload.bytes.length >= MAX_FILE_BYTES) errors.file = TOO_LARGE;
    else if (!upload.bytes || upload.bytes.length === 0) errors.file = 'Select the attendance CSV file';
    if (!form.ok || Object.keys(errors).length > 0) return uploadPage(request, reply.code(400), { errors, values });
    const fileName = (upload.name ?? 'attendance.csv').split(/[\\/]/).pop()!.slice(0, 200) || 'attendance.csv';
    const stored = await checkAndStore(db, { schoolId: request.user!.schoolId, asOf: form.data.as_of, fileName, bytes: upload.bytes!, actor: actor(request), now: clock() });
    if (stored.ok) return reply.redirect(`/attendance/import/${stored.importId}`, 303);
    if ('message' in stored) return uploadPage(request, reply.code(400), { errors: { file: stored.message }, values });
    return uploadPage(request, reply.code(400), {
      errors: {
        file: `${stored.file.rejects.length === 1 ? '1 row has a problem' : `${stored.file.rejects.length} rows have problems`}, so nothing has been saved. Correct them in the records system, export the file again and upload it.`,
      },
      values,
      rejects: stored.file.rejects,
      rowCount: stored.file.rows.length + stored.file.rejects.length,
    });
  });

  async function checkPage(request: FastifyRequest, reply: FastifyReply, importId: string, error?: string) {
    const stored = await findImport(db, request.user!.schoolId, importId);
    if (!stored) throw notFound();
    const file = await readStored(db, stored.school_id, stored.csv_text);
    const rows = file.ok ? file.rows.map((r) => ({ ...r, percent: percentText(r.tenths), below: r.tenths <= 900 })) : [];
    return reply.page(`${V}/check.njk`, {
      title: stored.applied_at ? 'Attendance figures saved' : 'Check the attendance figures before saving',
      stored: {
        ...stored,
        asOf: formatDate(stored.as_of),
        savedOn: stored.applied_at ? formatInstantDate(stored.applied_at, zone(request)) : null,
        toldOn: stored.families_told_at ? formatInstantDate(stored.families_told_at, zone(request)) : null,
      },
      rows,
      below: rows.filter((r) => r.below).length,
      unused: file.ok ? file.unused : [],
      problem: file.ok ? (file.rejects.length > 0 ? `${file.rejects.length} rows no longer match a pupil: upload the file again.` : null) : file.message,
      error,
      saved: (request.query as { done?: string }).done === 'saved',
      told: (request.query as { done?: string }).done === 'told',
    });
  }

  app.get('/attendance/import/:attendanceImportId', { config: { policy: importing } }, async (request, reply) => {
    const { attendanceImportId } = request.params as { attendanceImportId: string };
    return checkPage(request, reply, attendanceImportId);
  });

  // Each family with a child in these figures is sent their child's figure (tell.ts), once.
  app.post('/attendance/import/:attendanceImportId/tell-families', { config: { policy: importing } }, async (request, reply) => {
    const { attendanceImportId } = request.params as { attendanceImportId: string };
    const outcome = await tellFamilies(db, {
      schoolId: request.user!.schoolId,
      importId: attendanceImportId,
      actor: actor(request),
      // Texts go as every individual message's do (a carer with a mobile but no email, when the school chose texts), when a text service is set up.
      send: { baseUrl: deps.config.baseUrl, schoolName: request.school!.name, today: request.scope.today, now: clock(), textsCanGo: textsCanGo(deps.config) },
    });
    if (outcome.status === 'told') {
      deps.pokeOutbox();
      return reply.redirect(`/attendance/import/${attendanceImportId}?done=told`, 303);
    }
    const message = outcome.status === 'already_told' ? 'Families have already been told about these figures. Nothing has been sent twice.' : 'Save these figures before telling families about them.';
    return checkPage(request, reply.code(409), attendanceImportId, message);
  });

  app.post('/attendance/import/:attendanceImportId/save', { config: { policy: importing } }, async (request, reply) => {
    const { attendanceImportId } = request.params as { attendanceImportId: string };
    const outcome = await applyImport(db, { schoolId: request.user!.schoolId, importId: attendanceImportId, actor: actor(request), now: clock() });
    if (outcome.status === 'applied') return reply.redirect(`/attendance/import/${attendanceImportId}?done=saved`, 303);
    const message = outcome.status === 'already_applied' ? 'These figures have already been saved. Nothing has been saved twice.' : outcome.message;
    return checkPage(request, reply.code(outcome.status === 'already_applied' ? 409 : 400), attendanceImportId, message);
  });
}
