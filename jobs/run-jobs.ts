// Runs jobs for every organisation, under the job lock, with retries, logging every attempt in
// job_runs. Modes: an explicit range (backfill), `all` (every day with events), `recent` (the last
// N days, the nightly recompute) and `incremental` (only the days touched by events received — or
// directory records changed — since the job's last successful run, so late events are picked up).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { listOrgs, type Org } from '../warehouse/orgs.ts';
import { formatDateTime } from '../warehouse/row-values.ts';
import { sql, timezone } from '../warehouse/sql.ts';
import { addDays, dayInTimezone } from './days.ts';
import type { DayRange, Job, JobDeps } from './job.ts';
import { acquireJobLock, type LockOptions } from './job-lock.ts';
import { rangesToRecompute, recentRange } from './plan-ranges.ts';
import { markRebuilt, pendingRebuilds } from './rebuild-requests.ts';
import { JOBS } from './registry.ts';

export interface RunJobsOptions {
  /** Explicit inclusive range of rollup days (backfill); otherwise `mode` decides. */
  range?: DayRange;
  /** Default `all`. */
  mode?: 'recent' | 'all' | 'incremental';
  /** Days the `recent` mode recomputes (default 3). */
  recentDays?: number;
  jobs?: readonly Job[];
  /** Extra attempts after a failure (default 2), `retryDelayMs` × attempt apart (default 2000). */
  retries?: number;
  retryDelayMs?: number;
  /** Take the job lock (default true); `false` only for callers that already hold it. */
  lock?: boolean;
  lockOptions?: LockOptions;
  /** How far before the last successful run `incremental` still looks for received events (default 10 min). */
  watermarkSlackMs?: number;
}

export interface JobRunResult {
  org: string;
  job: string;
  range: DayRange;
  rows: number;
  attempts: number;
  /** Wall-clock time of all attempts (the injected clock may be frozen in tests). */
  durationMs: number;
  error?: string;
}

/** Thrown-away results when another runner holds the lock: callers see an empty list and a log line. */
export const LOCK_BUSY: readonly JobRunResult[] = Object.freeze([]);

// Collector and job hosts may disagree about the time; look back this much further than the watermark.
export const WATERMARK_SLACK_MS = 10 * 60 * 1000;

const spanRow = z.object({ first: z.string(), last: z.string(), n: z.coerce.number() });
const dayRow = z.object({ d: z.string() });
const watermarkRow = z.object({ started: z.coerce.number(), n: z.coerce.number() });

async function eventSpan(deps: JobDeps, org: Org): Promise<DayRange | undefined> {
  const tz = timezone(org.timezone);
  const rows = await deps.warehouse.query(
    sql`SELECT if(count() = 0, '', toString(min(toDate(time, ${tz})))) AS first, if(count() = 0, '', toString(max(toDate(time, ${tz})))) AS last, count() AS n
        FROM events WHERE org = ${org.id}`,
    spanRow,
    { org: org.id },
  );
  const span = rows[0];
  return span && span.n > 0 ? { from: span.first, to: span.last } : undefined;
}

/** When the job last succeeded for the org (epoch ms), if ever. */
async function lastSuccess(deps: JobDeps, org: Org, job: Job): Promise<number | undefined> {
  const rows = await deps.warehouse.query(
    sql`SELECT toUInt64(max(started_at)) AS started, count() AS n FROM job_runs
        WHERE org = ${org.id} AND job = ${job.name} AND status = 'ok'`,
    watermarkRow,
    { org: org.id },
  );
  const row = rows[0];
  return row && row.n > 0 ? row.started * 1000 : undefined;
}

/** Local days touched since `since`: days of newly received events, and every day from the earliest changed directory version. */
async function touchedDays(deps: JobDeps, org: Org, after: Date, span: DayRange, today: string): Promise<string[]> {
  const tz = timezone(org.timezone);
  const events = await deps.warehouse.query(
    sql`SELECT DISTINCT toString(toDate(time, ${tz})) AS d FROM events WHERE org = ${org.id} AND received_at >= ${after}`,
    dayRow,
    { org: org.id },
  );
  const directory = await deps.warehouse.query(
    sql`SELECT toString(min(valid_from)) AS d FROM people WHERE org = ${org.id} AND updated_at >= ${after} HAVING count() > 0`,
    dayRow,
    { org: org.id },
  );
  const days = events.map((r) => r.d);
  const changedFrom = directory[0]?.d;
  if (changedFrom !== undefined) {
    // A directory change can move anyone's department or licence on any later day.
    const from = changedFrom > span.from ? changedFrom : span.from;
    for (let d = from; d <= today; d = addDays(d, 1)) days.push(d);
  }
  return days;
}

