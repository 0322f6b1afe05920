import { can, hasAnyRole, REACH_ROLES, WHOLE_SCHOOL_ROLES, type User } from '../access/roles.ts';

type NavItem = { href: string; text: string; active?: boolean };

/** The menu a person sees: only places they may go. */
export function navFor(user: User | null, currentPath: string): NavItem[] {
  const items: NavItem[] = [];
  if (!user) return items;
  items.push({ href: '/', text: 'Home' });
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
    if (hasAnyRole(user, REACH_ROLES)) items.push({ href: '/reach/not-reached', text: 'Not reached' });
    if (hasAnyRole(user, ['head', 'senior_leader', 'office', 'family_liaison'])) items.push({ href: '/groups', text: 'Groups' });
    if (hasAnyRole(user, [...WHOLE_SCHOOL_ROLES, 'teacher'])) items.push({ href: '/clear-language', text: 'Check my writing' });
    if (can(user, 'importRecords')) items.push({ href: '/import', text: 'Import' });
    if (can(user, 'readAudit')) items.push({ href: '/audit', text: 'Audit log' });
  }
  if (user.kind === 'carer') {
    items.push({ href: '/inbox', text: 'Messages' }, { href: '/my-meetings', text: 'Meetings' }, { href: '/parents-evenings', text: 'Parents’ evenings' });
    items.push({ href: '/my-concerns', text: 'Concerns' });
    items.push({ href: '/preferences', text: 'How we contact you' });
  }
  items.push({ href: '/account', text: 'Your account' });
  const path = currentPath.split('?')[0] ?? '/';
  for (const item of items) item.active = item.href === '/' ? path === '/' : path.startsWith(item.href);
  return items;
}

export function footerLinks(user: User | null): { href: string; text: string }[] {
  const links = [{ href: '/accessibility', text: 'Accessibility statement' }];
  if (user) links.push({ href: '/sign-out', text: 'Sign out' });
  return links;
}
