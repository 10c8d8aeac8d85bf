// The page cache: what its key tells apart (so no one is served a view computed for another scope or
// older data), least-recently-used eviction, shared in-flight computations and failures not kept.
import { describe, expect, it } from 'vitest';
import type { DirectoryInfo } from '../../../dashboard/src/lib/server/directory.ts';
import type { ResolvedFilters } from '../../../dashboard/src/lib/server/filters.ts';
import { createPageCache, pageCacheKey, type PageCacheKeyParts } from '../../../dashboard/src/lib/server/page-cache.ts';

const directory = (name = 'Finance'): DirectoryInfo => ({
  departments: [
    { id: 'fin', name, parent: '' },
    { id: 'ops', name: 'Operations', parent: '' },
  ],
  waveOf: new Map([['fin', 'w1']]),
  waves: [{ id: 'w1', start: '2024-01-01' }],
  headcount: new Map([['fin', 12]]),
  latestDay: '2024-06-30',
  firstDay: '2024-01-01',
});

const scope = (over: Partial<ResolvedFilters['filters']> = {}, departments?: string[]): ResolvedFilters =>
  ({
    filters: { range: { from: '2024-06-03', to: '2024-06-30' }, department: '', wave: '', compare: 'none', ...over },
    comparison: undefined,
    rangeProblem: undefined,
    departments,
    options: {},
  }) as unknown as ResolvedFilters;

const base: PageCacheKeyParts = {
  page: 'responsiveness',
  user: { email: 'hr@acme.test', org: 'acme', role: 'hr', department: '' } as PageCacheKeyParts['user'],
  scope: scope(),
  directory: directory(),
  dataVersion: '1717000000000',
};

describe('pageCacheKey', () => {
  it('is the same for the same page, user scope, filters, directory and data', () => {
    expect(pageCacheKey({ ...base, directory: directory() })).toBe(pageCacheKey(base));
  });

  it('differs with anything a view depends on', () => {
    const variants: PageCacheKeyParts[] = [
      { ...base, page: 'meetings' },
      { ...base, user: { ...base.user, org: 'other' } },
      { ...base, user: { ...base.user, role: 'department_manager', department: 'fin' } },
      { ...base, scope: scope({ range: { from: '2023-07-01', to: '2024-06-30' } }) },
      { ...base, scope: scope({}, ['fin']) },
      { ...base, scope: scope({}, []) },
      { ...base, scope: { ...scope(), comparison: { from: '2024-05-06', to: '2024-06-02' } } },
      { ...base, directory: directory('Finance & Treasury') },
      { ...base, dataVersion: '1717000300000' },
    ];
    const keys = new Set([pageCacheKey(base), ...variants.map(pageCacheKey)]);
    expect(keys.size).toBe(variants.length + 1);
  });
});

describe('createPageCache', () => {
  it('computes once per key and serves the same view after', async () => {
    const cache = createPageCache();
    let runs = 0;
    const compute = async () => ({ run: ++runs });
    expect(await cache.get('a', compute)).toEqual({ value: { run: 1 }, hit: false });
    expect(await cache.get('a', compute)).toEqual({ value: { run: 1 }, hit: true });
    expect(await cache.get('b', compute)).toEqual({ value: { run: 2 }, hit: false });
  });

  it('computes afresh on refresh, and keeps the new view', async () => {
    const cache = createPageCache();
    await cache.get('a', async () => 'old');
    expect(await cache.get('a', async () => 'new', { refresh: true })).toEqual({ value: 'new', hit: false });
    expect(await cache.get('a', async () => 'newer')).toEqual({ value: 'new', hit: true });
    expect(cache.size).toBe(1);
  });

  it('shares one computation between concurrent identical requests', async () => {
    const cache = createPageCache();
    let runs = 0;
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const compute = async () => {
      runs++;
      await gate;
      return runs;
    };
    const both = Promise.all([cache.get('a', compute), cache.get('a', compute)]);
    release();
    expect((await both).map((r) => r.value)).toEqual([1, 1]);
    expect(runs).toBe(1);
  });

  it('does not keep a failure: the next request computes again', async () => {
    const cache = createPageCache();
    await expect(cache.get('a', () => Promise.reject(new Error('warehouse down')))).rejects.toThrow('warehouse down');
    expect(cache.size).toBe(0);
    expect(await cache.get('a', async () => 'ok')).toEqual({ value: 'ok', hit: false });
  });

  it('drops the least recently used view beyond its size', async () => {
    const cache = createPageCache(2);
    await cache.get('a', async () => 'a1');
    await cache.get('b', async () => 'b1');
    await cache.get('a', async () => 'a2'); // a is now the most recent
    await cache.get('c', async () => 'c1'); // evicts b
    expect(cache.size).toBe(2);
    expect(await cache.get('a', async () => 'a3')).toEqual({ value: 'a1', hit: true });
    expect(await cache.get('b', async () => 'b2')).toEqual({ value: 'b2', hit: false });
  });
});
