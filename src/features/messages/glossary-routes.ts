import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { StaffRole } from '../../db/schema.ts';
import { staff } from '../../platform/access/policy.ts';
import { hasAnyRole, STAFF_ROLES } from '../../platform/access/roles.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { parseForm, text, type FieldErrors } from '../../platform/web/forms.ts';
import { adviceFor, LONG_SENTENCE_WORDS, TARGET_SCORE } from './clear-language.ts';
import { addTerm, changePlain, glossaryFor, listGlossary, removeTerm, seedGlossaryIfNew } from './glossary-queries.ts';

const V = 'features/messages/views';
/** Everyone who writes to families reads the glossary; governors do not write to families. */
const WRITERS: readonly StaffRole[] = STAFF_ROLES.filter((r) => r !== 'governor');
const EDITORS: readonly StaffRole[] = ['head', 'senior_leader', 'office'];
const reading = staff(WRITERS);
const editing = staff(EDITORS);

const termField = text('the school word or abbreviation', 40)
  .transform((v) => v.replace(/\s+/g, ' '))
  .refine((v) => /[\p{L}\p{N}]/u.test(v), 'The school word must include a letter or a number');
const plainField = text('the plain words', 200);
const AddForm = z.object({ term: termField, plain: plainField });
const ChangeForm = z.object({ plain: plainField });
/** Long enough for a newsletter; the check is advice on a page, not a store. */
const CheckForm = z.object({ text: text('the writing you want to check', 20_000) });

const gone = () => new AppError('conflict', 'This word is no longer in the glossary: someone may have removed it. Go back to the glossary to add it again.');

function actorOf(request: FastifyRequest): Actor {
  const user = request.user!;
  return { kind: user.kind, id: user.id, schoolId: user.schoolId, ip: request.ip };
}

export function glossaryRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  /** The glossary page; `errors` and typed values come back from a failed add or change. */
  async function glossaryPage(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, unknown>; edits?: Record<string, unknown> } = {}) {
    const schoolId = request.user!.schoolId;
    return reply.page(`${V}/glossary.njk`, {
      title: 'School words in plain English',
      rows: await listGlossary(db, schoolId),
      canEdit: hasAnyRole(request.user, EDITORS),
      saved: (request.query as { saved?: string }).saved,
      values: {},
      edits: {},
      ...extra,
    });
  }

  app.get('/glossary', { config: { policy: reading } }, async (request, reply) => {
    await seedGlossaryIfNew(db, actorOf(request), request.user!.schoolId, clock());
    return glossaryPage(request, reply);
  });

  app.post('/glossary', { config: { policy: editing } }, async (request, reply) => {
    const form = parseForm(AddForm, request.body);
    if (!form.ok) return glossaryPage(request, reply.code(400), { errors: form.errors, values: form.values });
    // Seed first, so that a word added before anyone opened the page does not stop the defaults.
    await seedGlossaryIfNew(db, actorOf(request), request.user!.schoolId, clock());
    const added = await addTerm(db, actorOf(request), request.user!.schoolId, form.data, clock());
    if (!added.ok) {
      const errors = { term: `‘${added.existing}’ is already in the glossary. Change its plain words in the list instead` };
      return glossaryPage(request, reply.code(400), { errors, values: form.data });
    }
    return reply.redirect('/glossary?saved=added', 303);
  });

  app.post('/glossary/:termId', { config: { policy: editing } }, async (request, reply) => {
    const { termId } = request.params as { termId: string };
    const form = parseForm(ChangeForm, request.body);
    if (!form.ok) {
      if (!(await listGlossary(db, request.user!.schoolId)).some((r) => r.id === termId)) throw gone();
      return glossaryPage(request, reply.code(400), { errors: { [`plain-${termId}`]: form.errors.plain ?? 'Enter the plain words' }, edits: { [termId]: form.values.plain } });
    }
    const result = await changePlain(db, actorOf(request), request.user!.schoolId, termId, form.data.plain, clock());
    if (result === 'missing') throw gone();
    return reply.redirect('/glossary?saved=changed', 303);
  });

  // Removing twice (a double click, or two colleagues) ends the same way: the word is gone.
  app.post('/glossary/:termId/remove', { config: { policy: editing } }, async (request, reply) => {
    const { termId } = request.params as { termId: string };
    await removeTerm(db, actorOf(request), request.user!.schoolId, termId, clock());
    return reply.redirect('/glossary?saved=removed', 303);
  });

  const checkPage = { title: 'Check my writing', target: TARGET_SCORE, longWords: LONG_SENTENCE_WORDS };

  app.get('/clear-language', { config: { policy: reading } }, async (_request, reply) => reply.page(`${V}/clear-language.njk`, { ...checkPage, values: {} }));

  app.post('/clear-language', { config: { policy: reading } }, async (request, reply) => {
    const form = parseForm(CheckForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/clear-language.njk`, { ...checkPage, errors: form.errors, values: form.values });
    const advice = adviceFor(form.data.text, await glossaryFor(db, request.user!.schoolId));
    return reply.page(`${V}/clear-language.njk`, { ...checkPage, advice, values: form.data });
  });
}
