// Which requests the hook writes to the audit log: every page opened (HTML or the data a client-side
// navigation fetches), every API read (CSV downloads as `export`), and every refusal.
import type { RequestEvent } from '@sveltejs/kit';
import { audit, type AuditAction } from '$warehouse/audit-log.ts';
import type { Principal, RouteRule } from '$lib/access.ts';
import { getServerContext } from '../context.ts';

function actorOf(principal: Principal): string {
  return principal.kind === 'user' ? principal.email : `key:${principal.keyId}`;
}

function isExport(response: Response, url: URL): boolean {
  const type = response.headers.get('content-type') ?? '';
  return type.startsWith('text/csv') || response.headers.get('content-disposition')?.startsWith('attachment') === true || url.searchParams.get('format') === 'csv';
}

/** The audit action for a request that was let through, or undefined when it is not audited. */
export function accessAction(event: RequestEvent, rule: RouteRule, response: Response): AuditAction | undefined {
  if (event.request.method !== 'GET' && event.request.method !== 'HEAD') return undefined;
  if (response.status >= 300) return undefined;
  if (rule.kind === 'api') return isExport(response, event.url) ? 'export' : 'api.read';
  if (rule.kind === 'page') return isExport(response, event.url) ? 'export' : 'page.view';
  return undefined;
}

export async function auditAccess(event: RequestEvent, principal: Principal, action: AuditAction, detail?: Record<string, unknown>): Promise<void> {
  await audit(getServerContext().warehouse, {
    org: principal.org,
    actor: actorOf(principal),
    action,
    target: event.url.pathname,
    detail: { ...(event.url.search ? { query: event.url.search.slice(1) } : {}), ...(event.isDataRequest ? { data: true } : {}), ...detail },
    ip: event.getClientAddress(),
  });
}
