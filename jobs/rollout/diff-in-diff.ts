// Difference-in-differences with a bootstrap interval: the effect of the rollout on the pilot, net
// of what happened to the control group over the same time.
//   effect = (pilot after − pilot before) − (control after − control before)
// Each of the four groups is a list of unit values (one per person, or one per day); the interval
// resamples each group with replacement (stratified bootstrap) and takes the 5th and 95th percentiles.
import { seededRandom } from './seeded-random.ts';

export interface DidGroups {
  pilotBefore: readonly number[];
  pilotAfter: readonly number[];
  controlBefore: readonly number[];
  controlAfter: readonly number[];
}

export type Summary = 'mean' | 'median';

export interface DidResult {
  effect: number;
  /** 90% bootstrap interval [5th, 95th percentile]. */
  low: number;
  high: number;
  pilotChange: number;
  controlChange: number;
  n: { pilotBefore: number; pilotAfter: number; controlBefore: number; controlAfter: number };
  resamples: number;
}

export class InsufficientDataError extends Error {
  override name = 'InsufficientDataError';
}

export function summarise(values: readonly number[], how: Summary): number {
  if (values.length === 0) return Number.NaN;
  if (how === 'mean') return values.reduce((a, b) => a + b, 0) / values.length;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Percentile with linear interpolation between closest ranks (p in 0..1). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

function effectOf(g: DidGroups, how: Summary): { effect: number; pilotChange: number; controlChange: number } {
  const pilotChange = summarise(g.pilotAfter, how) - summarise(g.pilotBefore, how);
  const controlChange = summarise(g.controlAfter, how) - summarise(g.controlBefore, how);
  return { effect: pilotChange - controlChange, pilotChange, controlChange };
}

function resample(values: readonly number[], random: () => number): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[Math.floor(random() * values.length)]!;
  return out;
}

export function diffInDiff(groups: DidGroups, options: { summary?: Summary; resamples?: number; seed?: number } = {}): DidResult {
  const how = options.summary ?? 'mean';
  const resamples = options.resamples ?? 2000;
  for (const [name, values] of Object.entries(groups) as [string, readonly number[]][]) {
    if (values.length < 2) throw new InsufficientDataError(`${name} has ${values.length} values; at least 2 are needed`);
  }
  const point = effectOf(groups, how);
  const random = seededRandom(options.seed ?? 1);
  const effects: number[] = [];
  for (let i = 0; i < resamples; i++) {
    effects.push(
      effectOf(
        {
          pilotBefore: resample(groups.pilotBefore, random),
          pilotAfter: resample(groups.pilotAfter, random),
          controlBefore: resample(groups.controlBefore, random),
          controlAfter: resample(groups.controlAfter, random),
        },
        how,
      ).effect,
    );
  }
  effects.sort((a, b) => a - b);
  return {
    ...point,
    low: percentile(effects, 0.05),
    high: percentile(effects, 0.95),
    n: {
      pilotBefore: groups.pilotBefore.length,
      pilotAfter: groups.pilotAfter.length,
      controlBefore: groups.controlBefore.length,
      controlAfter: groups.controlAfter.length,
    },
    resamples,
  };
}
