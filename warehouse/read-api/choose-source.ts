// The one decision between reading a rollup and computing from raw events. Rollups are the rule;
// raw events only fill a short range the jobs have not covered yet (e.g. today before the first
// refresh), because computing a long range from events would be slow and the rollup will catch up.

export type MetricSource = 'rollup' | 'events';

/** Ranges up to this many days may be computed from raw events when the rollup does not cover them. */
export const MAX_RAW_DAYS = 31;

export interface SourceChoiceInput {
  /** Days (or weeks, or 1 for whole-org rollups) the request needs from each rollup table. */
  needed: number;
  /** Of those, how many have a computed version, for the least covered table the metric reads. */
  covered: number;
  /** Days in the requested range. */
  rangeDays: number;
}

export function chooseSource({ needed, covered, rangeDays }: SourceChoiceInput): MetricSource {
  if (covered >= needed) return 'rollup';
  return rangeDays <= MAX_RAW_DAYS ? 'events' : 'rollup';
}
