// GET /api/v1/metrics/{id}: authenticates the read token (the organisation comes from the token,
// never from a parameter), validates the query string, reads the metric and renders JSON or CSV.
// Framework-free, so the SvelteKit endpoint stays a few lines and tests call it directly.
import { z } from 'zod';
import { dateSchema } from '../../contracts/directory.ts';
import { APPROVAL_KINDS, idSchema } from '../../contracts/events.ts';
import { verifyApiKey } from '../api-keys.ts';
import type { Warehouse } from '../client.ts';
import { getOrg } from '../orgs.ts';
import { addDays, dayDiff, dayInTimezone } from '../queries/rollups/calendar.ts';
import { findMetric } from './catalogue.ts';
import { ReadApiError } from './errors.ts';
import { GROUPINGS, STATS, type MetricPoint, type MetricSpec } from './metric-spec.ts';
import { parseQueryParams, wantsCsv } from './query-params.ts';
import { readMetric } from './read-metric.ts';

export interface ReadApiDeps {
  warehouse: Warehouse;
  /** Smallest group of people a people-level value is shown for (WAYPOINT_K_ANONYMITY). */
  k: number;
  now?: () => number;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const MAX_RANGE_DAYS = 731;
export const DEFAULT_RANGE_DAYS = 30;

const querySchema = z.strictObject({
  org: z.string().optional(),
  from: dateSchema.optional(),
  to: dateSchema.optional(),
  groupBy: z.enum(GROUPINGS).optional(),
  department: idSchema.optional(),
  kind: z.enum(APPROVAL_KINDS).optional(),
  stat: z.enum(STATS).optional(),
});

const POINT_COLUMNS = ['period', 'department', 'counterpart', 'kind', 'stage', 'value', 'n', 'suppressed'] as const;

function json(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

function bearerToken(authorization: string | null): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) throw new ReadApiError(401, 'send a read token as "Authorization: Bearer wp_read_…" (waypoint keys create --scope read)');
  return match[1];
}

function parseQuery(params: URLSearchParams) {
  return parseQueryParams(params, querySchema, (message) => new ReadApiError(400, message));
}

function checkOptions(metric: MetricSpec, q: ReturnType<typeof parseQuery>, groupBy: string): void {
  if (!(metric.groupings as readonly string[]).includes(groupBy)) {
    throw new ReadApiError(400, `groupBy=${groupBy} is not available for ${metric.id}; use one of ${metric.groupings.join(', ')}`);
  }
  if (q.stat && !metric.percentile) throw new ReadApiError(400, `stat applies to percentile metrics only; ${metric.id} is not one`);
  if (q.kind && !metric.groupings.includes('kind')) throw new ReadApiError(400, `kind filters approval metrics only, not ${metric.id}`);
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function pointsToCsv(points: readonly Omit<MetricPoint, 'people'>[]): string {
  const present = POINT_COLUMNS.filter((c) => c === 'value' || c === 'n' || points.some((p) => p[c] !== undefined));
  const lines = [present.join(','), ...points.map((p) => present.map((c) => csvCell(p[c])).join(','))];
  return lines.join('\r\n') + '\r\n';
}

export interface MetricHttpRequest {
  metricId: string;
  url: URL;
  headers: Headers;
  /**
   * The organisation of a caller the host already authenticated (the dashboard's hook: a verified
   * read token or a session allowed by the role matrix). Without it the bearer token is verified here.
   */
  authenticatedOrg?: string;
  /** A department manager's subtree: only these departments may be read. */
  allowedDepartments?: ReadonlySet<string>;
}

async function callerOrg(deps: ReadApiDeps, request: MetricHttpRequest): Promise<string> {
  if (request.authenticatedOrg !== undefined) return request.authenticatedOrg;
  const token = bearerToken(request.headers.get('authorization'));
  const key = await verifyApiKey(deps.warehouse, token, 'read');
  if (!key) throw new ReadApiError(401, 'the read token is not valid (unknown, revoked or not a read key)');
  return key.org;
}

/** A department manager reads their own subtree only: one of its departments, or points per department. */
function checkDepartmentScope(allowed: ReadonlySet<string> | undefined, department: string | undefined, groupBy: string): void {
  if (!allowed) return;
  if (department !== undefined ? !allowed.has(department) : groupBy !== 'department') {
    throw new ReadApiError(403, 'this account reads its own departments only: pass department=ID of one of them, or groupBy=department');
  }
}

export async function handleMetricRequest(deps: ReadApiDeps, request: MetricHttpRequest): Promise<ApiResponse> {
  try {
    const org = await callerOrg(deps, request);
    const q = parseQuery(request.url.searchParams);
    if (q.org !== undefined && q.org !== org) throw new ReadApiError(403, `this token reads organisation ${org}, not ${q.org}`);
    const metric = findMetric(request.metricId);
    if (!metric) throw new ReadApiError(404, `unknown metric ${request.metricId}; the catalogue is at /api/v1/openapi.json`);
    const groupBy = q.groupBy ?? (metric.groupings.includes('day') ? 'day' : metric.groupings[0]!);
    checkOptions(metric, q, groupBy);
    checkDepartmentScope(request.allowedDepartments, q.department, groupBy);
    const organisation = await getOrg(deps.warehouse, org);
    const to = q.to ?? dayInTimezone((deps.now ?? Date.now)(), organisation.timezone);
    const from = q.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
    if (from > to) throw new ReadApiError(400, `from (${from}) is after to (${to})`);
    if (dayDiff(from, to) + 1 > MAX_RANGE_DAYS) throw new ReadApiError(400, `the range spans more than ${MAX_RANGE_DAYS} days`);
    const maxDays = q.department === undefined ? metric.maxDaysWithoutDepartment?.[groupBy] : undefined;
    if (maxDays !== undefined && dayDiff(from, to) + 1 > maxDays) {
      throw new ReadApiError(400, `${metric.id} by ${groupBy} spans at most ${maxDays} days across all departments; pass department=ID, a shorter range, or a coarser groupBy`);
    }
    const stat = q.stat ?? 'p50';
    const result = await readMetric(deps.warehouse, {
      org: organisation,
      metric,
      from,
      to,
      groupBy,
      stat,
      k: deps.k,
      ...(q.department !== undefined ? { department: q.department } : {}),
      ...(q.kind !== undefined ? { kind: q.kind } : {}),
    });
    const allowed = request.allowedDepartments;
    const points = result.points
      .filter((p) => !allowed || p.department === undefined || allowed.has(p.department))
      .map(({ people: _people, ...rest }) => rest);
    if (wantsCsv(request.headers.get('accept'))) {
      return {
        status: 200,
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `inline; filename="${metric.id}_${from}_${to}.csv"` },
        body: pointsToCsv(points),
      };
    }
    return json(200, {
      metric: metric.id,
      unit: metric.unit,
      definition: metric.definition,
      ...(metric.percentile ? { stat } : {}),
      groupBy,
      from,
      to,
      source: result.source,
      points,
    });
  } catch (err) {
    if (err instanceof ReadApiError) {
      return json(err.status, { error: err.code, message: err.message }, err.status === 401 ? { 'www-authenticate': 'Bearer realm="waypoint"' } : {});
    }
    throw err;
  }
}
