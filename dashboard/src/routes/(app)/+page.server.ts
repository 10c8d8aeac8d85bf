// Overview: active rate by department over the chosen range, for the signed-in user's organisation.
import { allowedDepartmentIds, requireAccess } from '$lib/access.ts';
import { getServerContext } from '$lib/server/context.ts';
import { loadDirectory } from '$lib/server/directory.ts';
import { loadOverview } from '$lib/server/overview.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireAccess(locals, 'overview');
  const { warehouse } = getServerContext();
  const [data, directory] = await Promise.all([loadOverview(warehouse, user.org, url.searchParams), loadDirectory(warehouse, user.org)]);
  // A department manager sees only their subtree.
  const allowed = allowedDepartmentIds({ kind: 'user', ...user }, directory.departments);
  if (allowed && data.result.status === 'ok') data.result.points = data.result.points.filter((p) => allowed.has(p.department));
  return data;
};
