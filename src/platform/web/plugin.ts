import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { Environment } from 'nunjucks';
import { compressPage } from './compress.ts';
import { anyone } from '../access/policy.ts';
import type { User } from '../access/roles.ts';
import { errorList, type PageErrors } from './forms.ts';
import { navFor, footerLinks, sectionNavFor } from './navigation.ts';
import { languageSwitch } from '../i18n/switch.ts';

declare module 'fastify' {
  interface FastifyReply {
    /** Render a page with the layout's shared context (user, school, CSRF token, navigation). */
    page(template: string, context?: Record<string, unknown>): FastifyReply;
  }
}

export type PageContext = {
  title?: string;
  errors?: PageErrors;
  [key: string]: unknown;
};

/** On every answer, the app's pages and its error answers alike. */
export const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

/** The error page drawn without a request (for answers Node gives before Fastify sees one). */
export function plainErrorPage(templates: Environment, status: number): string {
  const lines =
    status === 431
      ? ['The request was too large (too many or too long cookies or headers). Close the browser and try again.']
      : status === 414
        ? ['The web address is too long. Go back and try again.']
        : ['The request could not be understood. Go back and try again.'];
  return templates.render('platform/web/views/error.njk', {
    title: 'Sorry, there is a problem',
    lines,
    user: null,
    schoolName: 'Gatepost',
    nav: navFor(null, '/'),
    footerLinks: footerLinks(null),
    csrfToken: '',
  });
}

const publicDir = path.resolve(import.meta.dirname, '../../../public/build');

export function registerWeb(app: FastifyInstance, templates: Environment): void {
  app.register(fastifyStatic, {
    root: publicDir,
    prefix: '/assets/',
    maxAge: '7d',
    immutable: false,
    decorateReply: false,
    wildcard: false,
    preCompressed: true, // app.css.br / .gz are made by scripts/build-assets.ts
  });

  // The school's colour as a stylesheet (the Content-Security-Policy allows no inline styles).
  app.get('/school.css', { config: { policy: anyone } }, async (request, reply) => {
    const colour = /^#[0-9a-fA-F]{6}$/.test(request.school?.colour ?? '') ? request.school!.colour : '#1d70b8';
    return reply.type('text/css; charset=utf-8').header('Cache-Control', 'private, max-age=300').send(`:root{--school-colour:${colour}}\n`);
  });

  app.decorateReply('page', function page(this: FastifyReply, template: string, context: PageContext = {}) {
    const request = this.request as FastifyRequest;
    // `t` is the page's words (platform/i18n): a page that passed its own `t` would break the layout.
    if ('t' in context) throw new Error(`Page ${template}: "t" is reserved for the page's words; name that value something else`);
    let html: string;
    try {
      html = templates.render(template, { ...sharedContext(request), ...context, errorList: errorList(context.errors, request.body) });
    } catch (error) {
      throw Object.assign(new Error(`Page ${template} could not be drawn: ${String(error)}`), { statusCode: 500 });
    }
    return this.type('text/html; charset=utf-8').send(html);
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('Cache-Control', 'no-store');
      return compressPage(_request, reply, payload);
    }
    return payload;
  });
}

function sharedContext(request: FastifyRequest): Record<string, unknown> {
  const user: User | null = request.user;
  const t = request.text;
  return {
    user,
    t,
    lang: t.code,
    dir: t.dir,
    languageSwitch: languageSwitch(request),
    schoolName: request.school?.name ?? 'Gatepost',
    schoolColour: request.school?.colour ?? '#1d70b8',
    timeZone: request.school?.time_zone ?? 'Europe/London',
    csrfToken: request.csrfToken,
    currentPath: request.url,
    nav: navFor(user, request.url, t),
    sectionNav: sectionNavFor(user, request.url, t),
    footerLinks: footerLinks(user, t),
    outboxWarning: request.outboxWarning,
  };
}
