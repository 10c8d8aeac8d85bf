// Job infrastructure: idempotent re-runs, incremental refresh that picks up late events, the nightly
// window, backfill ranges, the lock (including a crashed holder) and retries visible in job_runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addDays, dayInTimezone } from '../../../jobs/days.ts';
import type { Job } from '../../../jobs/job.ts';
import { acquireJobLock } from '../../../jobs/job-lock.ts';
import { ROLLUP_JOBS } from '../../../jobs/registry.ts';
import { runJobs } from '../../../jobs/run-jobs.ts';
import { formatDateTime } from '../../../warehouse/row-values.ts';
import { sql } from '../../../warehouse/sql.ts';
import { makeEvent } from '../../support/events.ts';
import { createMetricFixture, valueAt, type MetricFixture } from './metric-fixture.ts';

let f: MetricFixture;
// Real time: the incremental refresh compares the collector's received_at with the last run.
const clock = { now: () => Date.now() };
const deps = () => ({ warehouse: f.warehouse, clock, log: () => {} });
const TZ = 'Asia/Hong_Kong';
const today = () => dayInTimezone(Date.now(), TZ);
/** Noon local time, `n` days before today. */
const noon = (n: number) => `${addDays(today(), -n)}T12:00:00+08:00`;
const activity = ROLLUP_JOBS.find((j) => j.name === 'activity-daily') as Job;
const messages = ROLLUP_JOBS.find((j) => j.name === 'response-daily') as Job;

beforeAll(async () => {
  f = await createMetricFixture('acme', TZ, {
    departments: [{ id: 'fin', name: 'Finance' }],
    people: ['a', 'b', 'c'].map((id) => ({ id, department: 'fin' })),
  });
  await f.send([
    makeEvent({ actor: 'a', object: 'M1', time: noon(5) }),
    makeEvent({ actor: 'b', object: 'R1', parent: 'M1', time: noon(5).replace('12:00', '12:10') }),
    makeEvent({ actor: 'a', object: 'M2', time: noon(2) }),
  ]);
});
afterAll(async () => {
  await f.close();
});

async function snapshot() {
  const range = { from: addDays(today(), -12), to: today() };
  const out: unknown[] = [];
  for (const id of ['active_users', 'reply_latency', 'reply_rate', 'active_rate']) out.push((await f.read(id, range)).body.points);
  return out;
}

