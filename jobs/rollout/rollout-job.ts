// Job: computes every rollout section per organisation (diagnose, KPIs, pilot vs control, adoption,
// ambassadors, integration, optimisation, stage gates, ROI) from the rollups and stores the results
// (warehouse/rollout-results.ts), so pages and the read API only read stored rows. It runs after the
// rollup jobs (jobs/registry.ts) and recomputes the whole organisation whatever the range. Saving
// settings recomputes at once through recomputeRollout, under the same job lock as scheduled runs.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Warehouse } from '../../warehouse/client.ts';
import type { Org } from '../../warehouse/orgs.ts';
import { formatDateTime } from '../../warehouse/row-values.ts';
import { writeRolloutResults } from '../../warehouse/rollout-results.ts';
import { dayInTimezone } from '../days.ts';
import type { Clock, Job, JobDeps } from '../job.ts';
import { acquireJobLock, type LockOptions } from '../job-lock.ts';
import { computeRollout } from './compute-rollout.ts';

export const ROLLOUT_JOB_NAME = 'rollout';

async function computeAndStore(deps: JobDeps, org: Org): Promise<number> {
  const today = dayInTimezone(deps.clock.now(), org.timezone);
  const computed = await computeRollout(deps.warehouse, org, today);
  if (!computed) {
    deps.log(`rollout: ${org.id} has no computed rollups yet; nothing to store`);
    return 0;
  }
  return writeRolloutResults(deps.warehouse, org.id, computed.results, { computedAt: deps.clock.now(), settingsVersion: computed.settingsVersion, range: computed.range });
}

export const rolloutJob: Job = {
  name: ROLLOUT_JOB_NAME,
  schedule: '*/5 * * * *',
  // Every section is computed over the organisation's whole span, whatever the range asked for.
  wholeOrg: true,
  run: (deps, org) => computeAndStore(deps, org),
};

export interface RecomputeOptions {
  clock?: Clock;
  log?: (line: string) => void;
  /** How long to keep trying when a scheduled run holds the job lock (default 20 s). */
  waitMs?: number;
  lockOptions?: LockOptions;
}

export type RecomputeOutcome = { status: 'computed'; sections: number } | { status: 'busy' } | { status: 'failed'; error: string };

/**
 * Recomputes one organisation's rollout results now (after a settings save). Takes the job lock, so
 * it never overlaps a scheduled run; if a run holds it, retries until `waitMs`, then reports `busy`
 * (the next scheduled run recomputes with the new settings, and the pages say the results predate
 * them until then). Logged in job_runs like a scheduled run.
 */
export async function recomputeRollout(warehouse: Warehouse, org: Org, options: RecomputeOptions = {}): Promise<RecomputeOutcome> {
  const clock = options.clock ?? { now: () => Date.now() };
  const log = options.log ?? ((line: string) => console.warn(line));
  const deadline = performance.now() + (options.waitMs ?? 20_000);
  let lock = await acquireJobLock(warehouse, options.lockOptions);
  while (!lock && performance.now() < deadline) {
    await sleep(500);
    lock = await acquireJobLock(warehouse, options.lockOptions);
  }
  if (!lock) return { status: 'busy' };
  const started = clock.now();
  let outcome: RecomputeOutcome;
  try {
    outcome = { status: 'computed', sections: await computeAndStore({ warehouse, clock, log }, org) };
  } catch (err) {
    outcome = { status: 'failed', error: err instanceof Error ? err.message : String(err) };
    log(`rollout: recomputing ${org.id} after a settings save failed: ${outcome.error}`);
  } finally {
    await lock.release();
  }
  const today = dayInTimezone(started, org.timezone);
  await warehouse.insert('job_runs', [
    {
      org: org.id,
      job: ROLLOUT_JOB_NAME,
      run_id: randomUUID(),
      range_from: today,
      range_to: today,
      started_at: formatDateTime(started),
      finished_at: formatDateTime(clock.now()),
      status: outcome.status === 'computed' ? 'ok' : 'failed',
      rows: outcome.status === 'computed' ? outcome.sections : 0,
      error: outcome.status === 'failed' ? outcome.error : '',
    },
  ]);
  return outcome;
}
