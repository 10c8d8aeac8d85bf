// Views of the pages that read only rollups, kept until the data under them changes. A page's view is
// a function of its rollups' live versions, the directory (names, tree, waves) and who asks with which
// filters; the rollups change only when a job registers a new version (rollup_versions), so a view is
// keyed by all of those and the organisation's latest version. The first request after a job run
// computes (a year at enterprise size merges millions of exact latencies); later ones, from anyone
// with the same scope, are served from memory. Concurrent identical requests share one computation.
// A request with `Cache-Control: no-cache` (a hard reload; the benchmark's cold runs) computes afresh.
//
// Only pages whose loaders read nothing but versioned rollups and the directory belong in CACHED_PAGES:
// a page reading raw events, settings or stored rollout results would be served stale.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { PageId } from '$lib/access.ts';
import type { Warehouse } from '$warehouse/client.ts';
import { sql } from '$warehouse/sql.ts';
import type { User } from '$warehouse/users.ts';
import type { DirectoryInfo } from './directory.ts';
import type { ResolvedFilters } from './filters.ts';

export const CACHED_PAGES: ReadonlySet<PageId> = new Set<PageId>(['responsiveness', 'meetings', 'engagement']);

/** Views kept at most (the least recently used goes first); a view is tens of kB. */
export const PAGE_CACHE_ENTRIES = 200;

const versionRow = z.object({ version: z.string() });

/**
 * The organisation's data version: the latest rollup version any job registered. Every registration
 * takes a version above all earlier ones (jobs/rollup-job.ts), so it moves with every job run and
 * nothing else (a row count would also move when background merges collapse superseded rows).
 */
export async function dataVersion(warehouse: Warehouse, org: string): Promise<string> {
  const rows = await warehouse.query(sql`SELECT toString(max(version)) AS version FROM rollup_versions WHERE org = ${org}`, versionRow, { org });
  return rows[0]?.version ?? '0';
}

const directoryHashes = new WeakMap<DirectoryInfo, string>();

/** A digest of what the loaders take from the directory (it is re-read every 30 s, as a new object). */
function directoryHash(directory: DirectoryInfo): string {
  let hash = directoryHashes.get(directory);
  if (hash === undefined) {
    const shape = [directory.departments, [...directory.waveOf], directory.waves, [...directory.headcount], directory.latestDay, directory.firstDay];
    hash = createHash('sha256').update(JSON.stringify(shape)).digest('base64url');
    directoryHashes.set(directory, hash);
  }
  return hash;
}

export interface PageCacheKeyParts {
  page: PageId;
  user: User;
  scope: ResolvedFilters;
  directory: DirectoryInfo;
  dataVersion: string;
}

/** Everything a cached view depends on; two requests with the same key get the same view. */
export function pageCacheKey(p: PageCacheKeyParts): string {
  return JSON.stringify([
    p.page,
    p.user.org,
    p.user.role,
    p.user.department,
    p.scope.filters,
    p.scope.comparison ?? null,
    p.scope.departments ?? null,
    directoryHash(p.directory),
    p.dataVersion,
  ]);
}

export interface PageCache {
  /**
   * The cached view for the key, or `compute()`'s (kept only if it succeeds). `refresh` computes
   * even when a view is cached, and keeps the new one.
   */
  get<T>(key: string, compute: () => Promise<T>, options?: { refresh?: boolean }): Promise<{ value: T; hit: boolean }>;
  readonly size: number;
  clear(): void;
}

export function createPageCache(maxEntries = PAGE_CACHE_ENTRIES): PageCache {
  const entries = new Map<string, Promise<unknown>>();
  return {
    async get<T>(key: string, compute: () => Promise<T>, options: { refresh?: boolean } = {}) {
      const cached = options.refresh ? undefined : (entries.get(key) as Promise<T> | undefined);
      if (cached) {
        // Most recently used last: Map keeps insertion order.
        entries.delete(key);
        entries.set(key, cached);
        return { value: await cached, hit: true };
      }
      const pending = compute();
      entries.delete(key);
      entries.set(key, pending);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      try {
        return { value: await pending, hit: false };
      } catch (err) {
        if (entries.get(key) === pending) entries.delete(key);
        throw err;
      }
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
  };
}
