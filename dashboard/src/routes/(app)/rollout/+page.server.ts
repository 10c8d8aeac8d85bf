// Rollout (change managers): the five steps, waves, funnel, ambassadors and next actions.
import { loadPage } from '$lib/server/page-load.ts';
import { loadRolloutView } from '$lib/server/pages/rollout.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadPage(event, 'rollout', loadRolloutView);
