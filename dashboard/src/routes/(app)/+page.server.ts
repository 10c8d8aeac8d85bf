// Overview: the active rate of the departments in scope, over time and per department.
import { loadPage } from '$lib/server/page-load.ts';
import { loadOverviewView } from '$lib/server/overview.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadPage(event, 'overview', loadOverviewView);
