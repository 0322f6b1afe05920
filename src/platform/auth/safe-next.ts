/**
 * Where to go after signing in: a path on this site, or '/' when `next` is anything else. Refused:
 * - anything but a string that starts with one '/' (so no scheme, no 'evil.example', no '//host');
 * - a control character anywhere (a browser drops tab and newline, so '/\t/evil.example' is
 *   '//evil.example'; and a newline in a Location header is refused by Node) or a backslash
 *   (a browser reads '\' as '/');
 * - the same once percent-decoding is undone ('/%2F/evil.example', '/%5Cevil.example', '/%09/…');
 * - anything the URL parser, which reads as browsers do, resolves to another origin.
 * What comes back is the parser's own serialisation (path, query and fragment, every byte printable),
 * checked once more: dot segments ('/.//evil.example') can leave two slashes at its front.
 */
const HERE = 'http://gatepost.invalid';
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\\]/;

export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.length > 2000 || UNSAFE.test(next)) return '/';
  let decoded = next;
  for (let round = 0; round < 3; round++) {
    let once: string;
    try {
      once = decodeURIComponent(decoded);
    } catch {
      return '/';
    }
    if (once === decoded) break;
    decoded = once;
  }
  if (UNSAFE.test(decoded) || /^\/[/\\]/.test(decoded)) return '/';
  let url: URL;
  try {
    url = new URL(next, HERE);
  } catch {
    return '/';
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can leave two slashes at the front ('/.//evil.example' is '//evil.example').
  return url.origin === HERE && !/^\/[/\\]/.test(path) ? path : '/';
}
