// Overview: active rate by department over the chosen range, for the signed-in user's organisation.
import { requireUser } from '$lib/server/auth.ts';
import { getServerContext } from '$lib/server/context.ts';
import { loadOverview } from '$lib/server/overview.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireUser(locals);
  return loadOverview(getServerContext().warehouse, user.org, url.searchParams);
};
