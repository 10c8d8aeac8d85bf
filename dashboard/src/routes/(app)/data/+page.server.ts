// Data (admins): ingestion health, job runs and keys.
import { loadPage } from '$lib/server/page-load.ts';
import { loadDataView } from '$lib/server/pages/data.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadPage(event, 'data', loadDataView);
