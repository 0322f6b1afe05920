import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../deps.ts';
import { staff } from '../access/policy.ts';
import { CAPABILITIES } from '../access/roles.ts';
import { actionWords, changeLines, idsIn, thingWords } from './describe.ts';
import { namesOf } from './names.ts';

const PAGE = 100;

/** The head reads the audit log: newest first, filtered by record. Nothing here changes or deletes it. */
export function auditRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db } = deps;
  app.get('/audit', { config: { policy: staff(CAPABILITIES.readAudit) } }, async (request, reply) => {
    const user = request.user!;
    const query = request.query as { entity?: string; before?: string };
    let q = db
      .selectFrom('audit_log')
      .leftJoin('staff', 'staff.id', 'audit_log.actor_id')
      .leftJoin('carers', 'carers.id', 'audit_log.actor_id')
      .select([
        'audit_log.id',
        'audit_log.at',
        'audit_log.actor_kind',
        'audit_log.action',
        'audit_log.entity',
        'audit_log.entity_id',
        'audit_log.before_json',
        'audit_log.after_json',
        'staff.title as staff_title',
        'staff.family_name as staff_family_name',
        'carers.given_name as carer_given_name',
        'carers.family_name as carer_family_name',
      ])
      .where('audit_log.school_id', '=', user.schoolId);
    if (query.entity) q = q.where('audit_log.entity_id', '=', query.entity.slice(0, 64));
    if (query.before) q = q.where('audit_log.id', '<', query.before.slice(0, 64));
    const rows = await q.orderBy('audit_log.id', 'desc').limit(PAGE).execute();
    const names = await namesOf(
      db,
      user.schoolId,
      rows.flatMap((r) => [...(r.entity_id ? [r.entity_id] : []), ...idsIn(r.before_json, r.after_json)]),
    );
    const timeZone = request.school?.time_zone ?? 'Europe/London';
    return reply.page('platform/audit/views/audit.njk', {
      title: 'Audit log',
      rows: rows.map((r) => ({
        ...r,
        thing: thingWords(r.entity),
        what: actionWords(r.action, r.entity_id ? names.get(r.entity_id) : null),
        changes: changeLines(r.before_json, r.after_json, timeZone, names, r.entity),
        who: r.actor_kind === 'system' ? 'Gatepost' : r.staff_family_name ? `${r.staff_title} ${r.staff_family_name}` : `${r.carer_given_name ?? ''} ${r.carer_family_name ?? ''}`.trim(),
      })),
      entity: query.entity,
      nextBefore: rows.length === PAGE ? rows[rows.length - 1]!.id : null,
    });
  });
}
