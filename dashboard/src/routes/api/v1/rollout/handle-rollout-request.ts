// GET /api/v1/rollout/{section}: serves the rollout job's stored results (contracts/rollout.ts) as JSON
// or CSV (Accept: text/csv). The organisation comes from the caller (session or read token, already
// verified by the hook), never from a parameter; each section is readable by the roles of the page
// that shows it; a department manager reads per-department rows of their subtree only; any row about
// fewer than k people is suppressed. Framework-free (relative imports only) so tests call it directly.
import { z } from 'zod';
import { ROLLOUT_SECTION_IDS, isRolloutSection, type RolloutSection } from '../../../../../../contracts/rollout.ts';
import { idSchema } from '../../../../../../contracts/events.ts';
import type { Warehouse } from '../../../../../../warehouse/client.ts';
import { parseQueryParams, wantsCsv } from '../../../../../../warehouse/read-api/query-params.ts';
import { currentSettingsVersion, readRolloutResults } from '../../../../../../warehouse/rollout-results.ts';
import { pageAccess, type PageId, type Principal } from '../../../../lib/access.ts';

export interface RolloutApiDeps {
  warehouse: Warehouse;
  /** Smallest group of people a people-level figure is shown for (WAYPOINT_K_ANONYMITY). */
  k: number;
}

export interface RolloutHttpRequest {
  section: string;
  url: URL;
  headers: Headers;
  /** The caller, already authenticated by the host (hooks.server.ts). */
  principal: Principal;
  /** A department manager's subtree. */
  allowedDepartments?: ReadonlySet<string> | undefined;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const ERROR_CODES = { 400: 'invalid_query', 403: 'forbidden', 404: 'unknown_section', 406: 'not_acceptable', 409: 'not_computed' } as const;

export class RolloutApiError extends Error {
  override name = 'RolloutApiError';
  constructor(
    readonly status: keyof typeof ERROR_CODES,
    message: string,
  ) {
    super(message);
  }
}

/** The page whose roles may read each section; `status` (what is computed, and when) is readable by every caller of the route. */
export const SECTION_PAGES: Record<RolloutSection, PageId> = {
  diagnose: 'diagnose',
  kpis: 'executive',
  'pilot-vs-control': 'executive',
  roi: 'executive',
  adoption: 'rollout',
  ambassadors: 'rollout',
  integration: 'rollout',
  optimisation: 'rollout',
  'stage-gates': 'rollout',
};

/** Sections whose figures are organisation-wide only: a department manager (whose view is a subtree) may not read them. */
const ORG_WIDE: ReadonlySet<RolloutSection> = new Set(['integration', 'stage-gates', 'diagnose', 'kpis', 'pilot-vs-control', 'roi']);

type Row = Record<string, unknown>;
type Flat = Record<string, string | number | boolean | null>;

/** Each section's tables for CSV (`?table=`, the first by default). Nested objects flatten to dotted columns. */
const CSV_TABLES: Record<RolloutSection | 'status', Record<string, (body: Row) => Row[]>> = {
  status: { sections: (b) => b.sections as Row[] },
  diagnose: { 'slowest-pairs': (b) => b.slowestPairs as Row[], departments: (b) => b.departments as Row[], 'approval-kinds': (b) => b.approvalKinds as Row[] },
  kpis: { kpis: (b) => b.rows as Row[] },
  'pilot-vs-control': { effects: (b) => b.effects as Row[] },
  adoption: {
    'by-department': (b) => b.byDepartment as Row[],
    groups: (b) => {
      const g = b.groups as { overall: unknown[]; pilot: unknown[]; control: unknown[] } | null;
      return g ? (b.periods as string[]).map((period, i) => ({ period, overall: g.overall[i], pilot: g.pilot[i], control: g.control[i] })) : [];
    },
    funnel: (b) => b.funnel as Row[],
  },
  ambassadors: { departments: (b) => b.departments as Row[] },
  integration: { months: (b) => b.months as Row[] },
  optimisation: {
    'low-engagement': (b) => b.lowEngagement as Row[],
    departments: (b) => b.departments as Row[],
    'fastest-teams': (b) => b.fastestTeams as Row[],
    'doc-co-editing': (b) => b.docCoEditing as Row[],
  },
  'stage-gates': {
    criteria: (b) => (b.stages as { step: string; met: unknown; criteria: Row[] }[]).flatMap((s) => s.criteria.map((c) => ({ step: s.step, stepMet: s.met, ...c }))),
  },
  roi: {
    scenarios: (b) => {
      const s = b.scenarios as Record<string, Row> | null;
      return s ? ['low', 'base', 'high'].map((k) => Object.fromEntries(Object.entries(s[k]!).filter(([key]) => key !== 'components'))) : [];
    },
    components: (b) => {
      const s = b.scenarios as Record<string, { components: Row[] }> | null;
      return s ? ['low', 'base', 'high'].flatMap((k) => s[k]!.components.map((c) => ({ scenario: k, id: c.id, monthly: c.monthly, formula: c.formula, inputs: c.inputs }))) : [];
    },
  },
};

const querySchema = z.strictObject({
  org: z.string().optional(),
  department: idSchema.optional(),
  table: z.string().max(40).optional(),
});

function json(status: number, body: unknown): ApiResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

function parseQuery(params: URLSearchParams) {
  return parseQueryParams(params, querySchema, (message) => new RolloutApiError(400, message));
}


/** The count of people a row is about, if it is about people: `people`, else a headcount column. */
function peopleOf(row: Row): number | undefined {
  for (const key of ['people', 'licensed', 'invited', 'colleagues']) if (typeof row[key] === 'number') return row[key];
  return undefined;
}

/**
 * k-anonymity: every table row (an object in an array) about fewer than k people keeps its
 * identifying columns (department, period, month…) and loses every figure, with `suppressed: true`;
 * a row's `people` count itself is never served. Objects outside arrays are organisation-level.
 */
export function suppressSmallGroups(value: unknown, k: number, inTable = false): unknown {
  if (Array.isArray(value)) return value.map((v) => suppressSmallGroups(v, k, true));
  if (value === null || typeof value !== 'object') return value;
  const row = value as Row;
  const people = inTable ? peopleOf(row) : undefined;
  const small = people !== undefined && people < k;
  const out: Row = {};
  for (const [key, v] of Object.entries(row)) {
    if (inTable && key === 'people') continue;
    if (small && (typeof v === 'number' || (v !== null && typeof v === 'object'))) out[key] = null;
    else out[key] = suppressSmallGroups(v, k);
  }
  if (people !== undefined) out.suppressed = small;
  return out;
}

/** Keeps only rows of allowed departments in every array of rows that name a department, and only allowed ids in lists of departments. */
function limitToDepartments(value: unknown, allowed: (department: string) => boolean, key = ''): unknown {
  if (Array.isArray(value)) {
    if (key === 'departments' || key === 'pilotDepartments') return value.filter((v) => typeof v !== 'string' || allowed(v)).map((v) => limitToDepartments(v, allowed));
    return value
      .filter((v) => !(v !== null && typeof v === 'object' && typeof (v as Row).department === 'string' && !allowed((v as Row).department as string)))
      .map((v) => limitToDepartments(v, allowed));
  }
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Row).map(([k, v]) => [k, limitToDepartments(v, allowed, k)]));
}

/** Organisation-level figures inside otherwise per-department sections, withheld from a caller whose view is a subtree. */
const ORG_LEVEL_FIELDS: Partial<Record<RolloutSection, readonly string[]>> = { adoption: ['groups'], optimisation: ['docCoEditing'] };

function flatten(row: Row, prefix = '', out: Flat = {}): Flat {
  for (const [key, v] of Object.entries(row)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Row, name, out);
    else if (Array.isArray(v)) out[name] = v.join('|');
    else out[name] = v as string | number | boolean | null;
  }
  return out;
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function rowsToCsv(rows: readonly Row[]): string {
  const flat = rows.map((r) => flatten(r));
  const columns: string[] = [];
  for (const r of flat) for (const c of Object.keys(r)) if (!columns.includes(c)) columns.push(c);
  return [columns.join(','), ...flat.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';
}

function checkRole(principal: Principal, section: RolloutSection, scoped: boolean): void {
  if (principal.kind === 'user' && !pageAccess(SECTION_PAGES[section]).roles.includes(principal.role)) {
    throw new RolloutApiError(403, `the ${section} section is readable by the roles of the ${SECTION_PAGES[section]} page only`);
  }
  if (scoped && ORG_WIDE.has(section)) throw new RolloutApiError(403, `the ${section} section is organisation-wide; this account reads its own departments only`);
}

async function statusBody(deps: RolloutApiDeps, org: string) {
  const [stored, current] = await Promise.all([readRolloutResults(deps.warehouse, org), currentSettingsVersion(deps.warehouse, org)]);
  return {
    currentSettingsVersion: current,
    sections: ROLLOUT_SECTION_IDS.map((section) => {
      const s = stored[section];
      return { section, computed: s !== undefined, computedAt: s?.computedAt ?? null, settingsVersion: s?.settingsVersion ?? null, stale: s ? s.settingsVersion !== current : null };
    }),
  };
}

export async function handleRolloutRequest(deps: RolloutApiDeps, request: RolloutHttpRequest): Promise<ApiResponse> {
  try {
    const org = request.principal.org;
    const q = parseQuery(request.url.searchParams);
    if (q.org !== undefined && q.org !== org) throw new RolloutApiError(403, `this caller reads organisation ${org}, not the one named in org`);
    const { section } = request;
    if (section !== 'status' && !isRolloutSection(section)) {
      throw new RolloutApiError(404, `unknown rollout section; use one of status, ${ROLLOUT_SECTION_IDS.join(', ')}`);
    }
    const allowed = request.allowedDepartments;
    if (q.department !== undefined && allowed && !allowed.has(q.department)) throw new RolloutApiError(403, 'department is outside the departments this account may read');
    const tables = CSV_TABLES[section];
    if (q.table !== undefined && !Object.hasOwn(tables, q.table)) throw new RolloutApiError(400, `query parameter table: ${section} has the tables ${Object.keys(tables).join(', ')}`);

    let payload: Row;
    let data: Row;
    if (section === 'status') {
      data = await statusBody(deps, org);
      payload = { section, ...data };
    } else {
      checkRole(request.principal, section, allowed !== undefined);
      const [stored, current] = await Promise.all([readRolloutResults(deps.warehouse, org, [section]), currentSettingsVersion(deps.warehouse, org)]);
      const result = stored[section];
      if (!result) {
        throw new RolloutApiError(409, `the ${section} section has not been computed yet for this organisation; it is computed by the rollout job (waypoint jobs run, or the scheduler every 5 minutes) once rollups exist`);
      }
      const only = q.department;
      let body: unknown = result.body;
      if (allowed || only !== undefined) body = limitToDepartments(body, (d) => (!allowed || allowed.has(d)) && (only === undefined || d === only));
      if (allowed) for (const field of ORG_LEVEL_FIELDS[section] ?? []) (body as Row)[field] = null;
      data = suppressSmallGroups(body, deps.k) as Row;
      payload = { section, computedAt: result.computedAt, settingsVersion: result.settingsVersion, currentSettingsVersion: current, stale: result.settingsVersion !== current, range: result.range, data };
    }
    if (wantsCsv(request.headers.get('accept'))) {
      const table = q.table ?? Object.keys(tables)[0]!;
      return {
        status: 200,
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `inline; filename="rollout_${section}_${table}.csv"` },
        body: rowsToCsv(tables[table]!(data)),
      };
    }
    return json(200, payload);
  } catch (err) {
    if (err instanceof RolloutApiError) return json(err.status, { error: ERROR_CODES[err.status], message: err.message });
    throw err;
  }
}
