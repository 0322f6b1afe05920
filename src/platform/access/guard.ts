import type { FastifyInstance, FastifyRequest, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { Database, SchoolRow } from '../../db/schema.ts';
import { localDate, type Clock } from '../calendar/time.ts';
import { AppError, notFound } from '../errors.ts';
import { loadSession, type SessionRow } from '../auth/sessions.ts';
import { randomToken, safeEqual } from '../auth/tokens.ts';
import { anyone, decide, type Policy } from './policy.ts';
import type { User } from './roles.ts';
import { NOT_RECORDS, paramsOf, RECORD_PARAMS, recordsAreInSchool } from './records.ts';
import { canSeeCarer, canSeePupil, type ScopeContext } from './scope.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: Policy;
  }
  interface FastifyRequest {
    user: User | null;
    session: SessionRow | null;
    school: SchoolRow | null;
    csrfToken: string;
    /** Today in the school's zone and the school's reach settings, for scope checks. */
    scope: ScopeContext;
    /** May this person open the page at this route (its pattern, as declared: '/surveys/:surveyId/results')? For showing a link only to those it would let in. */
    mayOpen(route: string): boolean;
  }
}

export type RouteRecord = { method: string; url: string; policy: Policy };

export function cookieNames(secure: boolean): { session: string; csrf: string } {
  return secure ? { session: '__Host-gatepost', csrf: '__Host-gatepost-csrf' } : { session: 'gatepost', csrf: 'gatepost-csrf' };
}

export function isSecure(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

/**
 * Deny by default: every route must carry `config.policy` (the app refuses to start otherwise);
 * each request is signed in from its session cookie, checked against the route's policy, its form
 * checked for a CSRF token, every record it names (records.ts) looked up in the person's school, and
 * its pupils and carers checked against the person's reach.
 * Out of reach answers 404, never 403, so ids reveal nothing.
 */
export function registerGuard(app: FastifyInstance, deps: { db: Kysely<Database>; config: Config; clock: Clock }, routes: RouteRecord[]): void {
  const { db, config, clock } = deps;

  app.decorateRequest('user', null);
  app.decorateRequest('session', null);
  app.decorateRequest('school', null);
  app.decorateRequest('csrfToken', '');
  app.decorateRequest('scope', null as unknown as ScopeContext);
  app.decorateRequest('mayOpen', function mayOpen(this: FastifyRequest, route: string): boolean {
    const page = routes.find((r) => r.method === 'GET' && r.url === route);
    if (!page) throw new Error(`mayOpen: no page at ${route}`);
    return decide(page.policy, this.user) === 'allow';
  });

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/assets/') && !route.config?.policy) {
      route.config = { ...route.config, policy: anyone } as typeof route.config;
    }
    const policy = route.config?.policy;
    if (!policy) {
      throw new Error(`Route ${String(route.method)} ${route.url} has no access policy: every route must declare who may use it`);
    }
    // No registry entry, no route: a parameter naming a record is always looked up in the school.
    const unknown = paramsOf(route.url).filter((name) => !(name in RECORD_PARAMS) && !(name in NOT_RECORDS));
    if (unknown.length > 0) {
      throw new Error(`Route ${route.url}: add :${unknown.join(', :')} to RECORD_PARAMS (or NOT_RECORDS) in src/platform/access/records.ts, so that it is looked up in the person's school`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, policy });
    }
  });

  let soleSchool: { at: number; school: SchoolRow | null } | undefined;

  app.addHook('preHandler', async (request, reply) => {
    const now = clock();
    const names = cookieNames(isSecure(request));
    const token = request.cookies[names.session];
    const loaded = token ? await loadSession(db, token, config.sessions, now) : null;
    request.session = loaded?.session ?? null;
    request.user = loaded?.user ?? null;

    if (loaded) {
      request.school = loaded.school;
    } else {
      // Signed-out pages show the school's name when this server hosts just one school.
      if (!soleSchool || now.getTime() - soleSchool.at > 60_000) {
        const schools = await db.selectFrom('schools').selectAll().limit(2).execute();
        soleSchool = { at: now.getTime(), school: schools.length === 1 ? schools[0]! : null };
      }
      request.school = soleSchool.school;
    }
    request.scope = {
      today: localDate(now, request.school?.time_zone ?? 'Europe/London'),
      teachersSeeAllPupils: request.school?.teachers_see_all_pupils === 1,
    };

    // CSRF: a token bound to the session, or for signed-out forms a token in its own cookie.
    if (request.session) {
      request.csrfToken = request.session.csrf_token;
    } else {
      const existing = request.cookies[names.csrf];
      request.csrfToken = existing && existing.length >= 20 ? existing : randomToken(24);
      if (request.csrfToken !== existing) {
        reply.setCookie(names.csrf, request.csrfToken, { path: '/', httpOnly: true, sameSite: 'lax', secure: isSecure(request) });
      }
    }

    // Only the not-found handler has no policy (every route was checked at start).
    const policy = request.routeOptions.config.policy ?? anyone;
    const decision = decide(policy, request.user);
    if (decision === 'sign_in') return askToSignIn(request, reply);
    if (decision === 'deny') throw notFound();

    // A provider's callback carries its own signature instead of a CSRF token (checked by its handler).
    if (policy.who !== 'provider' && (request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH' || request.method === 'DELETE')) {
      const body = request.body as Record<string, unknown> | undefined;
      const sent = (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, request.csrfToken)) {
        throw new AppError('csrf', 'This form has expired. Go back, refresh the page and try again.');
      }
    }

    // Tenancy by construction: every record the request names is looked up in the person's school first.
    const params = (request.params ?? {}) as Record<string, unknown>;
    const query = (request.query ?? {}) as Record<string, unknown>;
    if (!(await recordsAreInSchool(db, request.user?.schoolId ?? null, params, query))) throw notFound();
    // Then the person's reach inside the school: which pupils and carers they may see.
    if (request.user) {
      const pupilIds = [params.pupilId, query.pupil].flat().filter((id): id is string => typeof id === 'string' && id !== '');
      for (const pupilId of pupilIds) if (!(await canSeePupil(db, request.user, pupilId, request.scope))) throw notFound();
      if (typeof params.carerId === 'string' && !(await canSeeCarer(db, request.user, params.carerId, request.scope))) throw notFound();
    }
  });
}

function askToSignIn(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
  return reply.redirect(`/sign-in${next}`, 303);
}
