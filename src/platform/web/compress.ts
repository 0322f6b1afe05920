import zlib from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Pages are compressed in one synchronous call at a fast level. (@fastify/compress builds a zlib
 * stream per response, which cost ~4 ms a page here — more than drawing the page; see
 * docs/performance.md.) Static assets are compressed once at build time instead.
 */
const BROTLI = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } };
const GZIP = { level: 6 };

export function compressPage(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
  if (typeof payload !== 'string' || payload.length < 1024) return payload;
  reply.header('Vary', 'Accept-Encoding');
  const accepted = String(request.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepted)) {
    reply.header('Content-Encoding', 'br');
    return zlib.brotliCompressSync(payload, BROTLI);
  }
  if (/\bgzip\b/.test(accepted)) {
    reply.header('Content-Encoding', 'gzip');
    return zlib.gzipSync(payload, GZIP);
  }
  return payload;
}
