import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake LibreTranslate: a real HTTP server on loopback answering POST /translate with
 * { translatedText: '[pl] ' + q } (the target code first, so tests can see what was asked).
 * Checks api_key when `key` is set (403, as LibreTranslate does). Set `failWith` to answer
 * 500 { error: failWith }, and `slowMs` to delay every answer.
 */
export type FakeTranslateRequest = { q: string; source: string; target: string; format: string; api_key: string | undefined };
export type FakeTranslate = {
  url: string;
  requests: FakeTranslateRequest[];
  failWith: string | null;
  slowMs: number;
  close(): Promise<void>;
};

export async function startFakeTranslate(options: { key?: string; slowMs?: number } = {}): Promise<FakeTranslate> {
  const requests: FakeTranslateRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }, fake.slowMs);
    timers.add(timer);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/translate') return answer(res, 404, { error: 'Not Found' });
      let json: Partial<Record<keyof FakeTranslateRequest, unknown>>;
      try {
        json = JSON.parse(raw) as typeof json;
      } catch {
        return answer(res, 400, { error: 'Invalid request: body is not JSON' });
      }
      const r: FakeTranslateRequest = {
        q: String(json.q ?? ''),
        source: String(json.source ?? ''),
        target: String(json.target ?? ''),
        format: String(json.format ?? 'text'),
        api_key: typeof json.api_key === 'string' ? json.api_key : undefined,
      };
      requests.push(r);
      if (options.key !== undefined && r.api_key !== options.key) return answer(res, 403, { error: 'Invalid API key' });
      if (!r.q) return answer(res, 400, { error: 'Invalid request: missing q parameter' });
      if (!r.target) return answer(res, 400, { error: 'Invalid request: missing target parameter' });
      if (fake.failWith !== null) return answer(res, 500, { error: fake.failWith });
      answer(res, 200, { translatedText: `[${r.target}] ${r.q}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeTranslate = {
    url: `http://127.0.0.1:${port}`,
    requests,
    failWith: null,
    slowMs: options.slowMs ?? 0,
    close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