describe('runs', () => {
  it('computes everything on the first incremental run and logs it in job_runs', async () => {
    const results = await runJobs(deps(), { mode: 'incremental', retries: 0 });
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(results.find((r) => r.job === 'activity-daily')?.range).toEqual({ from: addDays(today(), -5), to: today() });
    const logged = await f.warehouse.query(
      sql`SELECT job, status, rows FROM job_runs WHERE org = ${'acme'} AND job = 'activity-daily'`,
      z.object({ job: z.string(), status: z.string(), rows: z.coerce.number() }),
      { org: 'acme' },
    );
    // activity_daily: fin on days −5 and −2; activity_hourly (filled by the same job): their one noon hour each.
    expect(logged).toEqual([{ job: 'activity-daily', status: 'ok', rows: 4 }]);
    expect(valueAt((await f.read('reply_latency', { from: addDays(today(), -5), to: addDays(today(), -5) })).body, { period: addDays(today(), -5) })).toBe(600);
  });

  it('yields identical results when any range is re-run', async () => {
    const before = await snapshot();
    for (const range of [{ from: addDays(today(), -6), to: today() }, { from: addDays(today(), -3), to: addDays(today(), -1) }]) {
      expect((await runJobs(deps(), { range, retries: 0 })).filter((r) => r.error)).toEqual([]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('picks up a late event days later, recomputing only the days it can change', async () => {
    // c's event from 9 days ago arrives now (a second after the last run: received_at has whole seconds).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await f.send([makeEvent({ actor: 'c', time: noon(9) })]);
    const results = await runJobs(deps(), { mode: 'incremental', retries: 0, jobs: [activity, messages], watermarkSlackMs: 0 });
    const late = addDays(today(), -9);
    // activity: the late day and today; messages and responses: an event on X can change days
    // X − 31 … X + 31, so the late day's window (−40 … today) and today's (−31 … today) join.
    expect(results.filter((r) => r.job === 'activity-daily').map((r) => r.range)).toEqual([
      { from: late, to: late },
      { from: today(), to: today() },
    ]);
    expect(results.filter((r) => r.job === 'response-daily').map((r) => r.range)).toEqual([{ from: addDays(today(), -40), to: today() }]);
    expect(valueAt((await f.read('active_users', { from: late, to: late })).body, { period: late })).toBe(1);
  });

  it('rebuilds a job in full once a migration asks for it (job_rebuilds), once per organisation', async () => {
    // Requested "in the future" of the job clock on purpose: answering is matched by request, not by
    // time. The pause puts the last event's received_at (whole seconds) before this run's watermark.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await f.warehouse.insert('job_rebuilds', [{ job: 'activity-daily', requested_at: formatDateTime(Date.now() + 3_600_000) }]);
    const incremental = { mode: 'incremental' as const, retries: 0, jobs: [activity, messages], watermarkSlackMs: 0 };
    const rebuilt = await runJobs(deps(), incremental);
    // Every day with events (the late one, 9 days ago) to today. A run plans all its jobs from one
    // scan since the earliest watermark; with a job to rebuild, response-daily goes in full too.
    expect(rebuilt.filter((r) => r.job === 'activity-daily').map((r) => r.range)).toEqual([{ from: addDays(today(), -9), to: today() }]);
    expect(rebuilt.filter((r) => r.job === 'response-daily').map((r) => r.range)).toEqual([{ from: addDays(today(), -9), to: today() }]);
    const done = await f.warehouse.query(
      sql`SELECT job FROM job_rebuilds_done WHERE org = ${'acme'} AND requested_at > now()`,
      z.object({ job: z.string() }),
      { org: 'acme' },
    );
    expect(done.map((d) => d.job)).toEqual(['activity-daily']); // 052's own requests were answered by the first run
    // Answered: the next run is incremental again (today only, as nothing new arrived).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const after = await runJobs(deps(), incremental);
    expect(after.filter((r) => r.job === 'activity-daily').map((r) => r.range)).toEqual([{ from: today(), to: today() }]);
  });

  it('the nightly recompute covers the last 3 days and what their events can change', async () => {
    const results = await runJobs(deps(), { mode: 'recent', recentDays: 3, retries: 0, jobs: [activity, messages] });
    expect(results.map((r) => [r.job, r.range])).toEqual([
      ['activity-daily', { from: addDays(today(), -2), to: today() }],
      ['response-daily', { from: addDays(today(), -33), to: today() }],
    ]);
  });
});

describe('lock and retries', () => {
  it('never lets two runners hold the lock, and frees a crashed holder’s lock when it expires', async () => {
    const [first, second] = await Promise.all([
      acquireJobLock(f.warehouse, { name: 'race', ttlSec: 30 }),
      acquireJobLock(f.warehouse, { name: 'race', ttlSec: 30 }),
    ]);
    expect([first, second].filter(Boolean).length).toBeLessThanOrEqual(1);
    await first?.release();
    await second?.release();

    // A holder that crashed: it claimed the lock and will never renew or release it.
    const crashed = await acquireJobLock(f.warehouse, { ttlSec: 2, heartbeatMs: 3_600_000 });
    expect(crashed).toBeDefined();
    expect(await runJobs(deps(), { range: { from: today(), to: today() }, jobs: [activity] })).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const after = await runJobs(deps(), { range: { from: today(), to: today() }, jobs: [activity] });
    expect(after.map((r) => r.error ?? 'ok')).toEqual(['ok']);
  });

  it('retries a failing job and records every attempt in job_runs', async () => {
    let calls = 0;
    const flaky: Job = {
      name: 'flaky',
      schedule: '* * * * *',
      async run() {
        calls += 1;
        if (calls === 1) throw new Error('ClickHouse went away');
        return 7;
      },
    };
    const results = await runJobs(deps(), { range: { from: today(), to: today() }, jobs: [flaky], retries: 2, retryDelayMs: 10 });
    expect(results).toEqual([{ org: 'acme', job: 'flaky', range: { from: today(), to: today() }, rows: 7, attempts: 2, durationMs: expect.any(Number) }]);
    const logged = await f.warehouse.query(
      sql`SELECT status, rows, error FROM job_runs WHERE org = ${'acme'} AND job = 'flaky' ORDER BY status`,
      z.object({ status: z.string(), rows: z.coerce.number(), error: z.string() }),
      { org: 'acme' },
    );
    expect(logged).toEqual([
      { status: 'failed', rows: 0, error: 'attempt 1/3: ClickHouse went away' },
      { status: 'ok', rows: 7, error: '' },
    ]);
  });
});
