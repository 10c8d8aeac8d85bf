// The dashboard's pages, in menu order, with the roles each is meant for. Pages still to be built
// (issue 7) are listed so the menu shows where the product is going; `ready` turns them into links.
// The role lists are provisional until the role matrix in docs/security.md (issue 8) settles them.
import type { Role } from '$warehouse/users.ts';
import type { MessageKey } from './i18n/index.ts';

export interface NavItem {
  id: string;
  href: string;
  label: MessageKey;
  roles: readonly Role[];
  ready: boolean;
}

const EVERYONE: readonly Role[] = ['admin', 'executive', 'change_manager', 'hr', 'department_manager'];

export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'overview', href: '/', label: 'nav.overview', roles: EVERYONE, ready: true },
  { id: 'executive', href: '/executive', label: 'nav.executive', roles: ['admin', 'executive'], ready: false },
  { id: 'rollout', href: '/rollout', label: 'nav.rollout', roles: ['admin', 'executive', 'change_manager', 'department_manager'], ready: false },
  { id: 'responsiveness', href: '/responsiveness', label: 'nav.responsiveness', roles: EVERYONE, ready: false },
  { id: 'workflows', href: '/workflows', label: 'nav.workflows', roles: ['admin', 'executive', 'change_manager', 'department_manager'], ready: false },
  { id: 'meetings', href: '/meetings', label: 'nav.meetings', roles: EVERYONE, ready: false },
  { id: 'engagement', href: '/engagement', label: 'nav.engagement', roles: ['admin', 'hr'], ready: false },
  { id: 'diagnose', href: '/diagnose', label: 'nav.diagnose', roles: ['admin', 'executive', 'change_manager'], ready: false },
  { id: 'data', href: '/data', label: 'nav.data', roles: ['admin'], ready: false },
  { id: 'settings', href: '/settings', label: 'nav.settings', roles: ['admin', 'executive', 'change_manager', 'hr'], ready: false },
];

export function navItemsFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => item.roles.includes(role));
}

/** The menu entry a path belongs to (`/` only matches itself). */
export function activeNavItem(pathname: string): NavItem | undefined {
  return NAV_ITEMS.find((item) => (item.href === '/' ? pathname === '/' : pathname === item.href || pathname.startsWith(`${item.href}/`)));
}
