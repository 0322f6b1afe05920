import type net from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

/**
 * A real SMTP server on loopback that keeps what it receives: used in development (so the demo can
 * show carers' sign-in emails without a mail provider) and by the tests, which read its messages.
 */
export type ReceivedEmail = { to: string[]; subject: string; text: string; html: string | null; messageId: string | null; at: Date };

export type SmtpSink = {
  port: number;
  url: string;
  messages: ReceivedEmail[];
  /** Wait until an email for this address arrives (newest first), or fail after `timeoutMs`. */
  waitFor(to: string, timeoutMs?: number): Promise<ReceivedEmail>;
  /** The mail server goes down at once, as in a crash: the port closes and open connections are cut. */
  stop(): Promise<void>;
  /** The mail server comes back on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
};

export async function startSmtpSink(port = 0, onMessage?: (m: ReceivedEmail) => void): Promise<SmtpSink> {
  const messages: ReceivedEmail[] = [];
  const waiters: { to: string; resolve: (m: ReceivedEmail) => void }[] = [];
  const sockets = new Set<net.Socket>();
  const received = (message: ReceivedEmail) => {
    messages.push(message);
    onMessage?.(message);
    for (const w of [...waiters]) {
      if (message.to.includes(w.to)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(message);
      }
    }
  };
  const newServer = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 1000,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            received({
              to: (session.envelope.rcptTo ?? []).map((r) => r.address.toLowerCase()),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : null,
              messageId: parsed.messageId ?? null,
              at: new Date(),
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
  let server = newServer();
  const listen = async (on: number): Promise<number> => {
    server.on('error', () => undefined); // a client that vanished mid-message (killed, or its socket cut): nothing to do
    server.server.on('connection', (socket: net.Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(on, '127.0.0.1', () => resolve());
    });
    const address = server.server.address();
    return typeof address === 'object' && address ? address.port : on;
  };
  const closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const actualPort = await listen(port);
  let running = true;
  return {
    port: actualPort,
    url: `smtp://127.0.0.1:${actualPort}`,
    messages,
    waitFor(to, timeoutMs = 5000) {
      const want = to.toLowerCase();
      const already = [...messages].reverse().find((m) => m.to.includes(want));
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`No email reached ${to} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          to: want,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
    async stop() {
      if (!running) return;
      running = false;
      const closed = closeServer();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    async start() {
      if (running) return;
      server = newServer();
      await listen(actualPort);
      running = true;
    },
    async close() {
      if (!running) return;
      running = false;
      await closeServer();
    },
  };
}