/** What every job's plan for one organisation shares; computed once per run (each is a scan of `events`). */
interface OrgPlanContext {
  today: string;
  span?: DayRange;
  /** Local days touched since a watermark (the earliest of the jobs' watermarks; see plannedRanges). */
  touched?: string[];
  /** Rebuilds asked of these jobs (job → request time) that this run answers: it plans them in full. */
  rebuilds: Map<string, string>;
}

async function orgPlanContext(deps: JobDeps, org: Org, jobs: readonly Job[], options: RunJobsOptions): Promise<OrgPlanContext> {
  const today = dayInTimezone(deps.clock.now(), org.timezone);
  const mode = options.mode ?? 'all';
  const none = new Map<string, string>();
  if (options.range || mode === 'recent') return { today, rebuilds: none };
  const pending = await pendingRebuilds(deps.warehouse, org.id);
  const rebuilds = new Map(jobs.filter((job) => pending.has(job.name)).map((job) => [job.name, pending.get(job.name)!]));
  const span = await eventSpan(deps, org);
  if (!span || mode !== 'incremental') return { today, ...(span ? { span } : {}), rebuilds };
  const watermarks = await Promise.all(jobs.map((job) => lastSuccess(deps, org, job)));
  // A job never run, or asked to rebuild: every job of this run goes over the whole span.
  if (rebuilds.size > 0 || watermarks.some((w) => w === undefined)) return { today, span, rebuilds };
  // One scan for all jobs, from the earliest watermark: a job whose last run is a little later
  // recomputes a few more days, never fewer.
  const since = Math.min(...(watermarks as number[]));
  const after = new Date(since - (options.watermarkSlackMs ?? WATERMARK_SLACK_MS));
  return { today, span, touched: await touchedDays(deps, org, after, span, today), rebuilds };
}

async function plannedRanges(job: Job, context: OrgPlanContext, options: RunJobsOptions): Promise<DayRange[]> {
  if (options.range) return [options.range];
  const affects = job.affects ?? { back: 0, forward: 0 };
  const { today, span, touched } = context;
  const mode = options.mode ?? 'all';
  if (mode === 'recent') return [recentRange(today, options.recentDays ?? 3, affects)];
  if (!span) return [];
  if (!touched) return [{ from: span.from, to: span.to > today ? span.to : today }];
  // Today is always refreshed: its headcount and activity change as the day goes on.
  const ranges = rangesToRecompute([...touched, today], affects, today);
  const first = ranges[0];
  const last = ranges.at(-1);
  return job.wholeOrg && first && last ? [{ from: first.from, to: last.to }] : ranges;
}

async function runWithRetries(deps: JobDeps, org: Org, job: Job, range: DayRange, options: RunJobsOptions): Promise<JobRunResult> {
  const attempts = 1 + (options.retries ?? 2);
  const began = performance.now();
  const elapsed = () => Math.round(performance.now() - began);
  let error = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const started = deps.clock.now();
    let rows = 0;
    try {
      rows = await job.run(deps, org, range);
      error = '';
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
      deps.log(`job ${job.name} failed for ${org.id} (${range.from}..${range.to}, attempt ${attempt}/${attempts}): ${error}`);
    }
    await deps.warehouse.insert('job_runs', [
      {
        org: org.id,
        job: job.name,
        run_id: randomUUID(),
        range_from: range.from,
        range_to: range.to,
        started_at: formatDateTime(started),
        finished_at: formatDateTime(deps.clock.now()),
        status: error ? 'failed' : 'ok',
        rows,
        error: error ? `attempt ${attempt}/${attempts}: ${error}` : '',
      },
    ]);
    if (!error) return { org: org.id, job: job.name, range, rows, attempts: attempt, durationMs: elapsed() };
    if (attempt < attempts) await sleep((options.retryDelayMs ?? 2000) * attempt);
  }
  return { org: org.id, job: job.name, range, rows: 0, attempts, durationMs: elapsed(), error };
}

export async function runJobs(deps: JobDeps, options: RunJobsOptions = {}): Promise<JobRunResult[]> {
  const lock = options.lock === false ? undefined : await acquireJobLock(deps.warehouse, options.lockOptions);
  if (options.lock !== false && !lock) {
    deps.log('jobs: another run holds the job lock; not starting');
    return [...LOCK_BUSY];
  }
  try {
    const results: JobRunResult[] = [];
    const jobs = options.jobs ?? JOBS;
    for (const org of await listOrgs(deps.warehouse)) {
      const context = await orgPlanContext(deps, org, jobs, options);
      for (const job of jobs) {
        const runs: JobRunResult[] = [];
        for (const range of await plannedRanges(job, context, options)) {
          runs.push(await runWithRetries(deps, org, job, range, options));
        }
        results.push(...runs);
        const requested = context.rebuilds.get(job.name);
        if (requested !== undefined && runs.every((r) => !r.error)) await markRebuilt(deps.warehouse, org.id, job.name, requested, deps.clock.now());
      }
    }
    return results;
  } finally {
    await lock?.release();
  }
}
