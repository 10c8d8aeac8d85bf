// Executive: is the rollout paying off? ROI, KPIs, adoption and pilot-vs-control effects.
import { loadPage } from '$lib/server/page-load.ts';
import { loadExecutiveView } from '$lib/server/pages/executive.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadPage(event, 'executive', loadExecutiveView);
