import { can, hasAnyRole, REACH_ROLES, WHOLE_SCHOOL_ROLES, type User } from '../access/roles.ts';
import { english, type Text } from '../i18n/catalog.ts';

type NavItem = { href: string; text: string; active?: boolean };

/** The menu a person sees: only places they may go. */
export function navFor(user: User | null, currentPath: string, t: Text = english): NavItem[] {
  const items: NavItem[] = [];
  if (!user) return items;
  items.push({ href: '/', text: t('common.nav.home') });
  if (user.kind === 'staff') {
    if (hasAnyRole(user, [...WHOLE_SCHOOL_ROLES, 'teacher'])) {
      items.push({ href: '/pupils', text: 'Pupils' });
      items.push({ href: '/carers', text: 'Carers' });
      items.push({ href: '/messages', text: 'Messages' });
      items.push({ href: '/praise', text: 'Praise' });
      items.push({ href: '/meetings', text: 'Meetings' });
      items.push({ href: '/concerns', text: 'Concerns' });
      items.push({ href: '/evenings', text: 'Parents’ evenings' });
    }
    if (hasAnyRole(user, ['head', 'senior_leader', 'governor'])) items.push({ href: '/complaints', text: 'Complaints' });
    items.push({ href: '/agreements', text: 'Agreement' });
    items.push({ href: '/policies', text: 'Policies' });
    if (hasAnyRole(user, REACH_ROLES)) items.push({ href: '/reach/not-reached', text: 'Not reached' });
    if (hasAnyRole(user, ['head', 'senior_leader', 'office', 'governor'])) items.push({ href: '/surveys', text: 'Surveys' });
    if (hasAnyRole(user, ['head', 'senior_leader', 'office', 'family_liaison'])) items.push({ href: '/groups', text: 'Groups' });
    if (hasAnyRole(user, ['head', 'senior_leader', 'office', 'senco', 'family_liaison'])) items.push({ href: '/community', text: 'Belonging' });
    if (hasAnyRole(user, [...WHOLE_SCHOOL_ROLES, 'teacher'])) items.push({ href: '/clear-language', text: 'Check my writing' });
    if (can(user, 'importRecords')) items.push({ href: '/import', text: 'Import' });
    if (can(user, 'readAudit')) items.push({ href: '/audit', text: 'Audit log' });
    if (hasAnyRole(user, ['head'])) items.push({ href: '/settings/languages', text: 'Languages' });
  }
  if (user.kind === 'carer') {
    items.push({ href: '/inbox', text: t('common.nav.messages') }, { href: '/my-meetings', text: t('common.nav.meetings') }, { href: '/parents-evenings', text: t('common.nav.evenings') });
    items.push({ href: '/my-concerns', text: t('common.nav.concerns') });
    items.push({ href: '/my-surveys', text: t('surveys.nav') });
    items.push({ href: '/agreement', text: t('agreement.nav') });
    items.push({ href: '/my-community', text: t('community.nav') });
    items.push({ href: '/preferences', text: t('common.nav.preferences') });
  }
  items.push({ href: '/account', text: t('common.nav.account') });
  const path = currentPath.split('?')[0] ?? '/';
  for (const item of items) item.active = item.href === '/' ? path === '/' : path.startsWith(item.href);
  return items;
}

export function footerLinks(user: User | null, t: Text = english): { href: string; text: string }[] {
  const links = [{ href: '/accessibility', text: t('common.footer.accessibility') }];
  if (user) links.push({ href: '/sign-out', text: t('common.footer.signOut') });
  return links;
}
