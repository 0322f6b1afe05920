import { createSession } from '../../src/platform/auth/sessions.ts';
import { ENGLISH_COOKIE } from '../../src/platform/i18n/plugin.ts';
import type { E2EServer, Tab } from './support.ts';

/**
 * Signed in without the sign-in pages: a session made in the database, its cookie put in the tab's
 * browser context, as the sign-in pages would leave it. For a journey that is not about signing in,
 * where the sign-in pages were walked and checked already (the same documents in another test or on
 * the other database). A carer sees English unless `ownLanguage`, as after signInByEmailLink.
 */
export async function signInDirectly(tab: Tab, server: E2EServer, user: { kind: 'staff' | 'carer'; id: string; schoolId?: string }, { ownLanguage = false } = {}): Promise<void> {
  const { token } = await createSession(server.db, { kind: user.kind, id: user.id, schoolId: user.schoolId ?? server.fx.school.id }, new Date());
  const cookies = [{ name: 'gatepost', value: token, url: server.url, httpOnly: true, sameSite: 'Lax' as const }];
  if (user.kind === 'carer' && !ownLanguage) cookies.push({ name: ENGLISH_COOKIE, value: '1', url: server.url, httpOnly: false, sameSite: 'Lax' as const });
  await tab.context.addCookies(cookies);
}
