import { createSession } from '../../../platform/auth/sessions.ts';
import type { TestApp } from '../../../../test/support/app.ts';

/** Test helpers for the import's route tests: a multipart upload as a signed-in member of staff, and a page's text. */

/** A signed-in uploader: multipart needs the cookie and CSRF token, which the test client keeps to itself. */
export async function uploader(t: TestApp, staffId: string) {
  const { token, session } = await createSession(t.db, { kind: 'staff', id: staffId, schoolId: t.fx.school.id }, new Date());
  const cookie = `gatepost=${token}`;
  return {
    upload(kind: string, fileName: string, content: Buffer | string) {
      const boundary = `----gatepost${Math.random().toString(16).slice(2)}`;
      const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
      const payload = Buffer.concat([
        Buffer.from(field('_csrf', session.csrf_token) + field('kind', kind)),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`),
        Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return t.app.inject({ method: 'POST', url: '/import', headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    },
  };
}

export const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#92;/g, '\\')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
