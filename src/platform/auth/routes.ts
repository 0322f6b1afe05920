import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FeatureDeps } from '../deps.ts';
import { anyone, signedIn, staff } from '../access/policy.ts';
import { STAFF_ROLES } from '../access/roles.ts';
import { audit } from '../audit/audit.ts';
import { parseForm } from '../web/forms.ts';
import { cookieNames, isSecure } from '../access/guard.ts';
import { checkPassword, normaliseEmail } from './sign-in.ts';
import { createSession, destroySession, destroySessionsOf } from './sessions.ts';
import { countAttempt, waitBefore } from './rate-limit.ts';
import { counted, waitWords } from './sign-in-limits.ts';
import { countAndWarn, passwordAccounts, staffAccount } from './sign-in-warning.ts';
import { networkOf } from './network.ts';
import { safeNext } from './safe-next.ts';
import { issueSignInLink, useSignInCode, useSignInLink, whoseSignInLink } from './sign-in-tokens.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { checkTotp, newTotpSecret, totpUri } from './totp.ts';
import { enqueue } from '../outbox/outbox.ts';
import { absoluteLink } from '../web/links.ts';
import type { Text } from '../i18n/catalog.ts';
import { bilingualEmail } from '../i18n/email.ts';
import { ENGLISH_COOKIE, textForCarer, textForSchool } from '../i18n/plugin.ts';

const V = 'platform/auth/views';

const PasswordForm = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(254).email('Enter an email address in the correct format, like name@example.com'),
  password: z.string().min(1, 'Enter your password').max(200),
  next: z.unknown().optional(),
});
const EmailForm = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(254).email('Enter an email address in the correct format, like name@example.com'),
});
const CodeForm = z.object({ code: z.string().trim().min(1, 'Enter the code from your letter').max(40) });
const TotpForm = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app'),
});

