// GET /api/v1/metrics/{id}: the read API; all logic is in $warehouse/read-api (docs/api.md). The hook
// has already identified the caller (read token or session) and applied the role matrix.
import type { RequestHandler } from './$types';
import { handleMetricRequest } from '$warehouse/read-api/handle-metric-request.ts';
import { getServerContext } from '$lib/server/context.ts';

export const GET: RequestHandler = async ({ params, url, request, locals }) => {
  const { warehouse, config } = getServerContext();
  const org = locals.readToken?.org ?? locals.user?.org;
  const response = await handleMetricRequest(
    { warehouse, k: config.env.WAYPOINT_K_ANONYMITY },
    {
      metricId: params.id,
      url,
      headers: request.headers,
      ...(org !== undefined ? { authenticatedOrg: org } : {}),
      ...(locals.allowedDepartments ? { allowedDepartments: locals.allowedDepartments } : {}),
    },
  );
  return new Response(response.body, { status: response.status, headers: response.headers });
};
