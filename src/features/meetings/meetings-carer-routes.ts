import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { carers } from '../../platform/access/policy.ts';
import type { CarerUser } from '../../platform/access/roles.ts';
import { carerMeeting, renderCarerMeeting, V } from './meetings-pages.ts';
import { carerMeetingList } from './meetings-queries.ts';
import { isUpcoming } from './meetings-rules.ts';
import { carerLabels } from './carer-words.ts';

/** A family's meetings: what they asked for, times to choose, what is coming and what has been. */
export function carerMeetingRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  app.get('/my-meetings', { config: { policy: carers } }, async (request, reply) => {
    // ?pupil=: one child's meetings (the guard has checked the child is theirs to see).
    const pupil = (request.query as { pupil?: string }).pupil;
    const rows = await carerMeetingList(db, request.user as CarerUser, request.scope, pupil);
    const now = clock();
    const upcoming = rows.filter((m) => isUpcoming(m, now)).sort((a, b) => (a.starts_at ?? '').localeCompare(b.starts_at ?? ''));
    const t = request.text;
    return reply.page(`${V}/my-meetings.njk`, {
      title: pupil && rows[0] ? t('meetings.list.titleAbout', { child: rows[0].pupil_preferred_name ?? rows[0].pupil_given_name }) : t('meetings.list.title'),
      child: pupil && rows[0] ? (rows[0].pupil_preferred_name ?? rows[0].pupil_given_name) : null,
      filtered: !!pupil,
      asked: rows.filter((m) => m.status === 'requested'),
      toChoose: rows.filter((m) => m.status === 'offered'),
      upcoming,
      past: rows.filter((m) => m.status !== 'requested' && m.status !== 'offered' && !upcoming.includes(m)),
      labels: carerLabels(t),
    });
  });

  app.get('/my-meetings/:meetingId', { config: { policy: carers } }, async (request, reply) => renderCarerMeeting(db, request, reply, await carerMeeting(db, request)));
}
