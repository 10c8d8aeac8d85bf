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
  /**
   * Which rollup days an event on local day X can change: X − back … X + forward (replies change
   * their message's day, completions their task's creation day). Default: only X.
   */
  affects?: { back: number; forward: number };
  /** Recomputes the whole organisation whatever the range (run once per refresh, not once per range). */
  wholeOrg?: boolean;
  /** Recomputes the org's rollup for the range; returns rows written. Re-running yields the same rows. */
  run(deps: JobDeps, org: Org, range: DayRange): Promise<number>;
}
