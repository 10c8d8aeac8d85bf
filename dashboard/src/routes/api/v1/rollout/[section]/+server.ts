// GET /api/v1/rollout/{section}: the rollout job's stored results; all logic is in
// ../handle-rollout-request.ts (docs/api.md). The hook has already identified the caller (read token
// or session) and applied the role matrix to the route; the handler checks the section's page roles.
import { error } from '@sveltejs/kit';
import { principalOf } from '$lib/access.ts';
import { getServerContext } from '$lib/server/context.ts';
import { handleRolloutRequest } from '../handle-rollout-request.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, request, locals }) => {
  const principal = principalOf(locals);
  if (!principal) error(401, 'Send a session cookie or a read token (Authorization: Bearer).');
  const { warehouse, config } = getServerContext();
  const response = await handleRolloutRequest(
    { warehouse, k: config.env.WAYPOINT_K_ANONYMITY },
    { section: params.section, url, headers: request.headers, principal, allowedDepartments: locals.allowedDepartments },
  );
  return new Response(response.body, { status: response.status, headers: response.headers });
};
