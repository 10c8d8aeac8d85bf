// The menu: each page's label and the section it sits in. Which pages a role sees comes from the
// role matrix (access.ts, via the (app) layout's load); this file only says how to show them.
import type { MessageKey } from './i18n/index.ts';

export interface NavEntry {
  id: string;
  href: string;
}

export const NAV_LABELS: Record<string, MessageKey> = {
  overview: 'nav.overview',
  executive: 'nav.executive',
  rollout: 'nav.rollout',
  responsiveness: 'nav.responsiveness',
  workflows: 'nav.workflows',
  meetings: 'nav.meetings',
  engagement: 'nav.engagement',
  diagnose: 'nav.diagnose',
  data: 'nav.data',
  settings: 'nav.settings',
};

/** Pages about the organisation's data vs. the ones that administer it. */
export const ADMIN_PAGES = new Set(['data', 'settings']);

/** The menu entry a path belongs to (`/` only matches itself). */
export function activeNavEntry<T extends NavEntry>(entries: readonly T[], pathname: string): T | undefined {
  return entries.find((e) => (e.href === '/' ? pathname === '/' : pathname === e.href || pathname.startsWith(`${e.href}/`)));
}

/** Keeps the shared filters when moving between pages, so a view's period and department carry over. */
export function hrefWithFilters(href: string, search: string): string {
  const params = new URLSearchParams(search);
  const kept = new URLSearchParams();
  for (const name of ['from', 'to', 'dept', 'wave', 'compare']) {
    const value = params.get(name);
    if (value) kept.set(name, value);
  }
  const query = kept.toString();
  return query ? `${href}?${query}` : href;
}
