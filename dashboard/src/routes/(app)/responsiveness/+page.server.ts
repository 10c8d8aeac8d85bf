// Responsiveness: how fast people reply and read, within and across teams.
import { loadPage } from '$lib/server/page-load.ts';
import { loadResponsivenessView } from '$lib/server/pages/responsiveness.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadPage(event, 'responsiveness', loadResponsivenessView);
