import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../../../platform/deps.ts';
import { staff } from '../../../platform/access/policy.ts';
import { CAPABILITIES } from '../../../platform/access/roles.ts';
import type { Actor } from '../../../platform/audit/audit.ts';
import { localDate } from '../../../platform/calendar/time.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { CONTACT_COLUMNS, PUPIL_COLUMNS } from './columns.ts';
import { appliedSummary, findBatch, openClasses, recentBatches, staffName, type Batch } from './queries.ts';
import { applyBatch, chooseClasses, dryRunExpired, DRY_RUN_MINUTES, expireDryRuns, planBatch, storeUpload } from './service.ts';
import { TOO_LARGE } from './csv.ts';
import { problemText } from './fields.ts';
import { IMPORT_KINDS, type ImportKind } from './types.ts';

const V = 'features/people/import/views';

const oneOrMany = z.union([z.string().max(200), z.array(z.string().max(200)).max(500)]).transform((v) => (Array.isArray(v) ? v : [v]));
const ClassChoicesForm = z.object({ file_class: oneOrMany, match: oneOrMany });

const Upload = z.object({
  kind: z.enum(IMPORT_KINDS),
  file: z.instanceof(Buffer, { message: 'Select a CSV file' }),
});

/**
 * @fastify/multipart (attachFieldsToBody: 'keyValues') gives the file's bytes but not its name.
 * This route-level hook notes the name as the parts stream past, before the body is built.
 */
const fileNames = new WeakMap<FastifyRequest, string>();
/** Uploads cut off at MAX_FILE_BYTES (the rest of the file was not read, and nothing is stored). */
const cutOff = new WeakSet<FastifyRequest>();
async function rememberFileName(request: FastifyRequest): Promise<void> {
  const parts = request.parts.bind(request);
  request.parts = ((options?: Parameters<typeof parts>[0]) => {
    const iterator = parts(options);
    return (async function* () {
      for await (const part of iterator) {
        if (part.type === 'file') fileNames.set(request, part.filename);
        yield part;
        // By now the body builder has read this file to its end (or to the limit).
        if (part.type === 'file' && part.file.truncated) cutOff.add(request);
      }
    })();
  }) as typeof request.parts;
}

