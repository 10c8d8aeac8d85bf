// Settings: rollout plan, KPI targets, ROI assumptions (by role), users and roles (admins).
import { requireAccess } from '$lib/access.ts';
import { getServerContext } from '$lib/server/context.ts';
import { loadSettings, saveSection } from '$lib/server/pages/settings.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const user = requireAccess(locals, 'settings');
  return loadSettings(getServerContext().warehouse, user);
};

export const actions: Actions = {
  save: async ({ locals, request }) => {
    const user = requireAccess(locals, 'settings');
    return saveSection(getServerContext().warehouse, user, await request.formData());
  },
};
