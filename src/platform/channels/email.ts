import net from 'node:net';
import nodemailer from 'nodemailer';
import SMTPPool from 'nodemailer/lib/smtp-pool/index.js';

/** Email over SMTP. One small adapter: the rest of Gatepost only knows `send`. */
export type EmailMessage = { to: string; subject: string; text: string; html?: string };
export type Mailer = {
  /** `id`: the outbox row's id; every try of that row carries the same Message-ID, so a receiver can tell a repeat. */
  send(message: EmailMessage, id?: string): Promise<void>;
  close(): void;
};

/**
 * The connection pool: five connections, each kept for a thousand messages (nodemailer's default of
 * 100 reconnects 35 times for one newsletter). bench/newsletter.ts's bare loop uses the same.
 */
export const SMTP_POOL = { maxConnections: 5, maxMessages: 1000 } as const;

/**
 * How long to wait, in ms. nodemailer's own waits are two minutes to connect and ten minutes of
 * silence mid-message, and a send queued behind a dead connection waits for ever: a mail server that
 * stopped answering held every email (sign-in links too) until Gatepost was restarted.
 */
export type MailerTimeouts = { connectMs: number; greetingMs: number; socketMs: number; sendMs: number };
export const MAILER_TIMEOUTS: MailerTimeouts = { connectMs: 10_000, greetingMs: 10_000, socketMs: 30_000, sendMs: 45_000 };

/** Errors that say nothing about the message itself: the server could not be reached or stopped answering. */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; responseCode?: number } | null;
  if (e?.code === 'EAUTH') return true; // the relay refuses Gatepost's user name or password: no email can go
  if (typeof e?.responseCode === 'number') return e.responseCode === 421; // 421: the server is closing the connection
  return !e?.code || ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(e.code);
}

/** One Message-ID per outbox row, whatever the try: `<row id.gatepost@sender's domain>`. */
export function messageIdFor(id: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'gatepost.local';
  return `<${id}.gatepost@${domain}>`;
}

export function createMailer(smtpUrl: string, from: string, timeouts: Partial<MailerTimeouts> = {}): Mailer {
  const t = { ...MAILER_TIMEOUTS, ...timeouts };
  const newTransport = () =>
    nodemailer.createTransport(
      new SMTPPool({
        url: smtpUrl,
        pool: true,
        ...SMTP_POOL,
        connectionTimeout: t.connectMs,
        greetingTimeout: t.greetingMs,
        socketTimeout: t.socketMs,
        getSocket: connectedSocket(t.connectMs),
      }),
    );
  let transport = newTransport();
  let closed = false;
  /**
   * After a connection error, start again with a fresh pool: a pool keeps connections that failed
   * while connecting as busy for ever, and five of those stop it sending anything.
   */
  const renew = (failed: typeof transport) => {
    if (closed || failed !== transport) return;
    transport = newTransport();
    failed.close();
  };
  return {
    async send(message, id) {
      const mail = { from, ...message, ...(id ? { messageId: messageIdFor(id, from) } : {}) };
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`The mail server did not accept the email within ${t.sendMs / 1000} s`), { code: 'ETIMEDOUT' })), t.sendMs);
      });
      const attempt = async (): Promise<void> => {
        const current = transport;
        try {
          await current.sendMail(mail);
        } catch (error) {
          // Still queued in a pool that was just replaced: never sent, so it goes on the new pool.
          if (!closed && current !== transport && (error as Error).message === 'Connection pool was closed') return attempt();
          if (isConnectionError(error)) renew(current);
          throw error;
        }
      };
      try {
        await Promise.race([attempt(), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      closed = true;
      transport.close();
    },
  };
}

/**
 * nodemailer leaves Nagle's algorithm on: the last few bytes of each message wait until the server
 * acknowledges the previous packet, which servers delay by up to 40 ms, so every message took at
 * least 40 ms per connection (about 110 emails a second from five connections, whatever the limit).
 * The socket handed over here is connected with Nagle off; nodemailer's pool takes only a connected
 * one (`connection`: an unconnected `socket` it ignores), so the connection timeout is kept here.
 * STARTTLS, when offered, runs over it. Implicit TLS (port 465) nodemailer opens itself.
 */
export function connectedSocket(connectMs: number) {
  return (options: SMTPPool.Options, callback: (err: Error | null, socketOptions?: { connection: net.Socket } | false) => void): void => {
    if (options.secure) return callback(null, false);
    const socket = net.connect({ host: options.host ?? 'localhost', port: options.port ?? 25 });
    socket.setNoDelay(true);
    const timer = setTimeout(
      () => failed(Object.assign(new Error(`Connection timeout: no answer from ${options.host}:${options.port} within ${connectMs / 1000} s`), { code: 'ETIMEDOUT' })),
      connectMs,
    );
    function failed(error: Error & { code?: string }): void {
      clearTimeout(timer);
      socket.off('connect', connected);
      socket.destroy();
      callback(Object.assign(error, { code: error.code ?? 'ECONNECTION' }));
    }
    function connected(): void {
      clearTimeout(timer);
      socket.off('error', failed);
      callback(null, { connection: socket });
    }
    socket.once('error', failed);
    socket.once('connect', connected);
  };
}
