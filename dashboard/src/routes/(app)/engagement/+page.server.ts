// Engagement (HR): after-hours load and early warnings, aggregated only.
import { loadPage } from '$lib/server/page-load.ts';
import { loadEngagementView } from '$lib/server/pages/engagement.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadPage(event, 'engagement', loadEngagementView);
