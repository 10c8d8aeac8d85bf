// The one way a page loads: check the role may open it (access.ts), resolve the filters, run the
// page's loader and time it. A warehouse failure becomes the page's error state, not a 500, so the
// shell and filters stay usable; a 403 from access or scoping still surfaces as a 403.
import { requireAccess, type PageId } from '$lib/access.ts';
import type { PageData, PageResult } from '$lib/page-data.ts';
import type { Warehouse } from '$warehouse/client.ts';
import { findOrg } from '$warehouse/orgs.ts';
import type { User } from '$warehouse/users.ts';
import { getServerContext } from './context.ts';
import { loadDirectory, type DirectoryInfo } from './directory.ts';
import { resolveFilters, type ResolvedFilters } from './filters.ts';
import { CACHED_PAGES, createPageCache, dataVersion, pageCacheKey } from './page-cache.ts';
import { pageK } from './privacy.ts';

export interface PageContext {
  warehouse: Warehouse;
  org: { id: string; name: string; timezone: string };
  user: User;
  directory: DirectoryInfo;
  scope: ResolvedFilters;
  now: number;
}


const pageCache = createPageCache();

interface LoadEvent {
  locals: App.Locals;
  url: URL;
  request?: Request;
}

export async function loadPage<T>(event: LoadEvent, pageId: PageId, loader: (ctx: PageContext) => Promise<T>): Promise<PageData<T>> {
  const user = requireAccess(event.locals, pageId);
  const started = performance.now();
  const { warehouse } = getServerContext();
  const [directory, org] = await Promise.all([loadDirectory(warehouse, user.org), findOrg(warehouse, user.org)]);
  const scope = resolveFilters(event.url.searchParams, directory, user);
  const base = { filters: scope.filters, comparison: scope.comparison, rangeProblem: scope.rangeProblem, filterOptions: scope.options };
  let result: PageResult<T>;
  let cached = false;
  try {
    const ctx: PageContext = {
      warehouse,
      org: { id: user.org, name: org?.name ?? user.org, timezone: org?.timezone ?? 'UTC' },
      user,
      directory,
      scope,
      now: Date.now(),
    };
    if (CACHED_PAGES.has(pageId)) {
      const key = pageCacheKey({ page: pageId, user, scope, directory, dataVersion: await dataVersion(warehouse, user.org) });
      const refresh = event.request?.headers.get('cache-control')?.includes('no-cache') ?? false;
      const view = await pageCache.get(key, () => loader(ctx), { refresh });
      cached = view.hit;
      result = { status: 'ok', data: view.value };
    } else {
      result = { status: 'ok', data: await loader(ctx) };
    }
  } catch (err) {
    console.error(`${pageId}: loading data for ${user.org} failed`, err);
    result = { status: 'error' };
  }
  return { ...base, result, serverMs: Math.round(performance.now() - started), cached, k: pageK() };
}
