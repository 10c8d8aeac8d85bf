// Everything behind sign-in shares this: who is signed in and the organisation they belong to.
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
  };
};
