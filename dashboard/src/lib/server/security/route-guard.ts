// Enforces the role matrix ($lib/access.ts) for every request before any load, action or endpoint
// runs: undeclared routes are refused, a role outside a route's list gets 403, state changes must
// come from our own origin, and a request naming an organisation or department the principal may
// not see is refused (the org always comes from the session or token; a parameter can only agree).
import type { RequestEvent } from '@sveltejs/kit';
import { canCallApi, canOpenPage, canReadMetric, ruleForRoute, type Principal, type RouteRule } from '$lib/access.ts';
import { loadAllowedDepartments } from './department-scope.ts';

export type Denial = { status: 401 | 403; message: string; reason: string };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A state change carried by the session cookie must come from a page of this origin. SvelteKit
 * checks form posts itself; this covers every other content type and method too. Bearer-token
 * requests carry no ambient credential, so they are not CSRF targets.
 */
export function crossSiteDenial(event: RequestEvent): Denial | undefined {
  if (SAFE_METHODS.has(event.request.method)) return undefined;
  if (event.request.headers.has('authorization') && !event.request.headers.has('cookie')) return undefined;
  const origin = event.request.headers.get('origin');
  if (origin !== null && origin === event.url.origin) return undefined;
  return { status: 403, message: 'Cross-site requests are not allowed.', reason: 'cross-site' };
}

function orgParameterDenial(url: URL, principal: Principal): Denial | undefined {
  for (const [name, value] of url.searchParams) {
    if (name.toLowerCase() === 'org' && value !== principal.org) {
      return { status: 403, message: 'The organisation comes from your session or token and cannot be changed.', reason: 'org-parameter' };
    }
  }
  return undefined;
}

function departmentParameterDenial(url: URL, allowed: ReadonlySet<string> | undefined): Denial | undefined {
  if (allowed === undefined) return undefined;
  for (const [name, value] of url.searchParams) {
    if (name.toLowerCase() === 'department' && value !== '' && !allowed.has(value)) {
      return { status: 403, message: 'That department is outside the part of the organisation you can see.', reason: 'department-parameter' };
    }
  }
  return undefined;
}

function roleDenial(rule: RouteRule, principal: Principal): Denial | undefined {
  switch (rule.kind) {
    case 'none':
    case 'public':
      return undefined;
    case 'undeclared':
      return { status: 403, message: 'This route is not open to any role.', reason: 'undeclared-route' };
    case 'page':
      if (principal.kind === 'token') return { status: 403, message: 'Read tokens reach the API only.', reason: 'token-on-page' };
      return canOpenPage(principal.role, rule.page.id)
        ? undefined
        : { status: 403, message: 'Your role does not give access to this page.', reason: 'role' };
    case 'api':
      return canCallApi(principal, rule.route.id)
        ? undefined
        : { status: 403, message: 'This role or token may not call this route.', reason: 'role' };
  }
}

function metricDenial(rule: RouteRule, params: Partial<Record<string, string>>, principal: Principal): Denial | undefined {
  if (rule.kind !== 'api' || rule.route.id !== 'api.metrics' || params.id === undefined) return undefined;
  return canReadMetric(principal, params.id)
    ? undefined
    : { status: 403, message: 'Wellbeing metrics are for HR and admins only.', reason: 'wellbeing-metric' };
}

export interface GuardOutcome {
  rule: RouteRule;
  denial?: Denial;
  /** For department managers: the departments they may see (also put on locals). */
  allowedDepartments?: ReadonlySet<string> | undefined;
}

/** Decides whether the request may proceed; the hook turns a denial into a response. */
export async function guardRequest(event: RequestEvent, principal: Principal | undefined): Promise<GuardOutcome> {
  const rule = ruleForRoute(event.route.id);
  const crossSite = crossSiteDenial(event);
  if (crossSite) return { rule, denial: crossSite };
  if (rule.kind === 'public' || rule.kind === 'none') return { rule };
  if (!principal) return { rule, denial: { status: 401, message: 'Sign in to continue.', reason: 'anonymous' } };
  const denial = roleDenial(rule, principal) ?? metricDenial(rule, event.params, principal) ?? orgParameterDenial(event.url, principal);
  if (denial) return { rule, denial };
  const allowedDepartments = await loadAllowedDepartments(principal);
  const departmentDenial = departmentParameterDenial(event.url, allowedDepartments);
  return departmentDenial ? { rule, denial: departmentDenial, allowedDepartments } : { rule, allowedDepartments };
}
