// Diagnose (step 1): information-silo hotspots in the baseline window.
import { loadPage } from '$lib/server/page-load.ts';
import { loadDiagnoseView } from '$lib/server/pages/diagnose.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadPage(event, 'diagnose', loadDiagnoseView);