export function importRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, dialect, clock } = deps;
  const policy = staff(CAPABILITIES.importRecords);
  const today = (request: FastifyRequest) => localDate(clock(), request.school?.time_zone ?? 'Europe/London');
  const actor = (request: FastifyRequest): Actor & { kind: 'staff' } => ({ kind: 'staff', id: request.user!.id, schoolId: request.user!.schoolId, ip: request.ip });

  async function uploadPage(request: FastifyRequest, reply: FastifyReply, errors?: Record<string, string>, expired = false) {
    const batches = await recentBatches(db, request.user!.schoolId);
    return reply.page(`${V}/upload.njk`, { title: 'Import from the records system', batches, errors, expired, dryRunMinutes: DRY_RUN_MINUTES });
  }

  /** The batch named in the URL, after this school's old dry runs have expired; an expired one says so (410). */
  async function batchOf(request: FastifyRequest, reply: FastifyReply): Promise<Batch | null> {
    const schoolId = request.user!.schoolId;
    await expireDryRuns(db, schoolId, clock());
    const batchId = (request.params as { batchId: string }).batchId;
    const batch = await findBatch(db, schoolId, batchId);
    if (batch) return batch;
    if (await dryRunExpired(db, schoolId, batchId)) {
      await uploadPage(request, reply.code(410), undefined, true);
      return null;
    }
    throw notFound();
  }

  app.get('/import', { config: { policy } }, async (request, reply) => {
    await expireDryRuns(db, request.user!.schoolId, clock());
    return uploadPage(request, reply);
  });

  app.get('/import/columns', { config: { policy } }, async (_request, reply) =>
    reply.page(`${V}/columns.njk`, { title: 'Columns the import reads', pupilColumns: PUPIL_COLUMNS, contactColumns: CONTACT_COLUMNS }),
  );

  app.post('/import', { config: { policy, uploads: true }, onRequest: rememberFileName }, async (request, reply) => {
    const parsed = Upload.safeParse(request.body ?? {});
    const kind = (request.body as { kind?: unknown } | undefined)?.kind;
    if (!IMPORT_KINDS.includes(kind as ImportKind)) throw new AppError('bad_request', 'Choose which file you are uploading: pupils or contacts.');
    const field = `${kind as ImportKind}-file`;
    const fileName = (fileNames.get(request) ?? '').split(/[\\/]/).pop()!.slice(0, 200);
    if (cutOff.has(request)) return uploadPage(request, reply.code(413), { [field]: TOO_LARGE });
    if (!parsed.success || (parsed.data.file.length === 0 && fileName === '')) {
      return uploadPage(request, reply.code(400), { [field]: `Select the ${kind as string} CSV file` });
    }
    await expireDryRuns(db, request.user!.schoolId, clock());
    const stored = await storeUpload(db, {
      schoolId: request.user!.schoolId,
      kind: parsed.data.kind,
      fileName: fileName || `${parsed.data.kind}.csv`,
      bytes: parsed.data.file,
      actor: actor(request),
      now: clock(),
      today: today(request),
    });
    if (!stored.ok) return uploadPage(request, reply.code(400), { [field]: stored.message });
    return reply.redirect(`/import/${stored.batchId}`, 303);
  });

  async function batchPage(request: FastifyRequest, reply: FastifyReply, batch: Batch, errors?: Record<string, string>) {
    const common = { batch, uploadedBy: await staffName(db, batch.created_by), errors };
    const title = batch.kind === 'pupils' ? 'pupils' : 'contacts';
    if (batch.applied_at) {
      const summary = await appliedSummary(db, batch.school_id, batch.id);
      return reply.page(`${V}/dry-run.njk`, { ...common, title: `${cap(title)} file imported`, applied: true, summary });
    }
    const planned = await planBatch(db, batch, today(request));
    if (!planned.ok) return reply.page(`${V}/dry-run.njk`, { ...common, title: `Check the ${title} file`, problem: planned.message });
    const classes = planned.kind === 'pupils' && planned.plan.unknownClasses.length > 0 ? await openClasses(db, batch.school_id) : [];
    return reply.page(`${V}/dry-run.njk`, {
      ...common,
      title: `Check the ${title} file before importing`,
      // Each problem as one line, the column named once (fields.ts: problemText).
      plan: { ...planned.plan, rejects: planned.plan.rejects.map((r) => ({ ...r, problems: r.problems.map((p) => ({ ...p, text: problemText(p) })) })) },
      classes,
      classesSaved: (request.query as { classes?: string }).classes === 'saved',
    });
  }

  app.get('/import/:batchId', { config: { policy } }, async (request, reply) => {
    const batch = await batchOf(request, reply);
    if (!batch) return reply;
    return batchPage(request, reply, batch);
  });

  // On a pupils dry run: each class the file names that the school does not have is created, or matched to one it has.
  app.post('/import/:batchId/classes', { config: { policy } }, async (request, reply) => {
    const batch = await batchOf(request, reply);
    if (!batch) return reply;
    if (batch.kind !== 'pupils') throw notFound();
    const applied = 'This file has already been imported, so its classes can no longer be changed.';
    if (batch.applied_at) return batchPage(request, reply.code(409), batch, { apply: applied });
    const form = ClassChoicesForm.safeParse(request.body ?? {});
    if (!form.success || form.data.file_class.length !== form.data.match.length) throw new AppError('bad_request', 'Choose a class for each class in the file.');
    const choices = form.data.file_class.map((fileClass, i) => ({ fileClass, classId: form.data.match[i] || null }));
    const outcome = await chooseClasses(db, { batch, actor: actor(request), today: today(request), now: clock(), choices });
    if (outcome === 'unknown_class') throw new AppError('bad_request', 'That class is not one of this school’s classes, or the file does not name it. Go back, refresh the page and choose again.');
    if (outcome === 'already_applied') return batchPage(request, reply.code(409), (await findBatch(db, batch.school_id, batch.id))!, { apply: applied });
    return reply.redirect(`/import/${batch.id}?classes=saved#classes`, 303);
  });

  app.post('/import/:batchId/apply', { config: { policy } }, async (request, reply) => {
    const batch = await batchOf(request, reply);
    if (!batch) return reply;
    const baseUrl = deps.config.baseUrl;
    const outcome = await applyBatch(db, dialect, { schoolId: batch.school_id, batchId: batch.id, actor: actor(request), now: clock(), today: today(request), baseUrl });
    if (outcome.status === 'applied' && (outcome.summary.restrictionsRecorded ?? 0) > 0) deps.pokeOutbox();
    if (outcome.status === 'applied') return reply.redirect(`/import/${batch.id}`, 303);
    const fresh = (await findBatch(db, batch.school_id, batch.id))!;
    const message =
      outcome.status === 'already_applied'
        ? 'This file has already been imported. Nothing has been imported twice. To import again, upload the file again.'
        : outcome.status === 'conflict'
          ? 'Another import for the school was saved at the same moment, so nothing from this file has been imported. Check the changes below and try again.'
          : outcome.message;
    return batchPage(request, reply.code(outcome.status === 'file_problem' ? 400 : 409), fresh, { apply: message });
  });
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
