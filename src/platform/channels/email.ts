import net from 'node:net';
import nodemailer from 'nodemailer';
import SMTPPool from 'nodemailer/lib/smtp-pool/index.js';

/** Email over SMTP. One small adapter: the rest of Gatepost only knows `send`. */
export type EmailMessage = { to: string; subject: string; text: string; html?: string };
export type Mailer = { send(message: EmailMessage): Promise<void>; close(): void };

/**
 * The connection pool: five connections, each kept for a thousand messages (nodemailer's default of
 * 100 reconnects 35 times for one newsletter). bench/newsletter.ts's bare loop uses the same.
 */
export const SMTP_POOL = { maxConnections: 5, maxMessages: 1000 } as const;

export function createMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(new SMTPPool({ url: smtpUrl, pool: true, ...SMTP_POOL, getSocket: connectWithoutDelay }));
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
    close() {
      transport.close();
    },
  };
}

/**
 * nodemailer leaves Nagle's algorithm on: the last few bytes of each message wait until the server
 * acknowledges the previous packet, which servers delay by up to 40 ms, so every message took at
 * least 40 ms per connection. Sockets opened here send at once (TLS, when used, runs over them).
 */
export function connectWithoutDelay(options: SMTPPool.Options, callback: (err: Error | null, socketOptions?: { connection: net.Socket }) => void): void {
  const socket = net.connect({ host: options.host ?? 'localhost', port: options.port ?? (options.secure ? 465 : 587) });
  socket.setNoDelay(true);
  const failed = (error: Error) => callback(error);
  socket.once('error', failed);
  socket.once('connect', () => {
    socket.off('error', failed);
    callback(null, { connection: socket });
  });
}
