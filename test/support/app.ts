import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type App } from '../../src/app.ts';
import { readConfig, type Config } from '../../src/config.ts';
import type { Dialect } from '../../src/db/database.ts';
import { createSession } from '../../src/platform/auth/sessions.ts';
import { createMailer, type Mailer } from '../../src/platform/channels/email.ts';
import { startSmtpSink, type SmtpSink } from '../../src/platform/channels/smtp-sink.ts';
import type { Clock } from '../../src/platform/calendar/time.ts';
import { openTestDb, type TestDb } from './db.ts';
import { startOutboxWorker, type OutboxWorker } from '../../src/platform/outbox/worker.ts';
import { emailDelivery } from '../../src/platform/channels/deliver.ts';
import { smsDelivery } from '../../src/platform/channels/sms.ts';
import { createTwilioSms } from '../../src/platform/channels/twilio.ts';
import { receiptPath } from '../../src/platform/channels/sms-receipts-routes.ts';
import { makeFixture, type Fixture } from './fixture.ts';
import { ENGLISH_COOKIE } from '../../src/platform/i18n/plugin.ts';

/** An app on a fresh database with the fixture school, a real SMTP sink, and signed-in clients. */
export type TestApp = TestDb & {
  app: App;
  fx: Fixture;
  sink: SmtpSink;
  mailer: Mailer;
  config: Config;
  worker: OutboxWorker;
  /**
   * A client signed in as this staff member or carer (a real session row and cookie). A carer sees
   * English (as after pressing "English") unless `ownLanguage`: then pages are in the language the
   * school recorded for them.
   */
  as(kind: 'staff' | 'carer', id: string, schoolId?: string, options?: { ownLanguage?: boolean }): Promise<Client>;
  anonymous(): Client;
  close(): Promise<void>;
};

export type Client = {
  csrf: string;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, form?: Record<string, string | string[]>): Promise<LightMyRequestResponse>;
  /** A multipart/form-data POST: the fields, then one file. */
  upload(url: string, fields: Record<string, string>, file: { field: string; name: string; content: string }): Promise<LightMyRequestResponse>;
};

export async function startTestApp(dialect: Dialect, options: { clock?: Clock; env?: Record<string, string> } = {}): Promise<TestApp> {
  const opened = await openTestDb(dialect);
  const fx = await makeFixture(opened.db);
  const sink = await startSmtpSink(0);
  const config = readConfig({ NODE_ENV: 'test', SMTP_URL: sink.url, BASE_URL: 'http://gatepost.test', ...options.env });
  const mailer = createMailer(sink.url, config.mailFrom);
  // Texts go out only when a provider is configured (env from test/support/fake-sms.ts), as in main.ts.
  const twilio = config.sms.twilio;
  const sms = twilio ? { sms: smsDelivery(createTwilioSms({ ...twilio, from: config.sms.from, receiptUrl: (id) => `${config.baseUrl}${receiptPath(id)}` })) } : {};
  const worker = startOutboxWorker({ db: opened.db, clock: options.clock ?? (() => new Date()), deliver: { email: emailDelivery(mailer), ...sms }, idleMs: 200 });
  const app = await buildApp({ db: opened.db, dialect, config, mailer, clock: options.clock, logger: false, pokeOutbox: worker.poke });

  function client(cookie: string | null, csrf: string): Client {
    const headers = (): Record<string, string> => (cookie ? { cookie } : {});
    return {
      csrf,
      get: (url) => app.inject({ method: 'GET', url, headers: headers() }),
      post: (url, form = {}) =>
        app.inject({
          method: 'POST',
          url,
          headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams(Object.entries({ _csrf: csrf, ...form }).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString(),
        }),
      upload: (url, fields, file) => {
        const boundary = `----gatepost${Math.random().toString(16).slice(2)}`;
        const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
        const payload =
          Object.entries({ _csrf: csrf, ...fields })
            .map(([k, v]) => part(k, v))
            .join('') + `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n--${boundary}--\r\n`;
        return app.inject({ method: 'POST', url, headers: { ...headers(), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
      },
    };
  }

  return {
    ...opened,
    app,
    fx,
    sink,
    mailer,
    config,
    async as(kind, id, schoolId = fx.school.id, { ownLanguage = false } = {}) {
      const { token, session } = await createSession(opened.db, { kind, id, schoolId }, new Date());
      return client(kind === 'carer' && !ownLanguage ? `gatepost=${token}; ${ENGLISH_COOKIE}=1` : `gatepost=${token}`, session.csrf_token);
    },
    anonymous() {
      const csrf = 'anonymous-csrf-token-for-tests-0001';
      return client(`gatepost-csrf=${csrf}`, csrf);
    },
    worker,
    async close() {
      await worker.stop();
      await app.close();
      mailer.close();
      await sink.close();
      await opened.close();
    },
  };
}
