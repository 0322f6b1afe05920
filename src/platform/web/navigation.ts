import { can, hasAnyRole, REACH_ROLES, WHOLE_SCHOOL_ROLES, type User } from '../access/roles.ts';
import { english, type Text } from '../i18n/catalog.ts';

type NavItem = { href: string; text: string; active?: boolean };
/** A place in the menu; `also` names other paths that belong to it (a carer's complaints live under concerns; `*` is any one segment). */
type Place = { href: string; text: string; also?: string[] };
/** A part of the menu: one entry at the top, and its places below the header when one of them is open. */
type Section = { text: string; places: Place[] };

/**
 * The menu a person sees: only places they may go, in a few sections so that it fits on a phone. The
 * top row names each section (a section of one place is named after it); the places of the open
 * section are listed under the header (sectionNavFor).
 */
export function navFor(user: User | null, currentPath: string, t: Text = english): NavItem[] {
  const sections = sectionsFor(user, t);
  const { section: open } = whereIn(sections, pathOf(currentPath));
  return sections.map((section) => {
    const only = section.places.length === 1 ? section.places[0]! : null;
    return { href: section.places[0]!.href, text: only ? only.text : section.text, active: section === open };
  });
}

/** The places of the section now open, when it has more than one (else nothing is shown). */
export function sectionNavFor(user: User | null, currentPath: string, t: Text = english): NavItem[] {
  const { section: open, place: here } = whereIn(sectionsFor(user, t), pathOf(currentPath));
  if (!open || open.places.length < 2) return [];
  return open.places.map((p) => ({ href: p.href, text: p.text, active: p === here }));
}

/**
 * The place a page belongs to, and its section: the most particular match over the whole menu, so a
 * carer's conduct page (/carers/…/conduct) is under Concerns with the conduct register, not under
 * Carers, and a pupil's profile (/pupils/…/profile) is under Profiles, not Pupils.
 */
function whereIn(sections: readonly Section[], path: string): { section: Section | null; place: Place | null } {
  let best: { section: Section | null; place: Place | null; length: number } = { section: null, place: null, length: 0 };
  for (const section of sections) {
    for (const place of section.places) {
      const length = matchLength(place, path);
      if (length > best.length) best = { section, place, length };
    }
  }
  return { section: best.section, place: best.place };
}

