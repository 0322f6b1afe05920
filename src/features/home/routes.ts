import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { anyone } from '../../platform/access/policy.ts';
import { can, pupilReach, type CarerUser, type StaffUser } from '../../platform/access/roles.ts';
import { childrenOfCarer, classesTaughtBy, getCarer } from '../people/queries.ts';
import { RELATIONSHIP_LABELS, YEAR_GROUP_LABELS } from '../people/validation.ts';
import { schoolFigures, unreadMessages } from './queries.ts';

const V = 'features/home/views';

/** Home: signed-out people go to sign in; staff see their day; carers see their children. */
export function homeRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db } = deps;

  app.get('/', { config: { policy: anyone } }, async (request, reply) => {
    const user = request.user;
    if (!user) return reply.redirect('/sign-in', 303);
    if (user.kind === 'carer') {
      const carer: CarerUser = user;
      const [children, me, unread] = await Promise.all([childrenOfCarer(db, carer, request.scope, carer.id), getCarer(db, carer.schoolId, carer.id), unreadMessages(db, carer.id)]);
      return reply.page(`${V}/carer-home.njk`, { title: 'Your children', children, me, unread, years: YEAR_GROUP_LABELS, relationships: RELATIONSHIP_LABELS });
    }
    const staffUser: StaffUser = user;
    const reach = pupilReach(staffUser, request.scope.teachersSeeAllPupils);
    const [classes, figures] = await Promise.all([classesTaughtBy(db, staffUser.id), reach === 'school' ? schoolFigures(db, staffUser.schoolId) : null]);
    return reply.page(`${V}/staff-home.njk`, {
      title: 'Home',
      classes,
      figures,
      reach,
      canImport: can(staffUser, 'importRecords'),
      canAudit: can(staffUser, 'readAudit'),
    });
  });
}
