// Settings: rollout plan, KPI targets, ROI assumptions (by role), users and roles (admins).
import { requireAccess } from '$lib/access.ts';
import { getServerContext } from '$lib/server/context.ts';
import { loadSettings, saveSection } from '$lib/server/pages/settings.ts';
import { recomputeRollout } from '$jobs/rollout/rollout-job.ts';
import { getOrg } from '$warehouse/orgs.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const user = requireAccess(locals, 'settings');
  return loadSettings(getServerContext().warehouse, user);
};

export const actions: Actions = {
  save: async ({ locals, request }) => {
    const user = requireAccess(locals, 'settings');
    const { warehouse } = getServerContext();
    const result = await saveSection(warehouse, user, await request.formData());
    if (!('saved' in result)) return result;
    // The rollout results depend on every settings section: recompute them now rather than at the
    // next scheduled run, so the executive, rollout and diagnose pages reflect the save at once.
    const outcome = await recomputeRollout(warehouse, await getOrg(warehouse, user.org));
    return { ...result, recompute: outcome.status };
  },
};
