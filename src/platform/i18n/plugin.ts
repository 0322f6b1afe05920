import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { carers } from '../access/policy.ts';
import { safeNext } from '../auth/safe-next.ts';
import type { Clock } from '../calendar/time.ts';
import { english, textIn, type Text } from './catalog.ts';
import { ENGLISH, carerLanguage, languageByCode } from './languages.ts';
import { schoolTexts } from './queries.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Words for whoever asked: a carer's own language (or English when they chose it), English for everyone else. */
    text: Text;
  }
}

/** A carer who pressed "English" sees English on this device until they press their language again. */
export const ENGLISH_COOKIE = 'gp_english';

/** The language a carer's pages are in: theirs, unless they chose English on this device. */
export function carerPageLanguage(request: FastifyRequest): string {
  const user = request.user;
  if (user?.kind !== 'carer') return ENGLISH;
  if (request.cookies[ENGLISH_COOKIE] === '1') return ENGLISH;
  return carerLanguage(user.language).code;
}

/** Words for one carer in their language with their school's own words: for emails and letters. */
export async function textForCarer(db: Db, schoolId: string, preferredLanguage: string | null | undefined, now: Date): Promise<Text> {
  return textForSchool(db, schoolId, carerLanguage(preferredLanguage).code, now);
}

export async function textForSchool(db: Db, schoolId: string, code: string, now: Date): Promise<Text> {
  const own = await schoolTexts(db, schoolId, now);
  return textIn(code, { own: own.get(code), english: own.get(ENGLISH) });
}

const switchQuery = z.object({ to: z.string().max(8).default(ENGLISH), next: z.string().max(2000).default('/') });

/**
 * Sets `request.text` for whoever asked and returns a function the error pages call: an error
 * thrown before the language is known (a stale form's CSRF check) is still in the carer's words.
 */
export function registerLanguage(app: FastifyInstance, deps: { db: Db; clock: Clock }): (request: FastifyRequest) => Promise<Text> {
  app.decorateRequest('text', null as unknown as Text);
  const chosen = new WeakSet<FastifyRequest>();
  async function wordsFor(request: FastifyRequest): Promise<Text> {
    const user = request.user;
    if (user?.kind !== 'carer' || chosen.has(request)) return request.text ?? english;
    request.text = await textForSchool(deps.db, user.schoolId, carerPageLanguage(request), deps.clock());
    chosen.add(request);
    return request.text;
  }
  app.addHook('onRequest', async (request) => {
    request.text = english;
  });
  app.addHook('preHandler', async (request) => {
    await wordsFor(request);
  });

  // "English" / "Polski": one click between the carer's language and English, on any page.
  app.get('/language', { config: { policy: carers } }, async (request, reply) => {
    const query = switchQuery.safeParse(request.query);
    const to = query.success ? query.data.to : ENGLISH;
    const next = safeNext(query.success ? query.data.next : '/');
    if (to === ENGLISH || !languageByCode(to)) {
      reply.setCookie(ENGLISH_COOKIE, '1', { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 365 * 24 * 3600 });
    } else {
      reply.clearCookie(ENGLISH_COOKIE, { path: '/' });
    }
    return reply.redirect(next, 303);
  });
  return wordsFor;
}
