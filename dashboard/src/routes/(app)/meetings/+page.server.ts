// Meetings and collaboration: meeting load, co-editing, groups and the department network.
import { loadPage } from '$lib/server/page-load.ts';
import { loadMeetingsView } from '$lib/server/pages/meetings.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadPage(event, 'meetings', loadMeetingsView);
