import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake SMS gateway: a real HTTP server on loopback that keeps every text it is sent.
 * By number: ending 999 → 400 { error: 'invalid number' }; ending 422 → 422; ending 429 → 429;
 * ending 500 → 503. A wrong bearer token (when `token` is set) → 401. Otherwise 200 { id }.
 * `slowMs` (settable between tests) delays every answer, to test timeouts.
 */
export type FakeSmsRequest = { to: string; from: string; body: string; auth: string | undefined };
export type FakeSms = {
  url: string;
  received: FakeSmsRequest[];
  slowMs: number;
  close(): Promise<void>;
};

export async function startFakeSms(options: { token?: string; slowMs?: number } = {}): Promise<FakeSms> {
  const received: FakeSmsRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let next = 1;
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
      const auth = req.headers.authorization;
      if (options.token !== undefined && auth !== `Bearer ${options.token}`) return answer(res, 401, { error: 'unauthorised' });
      let json: { to?: unknown; from?: unknown; body?: unknown };
      try {
        json = JSON.parse(raw) as typeof json;
      } catch {
        return answer(res, 400, { error: 'body is not JSON' });
      }
      const to = String(json.to ?? '');
      received.push({ to, from: String(json.from ?? ''), body: String(json.body ?? ''), auth });
      if (to.endsWith('999')) return answer(res, 400, { error: 'invalid number' });
      if (to.endsWith('422')) return answer(res, 422, { error: 'number cannot receive texts' });
      if (to.endsWith('429')) return answer(res, 429, { error: 'too many requests' });
      if (to.endsWith('500')) return answer(res, 503, { error: 'service unavailable' });
      answer(res, 200, { id: `sms-${next++}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeSms = {
    url: `http://127.0.0.1:${port}/messages`,
    received,
    slowMs: options.slowMs ?? 0,
    close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
