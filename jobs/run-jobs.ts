// Runs every job for every organisation over a range, logging each run in job_runs.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { listOrgs, type Org } from '../warehouse/orgs.ts';
import { formatDateTime } from '../warehouse/row-values.ts';
import { sql } from '../warehouse/sql.ts';
import { addDays, dayInTimezone } from './days.ts';
import type { DayRange, Job, JobDeps } from './job.ts';
import { JOBS } from './registry.ts';

export interface RunJobsOptions {
  /** Explicit inclusive range; otherwise `mode` decides. */
  range?: DayRange;
  /** `recent`: the last `recentDays` local days (the scheduled refresh); `all`: every day with events. */
  mode?: 'recent' | 'all';
  recentDays?: number;
  jobs?: readonly Job[];
}

export interface JobRunResult {
  org: string;
  job: string;
  range: DayRange;
  rows: number;
  error?: string;
}

const spanRow = z.object({ first: z.string(), last: z.string(), n: z.coerce.number() });

async function rangeFor(deps: JobDeps, org: Org, options: RunJobsOptions): Promise<DayRange | undefined> {
  if (options.range) return options.range;
  if (options.mode === 'all') {
    const rows = await deps.warehouse.query(
      sql`SELECT toString(min(toDate(time, ${org.timezone}))) AS first, toString(max(toDate(time, ${org.timezone}))) AS last, count() AS n
          FROM events WHERE org = ${org.id}`,
      spanRow,
      { org: org.id },
    );
    const span = rows[0];
    return span && span.n > 0 ? { from: span.first, to: span.last } : undefined;
  }
  const today = dayInTimezone(deps.clock.now(), org.timezone);
  return { from: addDays(today, -((options.recentDays ?? 3) - 1)), to: today };
}

export async function runJobs(deps: JobDeps, options: RunJobsOptions = {}): Promise<JobRunResult[]> {
  const results: JobRunResult[] = [];
  for (const org of await listOrgs(deps.warehouse)) {
    const range = await rangeFor(deps, org, options);
    if (!range) continue;
    for (const job of options.jobs ?? JOBS) {
      const started = deps.clock.now();
      let rows = 0;
      let error: string | undefined;
      try {
        rows = await job.run(deps, org, range);
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
        deps.log(`job ${job.name} failed for ${org.id}: ${error}`);
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
          error: error ?? '',
        },
      ]);
      results.push({ org: org.id, job: job.name, range, rows, ...(error ? { error } : {}) });
    }
  }
  return results;
}
