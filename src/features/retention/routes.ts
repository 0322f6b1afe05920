import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { formatDate, isValidLocalDate } from '../../platform/calendar/time.ts';
import type { LocalDate } from '../../db/schema.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm } from '../../platform/web/forms.ts';
import { actionWords, RETENTION_KEEPERS } from './schedule.ts';
import { erasableToday, eraseKind, erasureWords, isErasable, scheduleToday, type ErasableKey } from './service.ts';

const V = 'features/retention/views';
const keepers = staff(RETENTION_KEEPERS);

const EraseForm = z.object({
  kind: z.enum(['complaints', 'whole_school_messages']),
  /** The cut-off the confirmation page showed: the erasure never goes past it (nor past the server's). */
  before: z
    .string()
    .refine(isValidLocalDate, 'Open the confirmation page again')
    .transform((s) => s as LocalDate),
});

/**
 * Records retention (`/settings/retention`): the school's schedule, with how many records of each
 * kind are past their date today; and, for the kinds Gatepost erases, a confirmation page that says
 * exactly what will go and a POST that erases it. The head, senior leaders and the office.
 */
export function retentionRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;
  const zoneOf = (request: FastifyRequest) => request.school?.time_zone ?? 'Europe/London';
  const actorOf = (request: FastifyRequest): Actor & { kind: 'staff' } => ({ kind: 'staff', id: request.user!.id, schoolId: request.user!.schoolId, ip: request.ip });

  app.get('/settings/retention', { config: { policy: keepers } }, async (request, reply) => {
    const kinds = await scheduleToday(db, request.user!.schoolId, request.scope.today, zoneOf(request));
    const q = request.query as { erased?: string; n?: string; before?: string };
    const done =
      q.erased && isErasable(q.erased) && /^\d+$/.test(q.n ?? '') && /^\d{4}-\d{2}-\d{2}$/.test(q.before ?? '') ? `Erased: ${erasureWords(q.erased, Number(q.n), q.before as string)}.` : undefined;
    return reply.page(`${V}/schedule.njk`, {
      title: 'Records retention',
      done,
      kinds: kinds.map((k) => ({
        key: k.key,
        name: k.name,
        holds: k.holds,
        period: `${k.years} ${k.years === 1 ? 'year' : 'years'} from ${k.from}`,
        action: actionWords(k.action),
        erasable: k.action.do === 'erase',
        source: k.source,
        check: k.check,
        count: k.due.count,
        oldest: k.due.oldest ? formatDate(k.due.oldest) : null,
        before: formatDate(k.cutOff),
      })),
    });
  });

  async function confirmPage(request: FastifyRequest, reply: FastifyReply, key: ErasableKey, errors?: Record<string, string>) {
    const kind = await erasableToday(db, request.user!.schoolId, key, request.scope.today, zoneOf(request));
    return reply.code(errors ? 400 : 200).page(`${V}/erase.njk`, {
      errors,
      title: kind.due.count > 0 ? `Erase ${erasureWords(key, kind.due.count, kind.cutOff)}` : `Nothing to erase: ${kind.name.toLowerCase()}`,
      kind: { key, name: kind.name, holds: kind.holds, count: kind.due.count, cutOff: kind.cutOff, source: kind.source },
    });
  }

  app.get('/settings/retention/erase', { config: { policy: keepers } }, async (request, reply) => {
    const key = (request.query as { kind?: string }).kind ?? '';
    if (!isErasable(key)) throw notFound();
    return confirmPage(request, reply, key);
  });

  app.post('/settings/retention/erase', { config: { policy: keepers } }, async (request, reply) => {
    const form = parseForm(EraseForm, request.body);
    if (!form.ok) {
      const key = String(form.values.kind ?? '');
      if (!isErasable(key)) throw notFound();
      // The hidden date was not one Gatepost wrote: nothing is erased; the page says again what would go.
      return confirmPage(request, reply, key, { erase: 'Gatepost could not read what this page showed: check what will go, then press the button again' });
    }
    const erased = await eraseKind(db, actorOf(request), form.data.kind, form.data.before, clock(), zoneOf(request));
    return reply.redirect(`/settings/retention?erased=${form.data.kind}&n=${erased.count}&before=${erased.before}`, 303);
  });
}
