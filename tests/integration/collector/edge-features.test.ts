// gzip and streamed NDJSON bodies, the per-key rate limit, the spool cap, /readyz, /metrics, JSON
// logs carrying the request id — and a batch sent three times counted once by the rollup.
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobs } from '../../../jobs/run-jobs.ts';
import { ROLLUP_JOBS } from '../../../jobs/registry.ts';
import { findOrg } from '../../../warehouse/orgs.ts';
import { findMetric } from '../../../warehouse/read-api/catalogue.ts';
import { readMetric } from '../../../warehouse/read-api/read-metric.ts';
import { sql } from '../../../warehouse/sql.ts';
import { z } from 'zod';
import { makeEvent } from '../../support/events.ts';
import { createHarness, type Harness } from './harness.ts';

const logLines: string[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _enc, done) {
    logLines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ logLevel: 'info', logStream, limits: { rateLimitEventsPerSec: 1000, rateLimitBurst: 1000 } });
});
afterAll(async () => {
  await h.close();
});

describe('request bodies', () => {
  it('accepts a gzip-compressed JSON batch', async () => {
    const events = [makeEvent(), makeEvent()];
    const res = await h.send(gzipSync(JSON.stringify({ events })), { 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(202);
    expect(await h.storedIds(events.map((e) => e.id))).toBe(2);
  });

  it('streams a gzip-compressed NDJSON batch line by line', async () => {
    const events = Array.from({ length: 500 }, () => makeEvent());
    const body = gzipSync(events.map((e) => JSON.stringify(e)).join('\r\n') + '\r\n\n');
    const res = await h.send(body, { 'content-encoding': 'gzip', 'content-type': 'application/x-ndjson' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accepted: 500, rejectedCount: 0 });
    expect(await h.storedIds(events.map((e) => e.id))).toBe(500);
  });
});

describe('rate limit per key', () => {
  it('answers 429 with Retry-After once the key is over its events per second', async () => {
    const big = Array.from({ length: 2500 }, () => makeEvent());
    expect((await h.send(JSON.stringify({ events: big }))).statusCode).toBe(202);
    const res = await h.send(JSON.stringify({ events: [makeEvent()] }));
    expect(res.statusCode).toBe(429);
    expect(res.json().error).toBe('rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});

describe('/metrics', () => {
  it('exports accepted and rejected counts, spool and flush figures in Prometheus text', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain; version=0.0.4');
    const text = res.body;
    expect(text).toMatch(/^waypoint_collector_events_accepted_total \d+$/m);
    expect(text).toMatch(/^waypoint_collector_requests_refused_total\{error="rate_limited",status="429"\} 1$/m);
    expect(text).toMatch(/^waypoint_collector_spool_bytes \d+$/m);
    expect(text).toMatch(/^waypoint_collector_flush_rows_count \d+$/m);
    expect(text).toMatch(/^waypoint_collector_request_duration_seconds_bucket\{route="\/v1\/events",status="202",le="0.1"\} \d+$/m);
  });
});

describe('/readyz and logs', () => {
  it('is ready while ClickHouse answers and the spool is below its cap', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', reasons: [], clickhouse: { reachable: true } });
  });

  it('writes pino JSON lines carrying the request id, echoed in x-request-id', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/events',
      payload: '{"events": [',
      headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json', 'x-request-id': 'trace-abc.123' },
    });
    expect(res.headers['x-request-id']).toBe('trace-abc.123');
    const lines = logLines.map((l) => JSON.parse(l) as { reqId?: string; msg?: string; level?: number });
    expect(lines.some((l) => l.reqId === 'trace-abc.123' && l.msg === 'request refused')).toBe(true);
  });

  it('replaces an unsafe request id with a generated one', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('spool cap', () => {
  it('answers 503 with Retry-After when the spool is over its cap, and /readyz says why', async () => {
    const capped = await createHarness({ spool: { dir: `${h.spool.dir}-capped`, maxBytes: 1 }, ack: 'spool', flush: { intervalMs: 60_000 } });
    try {
      expect((await capped.send(JSON.stringify({ events: [makeEvent()] }))).statusCode).toBe(202);
      const res = await capped.send(JSON.stringify({ events: [makeEvent()] }));
      expect(res.statusCode).toBe(503);
      expect(res.json().error).toBe('spool_full');
      expect(res.headers['retry-after']).toBe('10');
      const ready = await capped.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().reasons[0]).toMatch(/^spool is full/);
    } finally {
      await capped.close();
    }
  });
});

describe('client retries', () => {
  it('counts a batch sent three times once, in uniqExact and in the activity rollup', async () => {
    const retried = await createHarness({}, 'retry-org');
    try {
      const events = [
        makeEvent({ org: 'retry-org', actor: 'x1', time: '2024-05-01T10:00:00+08:00' }),
        makeEvent({ org: 'retry-org', actor: 'x2', time: '2024-05-01T11:00:00+08:00' }),
      ];
      for (let i = 0; i < 3; i++) expect((await retried.send(JSON.stringify({ events }))).statusCode).toBe(202);
      const rows = await retried.warehouse.query(
        sql`SELECT count() AS total, uniqExact(id) AS distinct FROM events WHERE org = ${'retry-org'}`,
        z.object({ total: z.coerce.number(), distinct: z.coerce.number() }),
        { org: 'retry-org' },
      );
      expect(rows[0]!.total).toBeGreaterThanOrEqual(2);
      expect(rows[0]!.distinct).toBe(2);
      const deps = { warehouse: retried.warehouse, clock: { now: () => Date.parse('2024-05-03T00:00:00Z') }, log: () => {} };
      await runJobs(deps, { range: { from: '2024-05-01', to: '2024-05-01' }, jobs: ROLLUP_JOBS.filter((j) => j.name === 'activity-daily') });
      const org = (await findOrg(retried.warehouse, 'retry-org'))!;
      // k = 1: two people, and this test is about counting, not suppression.
      const active = await readMetric(retried.warehouse, { org, metric: findMetric('active_users')!, from: '2024-05-01', to: '2024-05-01', groupBy: 'day', stat: 'p50', k: 1 });
      expect(active.source).toBe('rollup');
      expect(active.points.map((p) => p.value)).toEqual([2]);
    } finally {
      await retried.close();
    }
  });
});
