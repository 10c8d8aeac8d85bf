// Everything behind sign-in shares this: who is signed in, their organisation, and the pages their
// role may open (the menu is built from the role matrix in access.ts, on the server).
import { pagesFor } from '$lib/access.ts';
import { findOrg } from '$warehouse/orgs.ts';
import { requireUser } from '$lib/server/auth.ts';
import { getServerContext } from '$lib/server/context.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
  const user = requireUser(locals);
  const org = await findOrg(getServerContext().warehouse, user.org);
  return {
    user: { email: user.email, role: user.role, department: user.department },
    org: { id: user.org, name: org?.name ?? user.org, timezone: org?.timezone ?? 'UTC' },
    nav: pagesFor(user.role).map((p) => ({ id: p.id, href: p.path })),
  };
};
