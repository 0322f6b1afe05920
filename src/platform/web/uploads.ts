import type { FastifyRequest } from 'fastify';

/**
 * Files people attach to a form (complaint documents, a policy's document). @fastify/multipart
 * (app.ts: one file a request, attachFieldsToBody) gives a route the file's bytes as a Buffer but not
 * its name: `rememberUploadName` (the route's onRequest) notes the name as the parts stream past, and
 * `uploadName` reads it. `checkUpload` decides whether the file may be kept and says why not in words
 * to show beside the field. Files are stored in the row that owns them (name, type, base64 bytes).
 */
const uploadNames = new WeakMap<FastifyRequest, string>();

export async function rememberUploadName(request: FastifyRequest): Promise<void> {
  const parts = request.parts.bind(request);
  request.parts = ((options?: Parameters<typeof parts>[0]) => {
    const iterator = parts(options);
    return (async function* () {
      for await (const part of iterator) {
        if (part.type === 'file') uploadNames.set(request, part.filename);
        yield part;
      }
    })();
  }) as typeof request.parts;
}

/** The uploaded file's name and bytes (null when no file came). */
export function uploadOf(request: FastifyRequest, field = 'file'): { name: string | null; bytes: Buffer | null } {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const bytes = Buffer.isBuffer(body[field]) ? (body[field] as Buffer) : null;
  return { name: uploadNames.get(request) ?? null, bytes };
}
export function uploadName(request: FastifyRequest): string | null {
  return uploadNames.get(request) ?? null;
}

export type UploadRules = {
  /** Extension → content type, for the files this form takes. */
  types: Record<string, string>;
  maxBytes: number;
  /** The kinds in words, for the message: "a PDF, Word, OpenDocument or text file". */
  kinds: string;
  /** What to ask for when nothing came: "Choose a file to attach". */
  choose: string;
  /** Check the first bytes match the name (a PDF starts %PDF-, Word and OpenDocument files are zip files, text has no NUL). */
  checkContent?: boolean;
};

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
function looksLike(ext: string, bytes: Buffer): boolean {
  if (ext === 'pdf') return bytes.subarray(0, 5).toString('latin1') === '%PDF-';
  if (ext === 'docx' || ext === 'odt') return bytes.subarray(0, 4).equals(ZIP);
  if (ext === 'txt') return !bytes.includes(0);
  return true;
}

/** A file the form may keep: a name whose type is known, not empty, not too big (and, when asked, content matching its name). */
export function checkUpload(name: string | null, bytes: Buffer | null, rules: UploadRules): { ok: true; type: string } | { ok: false; message: string } {
  if (!name || !bytes || bytes.length === 0) return { ok: false, message: rules.choose };
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  const type = rules.types[ext];
  if (!type) return { ok: false, message: `The file must be ${rules.kinds}` };
  const mb = rules.maxBytes / 1_000_000;
  if (bytes.length > rules.maxBytes) return { ok: false, message: `The file must be ${mb} MB or smaller` };
  if (rules.checkContent && !looksLike(ext, bytes)) return { ok: false, message: `The file is not a real .${ext} file: save it again as ${rules.kinds} and choose it again` };
  return { ok: true, type };
}

/** A name safe to put in a Content-Disposition header. */
export function safeFileName(name: string | null, fallback = 'document'): string {
  return (name ?? fallback).replace(/[^\w.\- ]/g, '_');
}
