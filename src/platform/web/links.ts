/**
 * Every absolute link Gatepost writes (in emails, texts, letters, calendar files and alerts) is made
 * here: the configured public address (`config.baseUrl`, from BASE_URL) and a path inside Gatepost.
 * Never from a request's Host header, which anyone can forge: a forged Host would otherwise mail a
 * real sign-in link pointing at the forger's site.
 */
export function absoluteLink(baseUrl: string, path: string): string {
  if (!path.startsWith('/') || path.startsWith('//')) throw new Error(`A link must be a path inside Gatepost, not ${JSON.stringify(path)}`);
  return `${baseUrl}${path}`;
}
