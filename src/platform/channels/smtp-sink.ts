import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

/**
 * A real SMTP server on loopback that keeps what it receives: used in development (so the demo can
 * show carers' sign-in emails without a mail provider) and by the tests, which read its messages.
 */
export type ReceivedEmail = { to: string[]; subject: string; text: string; html: string | null; at: Date };

export type SmtpSink = {
  port: number;
  url: string;
  messages: ReceivedEmail[];
  /** Wait until an email for this address arrives (newest first), or fail after `timeoutMs`. */
  waitFor(to: string, timeoutMs?: number): Promise<ReceivedEmail>;
  close(): Promise<void>;
};

export async function startSmtpSink(port = 0, onMessage?: (m: ReceivedEmail) => void): Promise<SmtpSink> {
  const messages: ReceivedEmail[] = [];
  const waiters: { to: string; resolve: (m: ReceivedEmail) => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const to = (session.envelope.rcptTo ?? []).map((r) => r.address.toLowerCase());
          const message: ReceivedEmail = {
            to,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : null,
            at: new Date(),
          };
          messages.push(message);
          onMessage?.(message);
          for (const w of [...waiters]) {
            if (to.includes(w.to)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(message);
            }
          }
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
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
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