export function authRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, config, clock, pokeOutbox } = deps;

  async function startSession(request: FastifyRequest, reply: FastifyReply, user: { kind: 'staff' | 'carer'; id: string; schoolId: string }, pending = false) {
    const names = cookieNames(isSecure(request));
    const old = request.cookies[names.session];
    if (old) await destroySession(db, old); // a new session id at every sign-in (no fixation)
    const { token } = await createSession(db, user, clock(), pending);
    reply.setCookie(names.session, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: isSecure(request) });
  }

  // Sign-in limits (sign-in-limits.ts): a guesser is told to wait; 429 with Retry-After, the form kept.
  const slowDown = (reply: FastifyReply, seconds: number) => reply.code(429).header('retry-after', String(seconds));

  app.get('/accessibility', { config: { policy: anyone } }, async (request, reply) => reply.page(`${V}/accessibility.njk`, { title: request.text('common.a11y.title') }));

  app.get('/sign-in', { config: { policy: anyone } }, async (request, reply) => {
    if (request.user) return reply.redirect('/', 303);
    const q = request.query as { next?: string };
    return reply.page(`${V}/sign-in.njk`, { title: 'Sign in', values: { next: safeNext(q.next) } });
  });

  app.post('/sign-in', { config: { policy: anyone } }, async (request, reply) => {
    const form = parseForm(PasswordForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/sign-in.njk`, { title: 'Sign in', errors: form.errors, values: { ...form.values, password: '' } });
    const email = normaliseEmail(form.data.email);
    const next = safeNext(form.data.next);
    const network = networkOf(request.ip);
    const now = clock();
    const again = (error: string) => reply.page(`${V}/sign-in.njk`, { title: 'Sign in', errors: { email: error }, values: { email: form.data.email, next } });
    // Checked before the password: while this account's guesser from this network waits, nothing is tried.
    const wait = await waitBefore(db, counted.password(email, network), now);
    if (wait > 0) {
      slowDown(reply, wait);
      return again(`There have been too many wrong passwords from your network. Wait ${waitWords(wait)}, then try again`);
    }
    const result = await checkPassword(db, email, form.data.password);
    if (!result.ok) {
      const after = await countAttempt(db, counted.password(email, network), now);
      if (await countAndWarn(db, await passwordAccounts(db, email), counted.passwordAccount(email), 'password', network, now)) pokeOutbox();
      reply.code(400);
      return again(after.wait > 0 ? `The email address or password is not right. Wait ${waitWords(after.wait)} before you try again` : 'The email address or password is not right');
    }
    await startSession(request, reply, { kind: result.kind, id: result.id, schoolId: result.schoolId }, result.needsTotp);
    if (result.needsTotp) return reply.redirect(`/sign-in/two-step?next=${encodeURIComponent(next)}`, 303);
    await audit(
      db,
      { kind: result.kind, id: result.id, schoolId: result.schoolId, ip: request.ip },
      { schoolId: result.schoolId, action: `${result.kind}.signed_in`, entity: result.kind, entityId: result.id, after: { method: 'password' } },
      clock(),
    );
    return reply.redirect(next, 303);
  });

  app.get('/sign-in/two-step', { config: { policy: anyone } }, async (request, reply) => {
    if (!request.session?.second_factor_pending) return reply.redirect('/sign-in', 303);
    return reply.page(`${V}/two-step.njk`, { title: 'Enter your security code', values: { next: safeNext((request.query as { next?: string }).next) } });
  });

  app.post('/sign-in/two-step', { config: { policy: anyone } }, async (request, reply) => {
    const session = request.session;
    if (!session?.second_factor_pending) return reply.redirect('/sign-in', 303);
    const next = safeNext((request.body as { next?: string }).next);
    const form = parseForm(TotpForm, request.body);
    const network = networkOf(request.ip);
    const now = clock();
    const again = (errors: Record<string, string>) => reply.page(`${V}/two-step.njk`, { title: 'Enter your security code', errors, values: { next } });
    const wait = await waitBefore(db, counted.totp(session.user_id, network), now);
    if (wait > 0) {
      slowDown(reply, wait);
      return again({ code: `There have been too many wrong security codes. Wait ${waitWords(wait)}, then enter the code shown then` });
    }
    if (!form.ok) {
      reply.code(400);
      return again(form.errors);
    }
    const staffRow = await db.selectFrom('staff').select(['totp_secret']).where('id', '=', session.user_id).executeTakeFirst();
    if (!staffRow?.totp_secret || !checkTotp(staffRow.totp_secret, form.data.code)) {
      const after = await countAttempt(db, counted.totp(session.user_id, network), now);
      const account = await staffAccount(db, session.user_id);
      if (await countAndWarn(db, account ? [account] : [], counted.totpAccount(session.user_id), 'two-step code', network, now)) pokeOutbox();
      reply.code(400);
      const wrong = 'The security code is not right, or has run out. Enter the code shown now';
      return again({ code: after.wait > 0 ? `${wrong}. Wait ${waitWords(after.wait)} before you try again` : wrong });
    }
    await startSession(request, reply, { kind: 'staff', id: session.user_id, schoolId: session.school_id });
    await audit(
      db,
      { kind: 'staff', id: session.user_id, schoolId: session.school_id, ip: request.ip },
      { schoolId: session.school_id, action: 'staff.signed_in', entity: 'staff', entityId: session.user_id, after: { method: 'password+totp' } },
      clock(),
    );
    return reply.redirect(next, 303);
  });

  app.get('/sign-in/link', { config: { policy: anyone } }, async (_request, reply) => reply.page(`${V}/link-request.njk`, { title: 'Get a sign-in link by email' }));

  app.post('/sign-in/link', { config: { policy: anyone } }, async (request, reply) => {
    const form = parseForm(EmailForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/link-request.njk`, { title: 'Get a sign-in link by email', errors: form.errors, values: form.values });
    const email = normaliseEmail(form.data.email);
    const network = networkOf(request.ip);
    // Limited per address asked for (no mail-bombing) and per network, known address or not (it reveals nothing).
    const wait = await waitBefore(db, counted.linkRequest(email, network), clock());
    if (wait > 0) {
      slowDown(reply, wait);
      const error = `Sign-in links have been asked for this address several times. Check your email (and junk folder) for the latest, or wait ${waitWords(wait)} and ask again`;
      return reply.page(`${V}/link-request.njk`, { title: 'Get a sign-in link by email', errors: { email: error }, values: { email: form.data.email } });
    }
    await countAttempt(db, counted.linkRequest(email, network), clock());
    const rows = await db
      .selectFrom('carers')
      .innerJoin('schools', 'schools.id', 'carers.school_id')
      .select(['carers.id', 'carers.school_id', 'carers.given_name', 'carers.preferred_language', 'schools.name as school_name'])
      .where('carers.email', '=', email)
      .where('carers.archived_at', 'is', null)
      .execute();
    const now = clock();
    // In the carer's language with the English beneath (the school's own words in both).
    const words = await Promise.all(
      rows.map(async (carer) => ({ own: await textForCarer(db, carer.school_id, carer.preferred_language, now), english: await textForSchool(db, carer.school_id, 'en', now) })),
    );
    await db.transaction().execute(async (trx) => {
      for (const [i, carer] of rows.entries()) {
        const token = await issueSignInLink(trx, { id: carer.id, schoolId: carer.school_id }, now, config.magicLinkMinutes);
        const link = absoluteLink(config.baseUrl, `/sign-in/link/${token}`);
        const mail = bilingualEmail(
          words[i]!.own,
          (t) => ({
            subject: t('auth.email.subject', { school: carer.school_name }),
            text: [
              t('auth.email.dear', { name: carer.given_name }),
              '',
              t('auth.email.use', { school: carer.school_name }),
              link,
              '',
              t('auth.email.works', { minutes: config.magicLinkMinutes }),
              t('auth.email.ignore'),
            ].join('\n'),
          }),
          words[i]!.english,
        );
        // Sent through the outbox, written in the same transaction as the link.
        await enqueue(trx, [{ channel: 'email', schoolId: carer.school_id, key: `sign-in:${token.split('.')[0]}`, payload: { to: email, subject: mail.subject, text: mail.text } }], now);
      }
    });
    if (rows.length > 0) pokeOutbox();
    // The same answer whether or not the address is known: it reveals nothing.
    return reply.page(`${V}/link-sent.njk`, { title: 'Check your email', email });
  });

  // The emailed link opens a page with a button: mail scanners that follow links cannot use it up.
  app.get('/sign-in/link/:token', { config: { policy: anyone } }, async (request, reply) => {
    const { token } = request.params as { token: string };
    // A live link names its carer: the page is in their language (unless they chose English on this device).
    const carer = request.cookies[ENGLISH_COOKIE] === '1' ? null : await whoseSignInLink(db, token, clock());
    if (carer) request.text = await textForCarer(db, carer.schoolId, carer.language, clock());
    return reply.page(`${V}/link-confirm.njk`, { title: request.text('auth.link.title'), token });
  });

  app.post('/sign-in/link/:token', { config: { policy: anyone } }, async (request, reply) => {
    const { token } = request.params as { token: string };
    // A real link always works: it is checked first, and only a guess is counted.
    const redeemed = await useSignInLink(db, token, clock());
    if (!redeemed.ok) {
      const wait = redeemed.guess ? (await countAttempt(db, counted.token(networkOf(request.ip), redeemed.carerId), clock())).wait : 0;
      if (wait > 0) slowDown(reply, wait);
      else reply.code(400);
      return reply.page(`${V}/link-expired.njk`, { title: 'This sign-in link has expired', wait: wait > 0 ? waitWords(wait) : null });
    }
    await startSession(request, reply, { kind: 'carer', id: redeemed.carerId, schoolId: redeemed.schoolId });
    await audit(
      db,
      { kind: 'carer', id: redeemed.carerId, schoolId: redeemed.schoolId, ip: request.ip },
      { schoolId: redeemed.schoolId, action: 'carer.signed_in', entity: 'carer', entityId: redeemed.carerId, after: { method: 'email link' } },
      clock(),
    );
    return reply.redirect('/', 303);
  });

  app.get('/sign-in/code', { config: { policy: anyone } }, async (_request, reply) => reply.page(`${V}/code.njk`, { title: 'Sign in with a code from the school' }));

  app.post('/sign-in/code', { config: { policy: anyone } }, async (request, reply) => {
    const form = parseForm(CodeForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/code.njk`, { title: 'Sign in with a code from the school', errors: form.errors, values: form.values });
    // A real code always works: it is checked first, and only a guess is counted.
    const redeemed = await useSignInCode(db, form.data.code, clock());
    if (!redeemed.ok) {
      const wait = redeemed.guess ? (await countAttempt(db, counted.token(networkOf(request.ip), null), clock())).wait : 0;
      const wrong = 'This code is not right, has been used, or has expired. Check it, or ask the school office for a new one';
      if (wait > 0) slowDown(reply, wait);
      else reply.code(400);
      return reply.page(`${V}/code.njk`, {
        title: 'Sign in with a code from the school',
        errors: { code: wait > 0 ? `Too many codes that are not right have been tried from your network. Wait ${waitWords(wait)}, then check your code and try again` : wrong },
        values: { code: form.data.code },
      });
    }
    await startSession(request, reply, { kind: 'carer', id: redeemed.carerId, schoolId: redeemed.schoolId });
    await audit(
      db,
      { kind: 'carer', id: redeemed.carerId, schoolId: redeemed.schoolId, ip: request.ip },
      { schoolId: redeemed.schoolId, action: 'carer.signed_in', entity: 'carer', entityId: redeemed.carerId, after: { method: 'printed code' } },
      clock(),
    );
    return reply.redirect('/account?welcome=1', 303);
  });

  app.get('/sign-out', { config: { policy: signedIn } }, async (_request, reply) => reply.page(`${V}/sign-out.njk`, { title: 'Sign out' }));

  app.post('/sign-out', { config: { policy: signedIn } }, async (request, reply) => {
    const names = cookieNames(isSecure(request));
    const token = request.cookies[names.session];
    if (token) await destroySession(db, token);
    reply.clearCookie(names.session, { path: '/' });
    return reply.page(`${V}/signed-out.njk`, { title: 'You have signed out', user: null, nav: [] });
  });

  // Your account: password (staff and carers) and two-step sign-in (staff).
  app.get('/account', { config: { policy: signedIn } }, async (request, reply) => {
    const user = request.user!;
    const row =
      user.kind === 'staff'
        ? await db.selectFrom('staff').select(['password_hash', 'totp_enabled_at']).where('id', '=', user.id).executeTakeFirstOrThrow()
        : { ...(await db.selectFrom('carers').select(['password_hash']).where('id', '=', user.id).executeTakeFirstOrThrow()), totp_enabled_at: null };
    return reply.page(`${V}/account.njk`, {
      title: request.text('auth.account.title'),
      hasPassword: !!row.password_hash,
      totpOn: !!row.totp_enabled_at,
      welcome: (request.query as { welcome?: string }).welcome === '1',
      saved: (request.query as { saved?: string }).saved,
    });
  });

  const passwordChange = (t: Text) =>
    z.object({ current: z.string().max(200).optional(), password: z.string().max(200), confirm: z.string().max(200) }).superRefine((v, ctx) => {
      const problem = passwordProblem(v.password, t);
      if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
      else if (v.password !== v.confirm) ctx.addIssue({ code: 'custom', path: ['confirm'], message: t('auth.password.mismatch') });
    });

  app.post('/account/password', { config: { policy: signedIn } }, async (request, reply) => {
    const user = request.user!;
    const table = user.kind === 'staff' ? 'staff' : 'carers';
    const row = await db.selectFrom(table).select(['password_hash']).where('id', '=', user.id).executeTakeFirstOrThrow();
    const form = parseForm(passwordChange(request.text), request.body);
    const render = (errors: Record<string, string>) => reply.code(400).page(`${V}/account.njk`, { title: request.text('auth.account.title'), hasPassword: !!row.password_hash, totpOn: false, errors });
    if (!form.ok) return render(form.errors);
    if (row.password_hash && !(await verifyPassword(row.password_hash, form.data.current ?? ''))) {
      return render({ current: request.text('auth.password.currentWrong') });
    }
    const hash = await hashPassword(form.data.password);
    await db.transaction().execute(async (trx) => {
      await trx.updateTable(table).set({ password_hash: hash, updated_at: clock().toISOString() }).where('id', '=', user.id).execute();
      await audit(
        trx,
        { kind: user.kind, id: user.id, schoolId: user.schoolId, ip: request.ip },
        { schoolId: user.schoolId, action: `${user.kind}.password_set`, entity: user.kind, entityId: user.id },
        clock(),
      );
    });
    await destroySessionsOf(db, user.id, request.session!.id);
    return reply.redirect('/account?saved=password', 303);
  });

  const staffOnly = staff(STAFF_ROLES);
  app.get('/account/two-step', { config: { policy: staffOnly } }, async (request, reply) => {
    const user = request.user!;
    const row = await db.selectFrom('staff').select(['totp_secret', 'totp_enabled_at']).where('id', '=', user.id).executeTakeFirstOrThrow();
    if (row.totp_enabled_at) return reply.redirect('/account', 303);
    let secret = row.totp_secret;
    if (!secret) {
      secret = newTotpSecret();
      await db.updateTable('staff').set({ totp_secret: secret }).where('id', '=', user.id).execute();
    }
    return reply.page(`${V}/two-step-setup.njk`, { title: 'Turn on two-step sign-in', secret, uri: totpUri(secret, user.email ?? user.id) });
  });

  app.post('/account/two-step', { config: { policy: staffOnly } }, async (request, reply) => {
    const user = request.user!;
    const row = await db.selectFrom('staff').select(['totp_secret']).where('id', '=', user.id).executeTakeFirstOrThrow();
    const form = parseForm(TotpForm, request.body);
    if (!row.totp_secret) return reply.redirect('/account/two-step', 303);
    if (!form.ok || !checkTotp(row.totp_secret, form.data.code)) {
      return reply.code(400).page(`${V}/two-step-setup.njk`, {
        title: 'Turn on two-step sign-in',
        secret: row.totp_secret,
        uri: totpUri(row.totp_secret, user.email ?? user.id),
        errors: form.ok ? { code: 'The code is not right. Enter the code your app shows now' } : form.errors,
      });
    }
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('staff').set({ totp_enabled_at: clock().toISOString(), updated_at: clock().toISOString() }).where('id', '=', user.id).execute();
      await audit(trx, { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip }, { schoolId: user.schoolId, action: 'staff.two_step_on', entity: 'staff', entityId: user.id }, clock());
    });
    return reply.redirect('/account?saved=two-step', 303);
  });
}
