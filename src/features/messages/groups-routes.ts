import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { StaffRole } from '../../db/schema.ts';
import { staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, text, type FieldErrors } from '../../platform/web/forms.ts';
import { listCarers } from '../people/index.ts';
import { addMember, createGroup, getGroup, listGroups, membersOf, removeMember } from './groups-queries.ts';

const V = 'features/messages/views';
const GROUP_KEEPERS: readonly StaffRole[] = ['head', 'senior_leader', 'office', 'family_liaison'];
const keepers = staff(GROUP_KEEPERS);

const CreateForm = z.object({ name: text('a name for the group', 60).transform((v) => v.replace(/\s+/g, ' ')) });
const AddForm = z.object({ carer_id: z.string({ error: 'Choose a parent or carer' }).trim().min(1, 'Choose a parent or carer') });

function actorOf(request: FastifyRequest): Actor {
  const user = request.user as StaffUser;
  return { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip };
}

/** The office keeps custom groups of carers (PTA, reading partners) that messages can go to. */
export function groupRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  async function groupsPage(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, unknown> } = {}) {
    const user = request.user as StaffUser;
    const groups = await listGroups(db, user.schoolId);
    return reply.code(extra.errors ? 400 : 200).page(`${V}/groups.njk`, { title: 'Groups of parents and carers', groups, values: extra.values ?? {}, errors: extra.errors });
  }

  async function groupOf(request: FastifyRequest) {
    const user = request.user as StaffUser;
    const { groupId } = request.params as { groupId: string };
    const group = await getGroup(db, user.schoolId, groupId);
    if (!group) throw notFound();
    return group;
  }

  app.get('/groups', { config: { policy: keepers } }, async (request, reply) => groupsPage(request, reply));

  app.post('/groups', { config: { policy: keepers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const form = parseForm(CreateForm, request.body);
    if (!form.ok) return groupsPage(request, reply, { errors: form.errors, values: form.values });
    const result = await createGroup(db, actorOf(request), user.schoolId, form.data.name, clock());
    if (!result.ok) return groupsPage(request, reply, { errors: { name: `There is already a group called ${result.existing}` }, values: form.data });
    return reply.redirect(`/groups/${result.id}`, 303);
  });

  app.get('/groups/:groupId', { config: { policy: keepers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const group = await groupOf(request);
    const q = request.query as { q?: string; done?: string };
    const query = typeof q.q === 'string' ? q.q.trim().slice(0, 100) : '';
    const members = await membersOf(db, user.schoolId, group.id);
    const memberIds = new Set(members.map((m) => m.id));
    const found = query ? await listCarers(db, user, request.scope, { q: query, page: 1 }) : null;
    const results = found ? found.rows.map((c) => ({ ...c, member: memberIds.has(c.id) })) : null;
    return reply.page(`${V}/group.njk`, { title: group.name, group, members, query, results, total: found?.total ?? 0, done: q.done });
  });

  app.post('/groups/:groupId/members', { config: { policy: keepers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const group = await groupOf(request);
    const form = parseForm(AddForm, request.body);
    if (!form.ok) return reply.redirect(`/groups/${group.id}`, 303);
    const added = await addMember(db, actorOf(request), user.schoolId, group.id, form.data.carer_id, clock());
    if (added === 'missing') throw notFound();
    return reply.redirect(`/groups/${group.id}?done=added`, 303);
  });

  app.post('/groups/:groupId/members/:carerId/remove', { config: { policy: keepers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const group = await groupOf(request);
    const { carerId } = request.params as { carerId: string };
    await removeMember(db, actorOf(request), user.schoolId, group.id, carerId, clock());
    return reply.redirect(`/groups/${group.id}?done=removed`, 303);
  });
}
