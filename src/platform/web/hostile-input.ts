import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { SECURITY_HEADERS } from './plugin.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route takes a file: it accepts multipart/form-data, and only that. */
    uploads?: boolean;
    /** Query parameters this route reads as lists (`?pupil=a&pupil=b`); any other repeated one is read once. */
    queryLists?: string[];
  }
}

const FORM = 'application/x-www-form-urlencoded';
const MULTIPART = 'multipart/form-data';

/**
 * Before any handler or database sees a request: a NUL character anywhere a person can put text
 * (path, query, form, cookie) answers 400 (PostgreSQL refuses text with NUL in it, so it would
 * otherwise be a 500, even before sign-in); and a query parameter given twice is read once (the
 * first), unless the route reads it as a list. Content types: registerContentTypeChecks.
 */
export function registerInputChecks(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (/%00/.test(request.url) || hasNul(request.url) || hasNul(request.params) || hasNul(request.query) || hasNul(request.body) || hasNul(request.cookies)) {
      throw new AppError('bad_request', 'Something you entered contains a character Gatepost cannot store. Go back, remove it and try again.');
    }
    firstOfRepeated(request);
  });
}

/**
 * A POST must come in the content type its form sends: urlencoded, or multipart for a file upload
 * (`config.uploads`); a provider's signed callback checks its own request. Otherwise 415.
 * Registered after the access guard, so that who may not use a route still gets its 404 (or is asked
 * to sign in) whatever they send. (JSON and other types have no parser at all: Fastify answers 415.)
 */
export function registerContentTypeChecks(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    if (request.method !== 'POST') return;
    const config = request.routeOptions.config;
    if (config?.policy?.who === 'provider') return;
    const type = String(request.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
    if (!hasBody && type === '') return;
    const expected = config?.uploads ? MULTIPART : FORM;
    if (type !== expected) throw Object.assign(new Error(`Content type ${type || '(none)'} is not accepted here`), { statusCode: 415 });
  });
}

function firstOfRepeated(request: FastifyRequest): void {
  const query = request.query as Record<string, unknown> | undefined;
  if (!query || typeof query !== 'object') return;
  // A repeated `next` is left as it came: safeNext sends a person home rather than choosing one.
  const lists = ['next', ...(request.routeOptions.config?.queryLists ?? [])];
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value) && !lists.includes(key)) query[key] = value[0];
  }
}

/** Whether a NUL is in this string, or in any string, key or file name within it (Buffers are file contents, read by their own checks). */
export function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || value === undefined || depth > 8 || Buffer.isBuffer(value)) return false;
  if (Array.isArray(value)) return value.some((v) => hasNul(v, depth + 1));
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).some(([k, v]) => k.includes('\u0000') || hasNul(v, depth + 1));
  return false;
}

/**
 * Fastify's answers to a broken URL (400) or an over-long path segment (414), made before routing (so
 * before the app's hooks and reply helpers): the app's error page with its security headers.
 */
export function frameworkErrors(page: (status: number) => string) {
  return function (error: Error & { statusCode?: number }, _request: FastifyRequest, reply: FastifyReply): void {
    const status = error.statusCode ?? 400;
    void reply
      .code(status)
      .headers({ ...SECURITY_HEADERS, 'Cache-Control': 'no-store' })
      .type('text/html; charset=utf-8')
      .send(page(status));
  };
}

/**
 * Node's own answers before Fastify sees a request (headers too large: 431; a request that is not
 * HTTP: 400), as the app's error page with its security headers.
 */
export function clientErrorHandler(page: (status: number) => string) {
  return function (error: Error & { code?: string }, socket: import('node:net').Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const body = page(status);
    const headers = [
      `HTTP/1.1 ${status} ${STATUS_TEXT[status]}`,
      'Content-Type: text/html; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      'Cache-Control: no-store',
      ...Object.entries(SECURITY_HEADERS).map(([k, v]) => `${k}: ${v}`),
    ];
    if (socket.writable) socket.write(`${headers.join('\r\n')}\r\n\r\n${body}`);
    socket.destroy(error);
  };
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };
