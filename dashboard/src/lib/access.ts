// The role matrix: which role may open which page and call which API route, and which departments a
// department manager may see. One table, read by the menu, by every load/endpoint (requireAccess),
// by docs/security.md and by the test that walks every route with every role. Pure, so it is safe
// in the browser bundle; the warehouse-backed department lookup is $lib/server/security/department-scope.ts.
// Imports are relative and type-only or pure (no $-aliases, no App types), so the root test suite can import
// this file as it is and the browser bundle never pulls in server code.
import { error } from '@sveltejs/kit';
import type { Role } from '../../../warehouse/users.ts';
import type { User } from '../../../warehouse/users.ts';
// A pure module (no imports): safe in the browser bundle, and shared with the rollout job.
import { departmentSubtree, type DepartmentNode } from '../../../warehouse/department-subtree.ts';

export type { Role };

/** Every role, in the order the matrix is documented (a unit test keeps it equal to warehouse/users.ts ROLES). */
export const ROLES: readonly Role[] = ['admin', 'executive', 'change_manager', 'hr', 'department_manager'];
const EVERYONE: readonly Role[] = ROLES;

export const PAGE_IDS = [
  'overview',
  'executive',
  'rollout',
  'responsiveness',
  'workflows',
  'meetings',
  'engagement',
  'diagnose',
  'data',
  'settings',
  'preferences',
] as const;
export type PageId = (typeof PAGE_IDS)[number];

export interface PageAccess {
  id: PageId;
  /** The page's path; also what the route walk requests. */
  path: string;
  roles: readonly Role[];
  /** Whether a department manager sees the page limited to their subtree (all their pages are). */
  departmentScoped: boolean;
  /** False for routes that are not menu pages (e.g. the POST-only language/theme switch). */
  menu: boolean;
}

// Why each row is what it is:
// - engagement is HR's wellbeing view: only HR and admins, never line managers (a manager looking at
//   their own team's after-hours load is the surveillance the brief forbids, even when aggregated).
// - executive (ROI, payback) and diagnose (silo hotspots across the whole company) are
//   organisation-wide views, so department managers, whose view is a subtree, do not get them.
// - data (sources, directory upload, keys, ingestion health) is administration only.
// - settings holds ROI assumptions, KPI targets and the rollout plan: the people who own those.
export const PAGES: readonly PageAccess[] = [
  { id: 'overview', path: '/', roles: EVERYONE, departmentScoped: true, menu: true },
  { id: 'executive', path: '/executive', roles: ['admin', 'executive'], departmentScoped: false, menu: true },
  { id: 'rollout', path: '/rollout', roles: ['admin', 'executive', 'change_manager', 'department_manager'], departmentScoped: true, menu: true },
  { id: 'responsiveness', path: '/responsiveness', roles: EVERYONE, departmentScoped: true, menu: true },
  { id: 'workflows', path: '/workflows', roles: ['admin', 'executive', 'change_manager', 'department_manager'], departmentScoped: true, menu: true },
  { id: 'meetings', path: '/meetings', roles: EVERYONE, departmentScoped: true, menu: true },
  { id: 'engagement', path: '/engagement', roles: ['admin', 'hr'], departmentScoped: false, menu: true },
  { id: 'diagnose', path: '/diagnose', roles: ['admin', 'executive', 'change_manager'], departmentScoped: false, menu: true },
  { id: 'data', path: '/data', roles: ['admin'], departmentScoped: false, menu: true },
  { id: 'settings', path: '/settings', roles: ['admin', 'executive', 'change_manager', 'hr'], departmentScoped: false, menu: true },
  // Language and theme choice for whoever is signed in; a POST that only sets the user's own cookies.
  { id: 'preferences', path: '/preferences', roles: EVERYONE, departmentScoped: false, menu: false },
];

export const API_ROUTE_IDS = ['api.metrics', 'api.openapi', 'api.rollout'] as const;
export type ApiRouteId = (typeof API_ROUTE_IDS)[number];

export interface ApiRouteAccess {
  id: ApiRouteId;
  method: 'GET' | 'POST';
  /** A concrete example path, used by the route walk and the fuzz test. */
  path: string;
  /** The SvelteKit route id that serves it, so tests can tell whether it is built yet. */
  routeId: string;
  roles: readonly Role[];
  /** Whether a read token (`waypoint keys create --scope read`, Bearer) may call it. */
  readToken: boolean;
}

export const API_ROUTES: readonly ApiRouteAccess[] = [
  {
    id: 'api.metrics',
    method: 'GET',
    path: '/api/v1/metrics/active_users',
    routeId: '/api/v1/metrics/[id]',
    roles: EVERYONE,
    readToken: true,
  },
  { id: 'api.openapi', method: 'GET', path: '/api/v1/openapi.json', routeId: '/api/v1/openapi.json', roles: EVERYONE, readToken: true },
  // The rollout job's stored results: the roles of the executive, rollout and diagnose pages together;
  // each section is then limited to its own page's roles (rollout/handle-rollout-request.ts SECTION_PAGES).
  // The walk requests `status` (what is computed and when), which every caller of the route may read.
  {
    id: 'api.rollout',
    method: 'GET',
    path: '/api/v1/rollout/status',
    routeId: '/api/v1/rollout/[section]',
    roles: ['admin', 'executive', 'change_manager', 'department_manager'],
    readToken: true,
  },
];

/**
 * Metrics that describe people's wellbeing rather than the rollout: readable through the API only by
 * the roles of the engagement page (and read tokens, which an admin issues deliberately). Every other
 * metric is readable by any role that may call `api.metrics`, department managers within their subtree.
 */
export const WELLBEING_METRICS: readonly string[] = ['after_hours_share', 'weekend_share', 'activity_drop'];

/** Who is asking: a signed-in user, or a read token presented to the API. */
export type Principal =
  | { kind: 'user'; org: string; email: string; role: Role; department: string }
  | { kind: 'token'; org: string; keyId: string };

/** The part of App.Locals this module reads (structural, so it type-checks outside SvelteKit too). */
export interface AccessLocals {
  user?: User | undefined;
  readToken?: { org: string; keyId: string } | undefined;
}

export function pageAccess(id: PageId): PageAccess {
  const page = PAGES.find((p) => p.id === id);
  if (!page) throw new Error(`unknown page id ${id}`);
  return page;
}

export function apiRouteAccess(id: ApiRouteId): ApiRouteAccess {
  const route = API_ROUTES.find((r) => r.id === id);
  if (!route) throw new Error(`unknown API route id ${id}`);
  return route;
}

export function canOpenPage(role: Role, id: PageId): boolean {
  return pageAccess(id).roles.includes(role);
}

export function canCallApi(principal: Principal, id: ApiRouteId): boolean {
  const route = apiRouteAccess(id);
  return principal.kind === 'token' ? route.readToken : route.roles.includes(principal.role);
}

/** Whether this principal may read this metric through the API (on top of canCallApi). */
export function canReadMetric(principal: Principal, metricId: string): boolean {
  if (!WELLBEING_METRICS.includes(metricId)) return true;
  return principal.kind === 'token' || pageAccess('engagement').roles.includes(principal.role);
}

/** The menu pages a role may open, in menu order. */
export function pagesFor(role: Role): PageAccess[] {
  return PAGES.filter((p) => p.menu && p.roles.includes(role));
}

/**
 * For a page's load or action: the signed-in user if their role may open the page; otherwise a 403
 * (401 without a session, which the hook normally prevents by redirecting to /login).
 */
export function requireAccess(locals: AccessLocals, id: PageId): User {
  const user = locals.user;
  if (!user) error(401, 'Sign in to continue.');
  if (!canOpenPage(user.role, id)) error(403, 'Your role does not give access to this page.');
  return user;
}

/**
 * For an API endpoint: the principal (session user or read token, both set by hooks.server.ts) if it
 * may call this route; otherwise 401/403. The principal's org is the only org the endpoint may read.
 */
export function requireApiAccess(locals: AccessLocals, id: ApiRouteId): Principal {
  const principal = principalOf(locals);
  if (!principal) error(401, 'Send a session cookie or a read token (Authorization: Bearer).');
  if (!canCallApi(principal, id)) error(403, 'This role or token may not call this route.');
  return principal;
}

export function principalOf(locals: AccessLocals): Principal | undefined {
  if (locals.user) return { kind: 'user', ...locals.user };
  if (locals.readToken) return { kind: 'token', org: locals.readToken.org, keyId: locals.readToken.keyId };
  return undefined;
}

export type { DepartmentNode };
export { departmentSubtree };

/**
 * The departments a principal may see: `undefined` means the whole organisation; otherwise the
 * department manager's own department and every department below it (cycles in bad directory data
 * are tolerated). A manager whose department is not in the directory gets only that id, which
 * matches no data rather than everything.
 */
export function allowedDepartmentIds(principal: Principal, departments: readonly DepartmentNode[]): Set<string> | undefined {
  if (principal.kind === 'token' || principal.role !== 'department_manager') return undefined;
  return departmentSubtree(departments, principal.department);
}


/**
 * Whether a requested `department` filter is allowed; the endpoint should answer 403 when not. An
 * empty filter for a scoped principal means "my subtree", never "everything".
 */
export function isDepartmentAllowed(allowed: Set<string> | undefined, department: string): boolean {
  return allowed === undefined || allowed.has(department);
}

/** What the matrix says about a SvelteKit route id; hooks.server.ts enforces it before any load runs. */
export type RouteRule =
  | { kind: 'public' }
  | { kind: 'page'; page: PageAccess }
  | { kind: 'api'; route: ApiRouteAccess }
  /** A route that exists but is in no table: refused for everyone until it is declared here. */
  | { kind: 'undeclared'; routeId: string }
  /** No route matched (SvelteKit answers 404). */
  | { kind: 'none' };

/**
 * Route ids map to the matrix by shape: `/(auth)/…` is public; `/api/…` must be an API_ROUTES
 * routeId exactly; anything else is a page, found by its first segment once `(group)` segments are
 * dropped (`/(app)/executive/[kpi]` → the `executive` page, `/(app)` → `overview`).
 */
export function ruleForRoute(routeId: string | null): RouteRule {
  if (routeId === null) return { kind: 'none' };
  const segments = routeId.split('/').filter(Boolean);
  if (segments[0] === '(auth)') return { kind: 'public' };
  if (segments[0] === 'api') {
    const route = API_ROUTES.find((r) => r.routeId === routeId);
    return route ? { kind: 'api', route } : { kind: 'undeclared', routeId };
  }
  const first = segments.find((s) => !(s.startsWith('(') && s.endsWith(')')));
  const path = first === undefined ? '/' : `/${first}`;
  const page = PAGES.find((p) => p.path === path);
  return page ? { kind: 'page', page } : { kind: 'undeclared', routeId };
}
