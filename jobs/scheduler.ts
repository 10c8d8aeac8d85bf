// The only place node-cron is wired: an incremental refresh every few minutes (the days touched by
// newly received events and directory changes) and a nightly recompute of the last 3 days for late
// events. Runs never overlap: within this process a busy flag, across processes the job lock.
import cron from 'node-cron';
import type { Job, JobDeps } from './job.ts';
import { JOBS } from './registry.ts';
import { runJobs, type RunJobsOptions } from './run-jobs.ts';

export interface Scheduler {
  stop(): Promise<void>;
}

export const INCREMENTAL_SCHEDULE = '*/5 * * * *';
export const NIGHTLY_SCHEDULE = '17 2 * * *';
export const NIGHTLY_DAYS = 3;

export function startScheduler(deps: JobDeps, jobs: readonly Job[] = JOBS): Scheduler {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const trigger = (label: string, options: RunJobsOptions) => {
    if (busy) {
      deps.log(`scheduler: skipping ${label}, the previous run is still going`);
      return;
    }
    busy = true;
    running = runJobs(deps, { ...options, jobs })
      .then((results) => {
        const failed = results.filter((r) => r.error).length;
        deps.log(`scheduler: ${label} done (${results.length} job runs${failed ? `, ${failed} failed` : ''})`);
      })
      .catch((err: unknown) => deps.log(`scheduler: ${label} failed: ${String(err)}`))
      .finally(() => {
        busy = false;
      });
  };
  const tasks = [
    cron.schedule(INCREMENTAL_SCHEDULE, () => trigger('incremental refresh', { mode: 'incremental' })),
    cron.schedule(NIGHTLY_SCHEDULE, () => trigger('nightly recompute', { mode: 'recent', recentDays: NIGHTLY_DAYS })),
  ];
  return {
    async stop() {
      for (const task of tasks) await task.stop();
      await running;
    },
  };
}
