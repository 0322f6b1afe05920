import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { audit } from '../audit/audit.ts';
import { english, type Text } from '../i18n/catalog.ts';
import { instantIn } from '../i18n/dates.ts';
import { bilingualEmail } from '../i18n/email.ts';
import { textForCarer } from '../i18n/plugin.ts';
import { enqueue } from '../outbox/outbox.ts';
import { countAttempt, type Counted } from './rate-limit.ts';

type Db = Kysely<Database>;

/** An account someone may be guessing at: a member of staff, or a carer who chose a password (`language`: a carer's, as the school recorded it). */
export type Account = { kind: 'staff' | 'carer'; id: string; schoolId: string; schoolName: string; timeZone: string; givenName: string; email: string; language?: string | null };

/** Every account that signs in with a password at this email address (staff may work in several schools). */
export async function passwordAccounts(db: Db, email: string): Promise<Account[]> {
  const staff = await db
    .selectFrom('staff')
    .innerJoin('schools', 'schools.id', 'staff.school_id')
    .select(['staff.id', 'staff.school_id', 'staff.given_name', 'staff.email', 'schools.name', 'schools.time_zone'])
    .where('staff.email', '=', email)
    .where('staff.archived_at', 'is', null)
    .execute();
  const carers = await db
    .selectFrom('carers')
    .innerJoin('schools', 'schools.id', 'carers.school_id')
    .select(['carers.id', 'carers.school_id', 'carers.given_name', 'carers.email', 'carers.preferred_language', 'schools.name', 'schools.time_zone'])
    .where('carers.email', '=', email)
    .where('carers.password_hash', 'is not', null)
    .where('carers.archived_at', 'is', null)
    .execute();
  const account = (kind: Account['kind']) => (r: { id: string; school_id: string; given_name: string; email: string | null; name: string; time_zone: string; preferred_language?: string | null }) => ({
    kind,
    id: r.id,
    schoolId: r.school_id,
    schoolName: r.name,
    timeZone: r.time_zone,
    givenName: r.given_name,
    email: r.email ?? email,
    language: r.preferred_language ?? null,
  });
  return [...staff.map(account('staff')), ...carers.map(account('carer'))];
}

/** A member of staff as an account (for a wrong two-step code). */
export async function staffAccount(db: Db, id: string): Promise<Account | null> {
  const r = await db
    .selectFrom('staff')
    .innerJoin('schools', 'schools.id', 'staff.school_id')
    .select(['staff.id', 'staff.school_id', 'staff.given_name', 'staff.email', 'schools.name', 'schools.time_zone'])
    .where('staff.id', '=', id)
    .executeTakeFirst();
  return r ? { kind: 'staff', id: r.id, schoolId: r.school_id, schoolName: r.name, timeZone: r.time_zone, givenName: r.given_name, email: r.email } : null;
}

/**
 * Count a wrong guess against the account (from any network) and, when the day's count reaches the
 * warning point, tell the account holder by email (OWASP ASVS 2.2.1): once per day's burst, through the
 * outbox, with an audit entry. The guessing itself is slowed per network elsewhere; the person is
 * never locked out. Returns whether a warning was written.
 */
export async function countAndWarn(db: Db, accounts: Account[], counter: Counted, what: 'password' | 'two-step code', network: string, now: Date): Promise<boolean> {
  const first = accounts[0];
  if (!first) return false;
  const { counters } = await countAttempt(db, [counter], now);
  const state = counters.get(counter.bucket);
  if (!state || state.count !== counter.rule.free) return false;
  const at = now.toISOString();
  // A carer reads it in their language with the English beneath; staff in English.
  const write = (t: Text) => ({
    subject: t('auth.warning.subject'),
    text: [
      t('auth.email.dear', { name: first.givenName }),
      '',
      t('auth.warning.tried', { what: what === 'password' ? 'password' : 'code', count: state.count, since: instantIn(t.code, earliest(state.resetsAt, counter), first.timeZone) }),
      t('auth.warning.latest', { at: instantIn(t.code, at, first.timeZone), network }),
      '',
      t('auth.warning.wasYou'),
      '',
      what === 'password' ? t('auth.warning.notYouPassword', { staff: first.kind === 'staff' ? 'yes' : 'no' }) : t('auth.warning.notYouCode'),
      '',
      first.schoolName,
      '',
    ].join('\n'),
  });
  const own = first.kind === 'carer' ? await textForCarer(db, first.schoolId, first.language, now) : english;
  const { subject, text } = bilingualEmail(own, write);
  await db.transaction().execute(async (trx) => {
    await enqueue(
      trx,
      [
        {
          channel: 'email',
          schoolId: first.schoolId,
          key: `sign-in-warning:${counter.bucket}:${counter.key}:${state.resetsAt}`,
          payload: { to: first.email, subject, text },
        },
      ],
      now,
    );
    for (const a of accounts) {
      await audit(
        trx,
        { kind: 'system' },
        { schoolId: a.schoolId, action: `${a.kind}.sign_in_warning_sent`, entity: a.kind, entityId: a.id, after: { wrong: what, count: state.count, network } },
        now,
      );
    }
  });
  return true;
}

/** When the day's count began (its window ends a day later). */
function earliest(resetsAt: string, counter: Counted): string {
  return new Date(Date.parse(resetsAt) - counter.rule.windowMinutes * 60_000).toISOString();
}
