import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../deps.ts';
import { staff } from '../access/policy.ts';
import { CAPABILITIES } from '../access/roles.ts';
import { actionWords, changeLines } from './describe.ts';

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
    return reply.page('platform/audit/views/audit.njk', {
      title: 'Audit log',
      rows: rows.map((r) => ({
        ...r,
        what: actionWords(r.action),
        changes: changeLines(r.before_json, r.after_json, request.school?.time_zone ?? 'Europe/London'),
        who: r.actor_kind === 'system' ? 'Gatepost' : r.staff_family_name ? `${r.staff_title} ${r.staff_family_name}` : `${r.carer_given_name ?? ''} ${r.carer_family_name ?? ''}`.trim(),
      })),
      entity: query.entity,
      nextBefore: rows.length === PAGE ? rows[rows.length - 1]!.id : null,
    });
  });
}
