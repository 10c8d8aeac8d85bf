// The only place node-cron is wired: each job's incremental refresh on its own schedule, plus a
// nightly recompute of the last 3 days for late events. Runs never overlap within this process.
import cron from 'node-cron';
import type { Job, JobDeps } from './job.ts';
import { JOBS } from './registry.ts';
import { runJobs, type RunJobsOptions } from './run-jobs.ts';

export interface Scheduler {
  stop(): Promise<void>;
}

export const NIGHTLY_SCHEDULE = '17 2 * * *';

export function startScheduler(deps: JobDeps, jobs: readonly Job[] = JOBS): Scheduler {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const trigger = (label: string, options: RunJobsOptions) => {
    if (busy) {
      deps.log(`scheduler: skipping ${label}, the previous run is still going`);
      return;
    }
    busy = true;
    running = runJobs(deps, options)
      .then((results) => deps.log(`scheduler: ${label} done (${results.length} job runs)`))
      .catch((err: unknown) => deps.log(`scheduler: ${label} failed: ${String(err)}`))
      .finally(() => {
        busy = false;
      });
  };
  const tasks = [
    ...jobs.map((job) => cron.schedule(job.schedule, () => trigger(job.name, { mode: 'recent', recentDays: 2, jobs: [job] }))),
    cron.schedule(NIGHTLY_SCHEDULE, () => trigger('nightly', { mode: 'recent', recentDays: 3, jobs })),
  ];
  return {
    async stop() {
      for (const task of tasks) await task.stop();
      await running;
    },
  };
}
