// A collector-fed test organisation for metric tests: directory and events go through the real
// ingest path, jobs run over a range, and `read` calls the read API handler with a read token.
import { expect } from 'vitest';
import type { DirectoryInput } from '../../../contracts/directory.ts';
import type { EventInput } from '../../../contracts/events.ts';
import { ROLLUP_JOBS } from '../../../jobs/registry.ts';
import { runJobs, type RunJobsOptions } from '../../../jobs/run-jobs.ts';
import { createApiKey } from '../../../warehouse/api-keys.ts';
import { handleMetricRequest } from '../../../warehouse/read-api/handle-metric-request.ts';
import type { MetricPoint } from '../../../warehouse/read-api/metric-spec.ts';
import { createTestCollector, type TestCollector } from '../../support/collector.ts';

export interface MetricFixture extends TestCollector {
  readKey: string;
  clock: { now(): number };
  deps(): { warehouse: TestCollector['warehouse']; clock: { now(): number }; log: (line: string) => void };
  send(events: EventInput[]): Promise<void>;
  run(options?: RunJobsOptions): Promise<void>;
  /** JSON body of GET /api/v1/metrics/{id}?… (k = 1 unless given). */
  read(id: string, params: Record<string, string>, k?: number): Promise<{ status: number; body: MetricBody }>;
}

export interface MetricBody {
  metric: string;
  unit: string;
  source: string;
  points: Omit<MetricPoint, 'people'>[];
  error?: string;
  message?: string;
}

export async function createMetricFixture(org: string, timezone: string, directory: Omit<DirectoryInput, 'org'>, now = '2024-06-30T00:00:00Z'): Promise<MetricFixture> {
  const c = await createTestCollector(org, timezone);
  const res = await c.post('/v1/directory', { org, ...directory });
  expect(res.statusCode, res.body).toBe(200);
  const { key: readKey } = await createApiKey(c.warehouse, org, 'read');
  const clock = { now: () => Date.parse(now) };
  const deps = () => ({ warehouse: c.warehouse, clock, log: () => {} });
  return {
    ...c,
    readKey,
    clock,
    deps,
    async send(events) {
      const r = await c.post('/v1/events', { events });
      expect(r.statusCode, r.body).toBe(202);
    },
    // The rollup jobs only: metrics read nothing else, and a failure in another job is not theirs to report.
    async run(options = {}) {
      const results = await runJobs(deps(), { retries: 0, jobs: ROLLUP_JOBS, ...options });
      expect(results.filter((r) => r.error).map((r) => `${r.job}: ${r.error}`)).toEqual([]);
    },
    async read(id, params, k = 1) {
      const url = new URL(`http://waypoint.test/api/v1/metrics/${id}`);
      for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
      const response = await handleMetricRequest(
        { warehouse: c.warehouse, k, now: clock.now },
        { metricId: id, url, headers: new Headers({ authorization: `Bearer ${readKey}` }) },
      );
      return { status: response.status, body: JSON.parse(response.body) as MetricBody };
    },
  };
}

/** The value of the point matching every given field. */
export function valueAt(body: MetricBody, match: Partial<Record<'period' | 'department' | 'counterpart' | 'kind' | 'stage', string>>): number | null | undefined {
  const point = body.points.find((p) => Object.entries(match).every(([k, v]) => (p as Record<string, unknown>)[k] === v));
  return point?.value;
}