function sectionsFor(user: User | null, t: Text): Section[] {
  if (!user) return [];
  const sections: Section[] = [{ text: t('common.nav.home'), places: [{ href: '/', text: t('common.nav.home') }] }];
  const add = (text: string, places: (Place | false)[]) => {
    const shown = places.filter((p): p is Place => p !== false);
    if (shown.length > 0) sections.push({ text, places: shown });
  };
  if (user.kind === 'staff') {
    const classroom = hasAnyRole(user, [...WHOLE_SCHOOL_ROLES, 'teacher']);
    // Safeguarding first: from every staff page, one step to the DSL (features/safeguarding), whatever the role.
    add('Tell the DSL', [{ href: '/tell-the-dsl', text: 'Tell the DSL' }]);
    add('Families', [
      classroom && { href: '/pupils', text: 'Pupils' },
      classroom && { href: '/carers', text: 'Carers' },
      hasAnyRole(user, ['head', 'senior_leader', 'office', 'family_liaison']) && { href: '/groups', text: 'Groups' },
      hasAnyRole(user, REACH_ROLES) && { href: '/reach/not-reached', text: 'Not reached' },
      // Attendance (features/attendance): who reads the list; the office, head and senior leaders import from there.
      hasAnyRole(user, ['head', 'senior_leader', 'office', 'family_liaison', 'teacher']) && { href: '/attendance', text: 'Attendance' },
      // Pupil profiles: staff who work with the child (features/profiles PROFILE_ROLES.read).
      hasAnyRole(user, ['head', 'senior_leader', 'teacher', 'senco', 'dsl', 'deputy_dsl', 'family_liaison']) && { href: '/profiles', text: 'Profiles', also: ['/pupils/*/profile'] },
      // Key workers, buddy families, the support directory and welcome checklists (features/community).
      hasAnyRole(user, ['head', 'senior_leader', 'office', 'senco', 'family_liaison']) && { href: '/community', text: 'Belonging' },
    ]);
    add('Messages', [
      classroom && { href: '/messages', text: 'Messages', also: ['/settings/messages'] },
      classroom && { href: '/praise', text: 'Praise' },
      classroom && { href: '/clear-language', text: 'Check my writing' },
    ]);
    add('Meetings', [classroom && { href: '/meetings', text: 'Meetings' }, classroom && { href: '/evenings', text: 'Parents’ evenings' }]);
    add('Events', [
      hasAnyRole(user, ['head', 'senior_leader', 'office', 'family_liaison', 'teacher']) && { href: '/events', text: 'Events' },
      hasAnyRole(user, ['head', 'senior_leader', 'office', 'family_liaison']) && { href: '/volunteering', text: 'Volunteering' },
    ]);
    add('Concerns', [
      classroom && { href: '/concerns', text: 'Concerns' },
      hasAnyRole(user, ['head', 'senior_leader', 'governor']) && { href: '/complaints', text: 'Complaints', also: ['/monitoring/complaints'] },
      // The conduct register and each carer's conduct page, in one place (features/conduct CONDUCT_READERS).
      hasAnyRole(user, ['head', 'senior_leader']) && { href: '/conduct', text: 'Behaviour towards staff', also: ['/carers/*/conduct'] },
    ]);
    add('Listening', [
      hasAnyRole(user, ['head', 'senior_leader', 'office', 'governor']) && { href: '/surveys', text: 'Surveys' },
      { href: '/policies', text: 'Policies' },
      // How well we work with families, in figures (features/monitoring: the head, senior leaders, governors).
      hasAnyRole(user, ['head', 'senior_leader', 'governor']) && { href: '/monitoring', text: 'How we know' },
    ]);
    add('Agreement', [{ href: '/agreements', text: 'Agreement' }]);
    add('Records', [
      can(user, 'importRecords') && { href: '/import', text: 'Import' },
      can(user, 'readAudit') && { href: '/audit', text: 'Audit log' },
      hasAnyRole(user, ['head']) && { href: '/settings/languages', text: 'Languages' },
      // Term dates and closures (features/term-dates TERM_DATE_KEEPERS); what families see at /term-dates.
      hasAnyRole(user, ['head', 'senior_leader', 'office']) && { href: '/settings/term-dates', text: 'Term dates', also: ['/term-dates'] },
      // Subject access and education record requests, by due date (features/subject-access REQUEST_KEEPERS).
      hasAnyRole(user, ['head', 'senior_leader', 'office']) && { href: '/subject-access', text: 'Subject access' },
      // The retention schedule and erasure of records past their date (features/retention RETENTION_KEEPERS).
      hasAnyRole(user, ['head', 'senior_leader', 'office']) && { href: '/settings/retention', text: 'Retention' },
    ]);
  }
  if (user.kind === 'carer') {
    add(t('common.nav.messages'), [{ href: '/inbox', text: t('common.nav.messages') }]);
    add(t('common.nav.meetings'), [{ href: '/my-meetings', text: t('common.nav.meetings') }]);
    add(t('common.nav.evenings'), [{ href: '/parents-evenings', text: t('common.nav.evenings') }]);
    add(t('common.nav.concerns'), [{ href: '/my-concerns', text: t('common.nav.concerns'), also: ['/my-complaints'] }]);
    add(t('common.nav.school'), [
      { href: '/agreement', text: t('agreement.nav') },
      { href: '/my-surveys', text: t('surveys.nav') },
      { href: '/my-events', text: t('events.nav') },
      { href: '/my-volunteering', text: t('volunteering.nav') },
      { href: '/my-community', text: t('community.nav') },
      { href: '/term-dates', text: t('termDates.nav') },
    ]);
    add(t('common.nav.preferences'), [{ href: '/preferences', text: t('common.nav.preferences') }]);
  }
  add(t('common.nav.account'), [{ href: '/account', text: t('common.nav.account') }]);
  return sections;
}

const pathOf = (url: string) => url.split('?')[0] ?? '/';
/** How many path segments of the place's best-fitting path match (0: not at it). */
function matchLength(place: Place, path: string): number {
  if (place.href === '/') return path === '/' ? 1 : 0;
  const at = path.split('/').filter(Boolean);
  let best = 0;
  for (const pattern of [place.href, ...(place.also ?? [])]) {
    const want = pattern.split('/').filter(Boolean);
    if (want.length <= at.length && want.every((segment, i) => segment === '*' || segment === at[i])) best = Math.max(best, want.length);
  }
  return best;
}

export function footerLinks(user: User | null, t: Text = english): { href: string; text: string }[] {
  const links = [{ href: '/accessibility', text: t('common.footer.accessibility') }];
  if (user) links.push({ href: '/sign-out', text: t('common.footer.signOut') });
  return links;
}
