// What a job is: a name, a cron schedule, and run(deps) over a range of days. Jobs get the
// warehouse and a clock, so tests control time; node-cron is wired only in scheduler.ts.
import type { Warehouse } from '../warehouse/client.ts';
import type { Org } from '../warehouse/orgs.ts';

export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

export interface JobDeps {
  warehouse: Warehouse;
  clock: Clock;
  log: (line: string) => void;
}

/** Inclusive range of days in the organisation's timezone. */
export interface DayRange {
  from: string;
  to: string;
}

export interface Job {
  name: string;
  /** node-cron expression for the incremental refresh. */
  schedule: string;
  /** Recomputes the org's rollup for the range; returns rows written. Re-running yields the same rows. */
  run(deps: JobDeps, org: Org, range: DayRange): Promise<number>;
}
