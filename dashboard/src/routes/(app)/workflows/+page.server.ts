// Workflows: approvals, tasks and automation.
import { loadPage } from '$lib/server/page-load.ts';
import { loadWorkflowsView } from '$lib/server/pages/workflows.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadPage(event, 'workflows', loadWorkflowsView);
