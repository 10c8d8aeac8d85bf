// Every request passes here, in this order: identify the principal (session cookie, or a read token
// on /api/), enforce the role matrix and tenancy before any load or endpoint runs
// (security/route-guard.ts), audit what was opened, and put security headers on whatever goes out.
// Errors never leak internals: handleError logs them and answers with a fixed message.
import type { Handle, HandleServerError, RequestEvent } from '@sveltejs/kit';
import { principalOf } from '$lib/access.ts';
import { authenticate, authenticateReadToken, oidcConfig } from '$lib/server/auth.ts';
import { getServerContext } from '$lib/server/context.ts';
import { accessAction, auditAccess } from '$lib/server/security/access-audit.ts';
import { withSecurityHeaders } from '$lib/server/security/headers.ts';
import { guardRequest, type Denial } from '$lib/server/security/route-guard.ts';

function isApi(event: RequestEvent): boolean {
  return event.url.pathname === '/api' || event.url.pathname.startsWith('/api/');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function deny(event: RequestEvent, denial: Denial): Response {
  if (denial.status === 401 && !isApi(event)) {
    const next = event.url.pathname + event.url.search;
    const location = next === '/' ? '/login' : `/login?${new URLSearchParams({ next }).toString()}`;
    return new Response(null, { status: 303, headers: { location } });
  }
  if (isApi(event) || event.isDataRequest) {
    return new Response(JSON.stringify({ error: denial.status === 401 ? 'unauthorized' : 'forbidden', message: denial.message }), {
      status: denial.status,
      headers: { 'content-type': 'application/json' },
    });
  }
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${denial.status} · Waypoint</title>
<style>body{font:16px system-ui,sans-serif;display:grid;place-items:center;min-height:100vh;margin:0;color:#1f2937}main{text-align:center}p.s{font-size:2.5rem;font-weight:700;color:#6b7280;margin:0}</style></head>
<body><main><p class="s">${denial.status}</p><h1>Not available</h1><p>${escapeHtml(denial.message)}</p><p><a href="/">Back to the overview</a></p></main></body></html>`;
  return new Response(body, {
    status: denial.status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" },
  });
}

async function handleRequest(event: RequestEvent, resolve: Parameters<Handle>[0]['resolve']): Promise<Response> {
  event.locals.user = undefined;
  event.locals.readToken = undefined;
  event.locals.allowedDepartments = undefined;
  // A read token is accepted on the API only; pages are for people with a session.
  if (isApi(event) && event.request.headers.has('authorization')) {
    event.locals.readToken = await authenticateReadToken(event.request);
  } else {
    event.locals.user = await authenticate(event.cookies, event.url);
  }
  const principal = principalOf(event.locals);
  const outcome = await guardRequest(event, principal);
  event.locals.allowedDepartments = outcome.allowedDepartments;
  if (outcome.denial) {
    if (principal && outcome.denial.status === 403) await auditAccess(event, principal, 'access.denied', { reason: outcome.denial.reason });
    return deny(event, outcome.denial);
  }
  const response = await resolve(event);
  const action = principal ? accessAction(event, outcome.rule, response) : undefined;
  if (principal && action) await auditAccess(event, principal, action);
  return response;
}

export const handle: Handle = async ({ event, resolve }) => {
  let response: Response;
  try {
    response = await handleRequest(event, resolve);
  } catch (err) {
    // error(401) from a bad read token, and anything unexpected before resolve: answer, don't leak.
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = (err as { body?: { message?: string } }).body?.message ?? 'Request refused.';
      response = deny(event, { status: status === 401 ? 401 : 403, message, reason: 'error' });
      if (status === 401 && isApi(event)) response.headers.set('www-authenticate', 'Bearer');
    } else if (typeof status === 'number' && status >= 300 && status < 400) {
      throw err;
    } else {
      console.error(`${event.request.method} ${event.url.pathname}: request failed before a response`, err);
      response = new Response(JSON.stringify({ error: 'internal', message: 'Internal Server Error' }), {
        status: 500,
        headers: { 'content-type': 'application/json' },
      });
    }
  }
  const oidc = oidcConfig();
  return withSecurityHeaders(response, {
    ...(oidc ? { formTargets: [new URL(oidc.issuer).origin] } : {}),
    secure: getServerContext().config.env.WAYPOINT_SECURE_COOKIES || event.url.protocol === 'https:',
    signedIn: event.locals.user !== undefined || event.locals.readToken !== undefined,
  });
};

/** Unexpected errors in loads, actions and endpoints: logged in full here, a fixed message out there. */
export const handleError: HandleServerError = ({ error, event, status }) => {
  if (status >= 500) console.error(`${event.request.method} ${event.url.pathname}: ${status}`, error);
  return { message: status === 404 ? 'Not Found' : status >= 500 ? 'Internal Server Error' : 'Request refused.' };
};
