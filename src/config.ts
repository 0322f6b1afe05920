import { z } from 'zod';

/** The one reader of process.env: everything else receives a typed Config. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public address people use, e.g. https://gatepost.example-school.org.uk (every link in emails and letters). */
  BASE_URL: z
    .string()
    .url()
    .regex(/^https?:\/\//i, 'BASE_URL must start with https:// (or http://)')
    .optional(),
  DATABASE_URL: z.string().optional(),
  SQLITE_PATH: z.string().default('./data/gatepost.db'),
  /** smtp://user:pass@host:port; when absent in development a local SMTP server is started on loopback. */
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Gatepost <no-reply@gatepost.local>'),
  LOAD_DEMO: z.enum(['auto', 'yes', 'no']).default('auto'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STAFF_IDLE_MINUTES: z.coerce.number().int().positive().default(60),
  STAFF_ABSOLUTE_HOURS: z.coerce.number().int().positive().default(12),
  CARER_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .positive()
    .default(60 * 24 * 7),
  CARER_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 30),
  MAGIC_LINK_MINUTES: z.coerce.number().int().positive().default(20),
  SIGN_IN_CODE_DAYS: z.coerce.number().int().positive().default(14),
  TRUST_PROXY: z.enum(['yes', 'no']).default('no'),
  /** Text messages (urgent notices only) through Twilio's Messages API; unset: no texts, and urgent notices say so. */
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'a Twilio Account SID: AC and 32 hexadecimal characters')
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  TWILIO_API_URL: z.string().url().default('https://api.twilio.com'),
  /** Who texts appear to come from: a sender ID of up to 11 letters and digits, or a Twilio number (+44…). */
  SMS_FROM: z
    .string()
    .regex(/^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$|^\+[1-9]\d{7,14}$/, 'up to 11 letters and digits (with at least one letter), or a phone number such as +447700900123')
    .default('School'),
  /** What one text message part costs the school, in pence (shown before an urgent notice is sent). */
  SMS_PENCE_PER_PART: z.coerce.number().nonnegative().default(4),
  /** Machine translation: a LibreTranslate server (POST /translate). */
  TRANSLATE_URL: z.string().url().optional(),
  TRANSLATE_KEY: z.string().optional(),
  /** Outbox throttles: deliveries per second per channel. */
  EMAIL_PER_SECOND: z.coerce.number().positive().default(200),
  /** PostgreSQL connections each app process keeps (its pool). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** App processes sharing the port (node:cluster); more than one needs PostgreSQL. */
  WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Requests each app process works on at once; the others wait their turn (src/platform/web/in-flight.ts). */
  REQUESTS_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(32),
  /** Benchmarks: each app process writes its database figures (queries, pool waits) to DIR/<pid>.json. */
  DB_STATS_DIR: z.string().optional(),
  SMS_PER_SECOND: z.coerce.number().positive().default(20),
});

export type Config = {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  /** Where every absolute link points (platform/web/links.ts): BASE_URL, or http://HOST:PORT on loopback. */
  baseUrl: string;
  database: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; poolSize: number };
  smtpUrl: string | undefined;
  mailFrom: string;
  loadDemo: 'auto' | 'yes' | 'no';
  logLevel: string;
  sessions: {
    staffIdleMinutes: number;
    staffAbsoluteHours: number;
    carerIdleMinutes: number;
    carerAbsoluteHours: number;
  };
  magicLinkMinutes: number;
  signInCodeDays: number;
  trustProxy: boolean;
  /** `twilio` null: no text message provider, so no texts at all. */
  sms: { twilio: { apiUrl: string; accountSid: string; authToken: string } | null; from: string; pencePerPart: number };
  translate: { url: string | undefined; key: string | undefined };
  throttle: { emailPerSecond: number; smsPerSecond: number };
  dbStatsDir: string | undefined;
  /** App processes (WORKERS): one per SQLite file, any number on PostgreSQL. */
  workers: number;
  /** Requests each app process works on at once (REQUESTS_IN_FLIGHT). */
  requestsInFlight: number;
};

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Gatepost cannot start: the configuration is not valid\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (Boolean(e.TWILIO_ACCOUNT_SID) !== Boolean(e.TWILIO_AUTH_TOKEN)) {
    throw new Error('Gatepost cannot start: set both TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN for text messages, or neither');
  }
  const url = e.DATABASE_URL?.trim();
  if (url && !/^postgres(ql)?:\/\//.test(url)) {
    throw new Error('Gatepost cannot start: DATABASE_URL must start with postgres:// (leave it unset for SQLite)');
  }
  if (e.WORKERS > 1 && !url) {
    throw new Error(
      `Gatepost cannot start: WORKERS=${e.WORKERS} needs PostgreSQL (set DATABASE_URL). A SQLite file has one writer at a time, so run one Gatepost process per SQLite file (WORKERS=1, the default)`,
    );
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    baseUrl: baseUrlOf(e.BASE_URL, e.HOST, e.PORT),
    database: url ? { kind: 'postgres', url, poolSize: e.DATABASE_POOL_SIZE } : { kind: 'sqlite', path: e.SQLITE_PATH },
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    loadDemo: e.LOAD_DEMO,
    logLevel: e.LOG_LEVEL,
    sessions: {
      staffIdleMinutes: e.STAFF_IDLE_MINUTES,
      staffAbsoluteHours: e.STAFF_ABSOLUTE_HOURS,
      carerIdleMinutes: e.CARER_IDLE_MINUTES,
      carerAbsoluteHours: e.CARER_ABSOLUTE_HOURS,
    },
    magicLinkMinutes: e.MAGIC_LINK_MINUTES,
    signInCodeDays: e.SIGN_IN_CODE_DAYS,
    trustProxy: e.TRUST_PROXY === 'yes',
    sms: {
      twilio: e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN ? { apiUrl: e.TWILIO_API_URL, accountSid: e.TWILIO_ACCOUNT_SID, authToken: e.TWILIO_AUTH_TOKEN } : null,
      from: e.SMS_FROM,
      pencePerPart: e.SMS_PENCE_PER_PART,
    },
    translate: { url: e.TRANSLATE_URL, key: e.TRANSLATE_KEY },
    throttle: { emailPerSecond: e.EMAIL_PER_SECOND, smsPerSecond: e.SMS_PER_SECOND },
    dbStatsDir: e.DB_STATS_DIR,
    workers: e.WORKERS,
    requestsInFlight: e.REQUESTS_IN_FLIGHT,
  };
}

/** Addresses only this machine can reach: there, and only there, links may be built from HOST and PORT. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

/** The public address links are built on. BASE_URL is required unless Gatepost listens on loopback only. */
function baseUrlOf(baseUrl: string | undefined, host: string, port: number): string {
  if (baseUrl) return baseUrl.replace(/\/+$/, '');
  if (isLoopback(host)) return `http://${host.includes(':') ? `[${host.replace(/^\[|\]$/g, '')}]` : host}:${port}`;
  throw new Error(
    `Gatepost cannot start: set BASE_URL to the address people use to reach Gatepost (for example https://gatepost.your-school.org.uk). ` +
      `Every link in emails and letters is built from it. It may be left unset only when HOST is a loopback address (127.0.0.1, ::1 or localhost); HOST is ${host}.`,
  );
}
