// Everything behind sign-in shares this: who is signed in, their organisation, the pages their role
// may open (the menu is built from the role matrix in access.ts, on the server), and the filters that
// links carry from page to page — only values that name this organisation's departments and waves.
import { pagesFor } from '$lib/access.ts';
import { parseFilterParams } from '$lib/filters.ts';
import { findOrg } from '$warehouse/orgs.ts';
import { requireUser } from '$lib/server/auth.ts';
import { getServerContext } from '$lib/server/context.ts';
import { loadDirectory } from '$lib/server/directory.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, url }) => {
  const user = requireUser(locals);
  const { warehouse } = getServerContext();
  const [org, directory] = await Promise.all([findOrg(warehouse, user.org), loadDirectory(warehouse, user.org)]);
  const requested = parseFilterParams(url.searchParams);
  const kept = new URLSearchParams();
  if (requested.range.kind === 'valid') {
    kept.set('from', requested.range.range.from);
    kept.set('to', requested.range.range.to);
  }
  if (directory.departments.some((d) => d.id === requested.department)) kept.set('dept', requested.department);
  if (directory.waves.some((w) => w.id === requested.wave)) kept.set('wave', requested.wave);
  if (requested.compare !== 'none') kept.set('compare', requested.compare);
  return {
    user: { email: user.email, role: user.role, department: user.department },
    org: { id: user.org, name: org?.name ?? user.org, timezone: org?.timezone ?? 'UTC' },
    nav: pagesFor(user.role).map((p) => ({ id: p.id, href: p.path })),
    filterQuery: kept.toString(),
  };
};
