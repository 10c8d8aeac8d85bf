// Difference-in-differences with a bootstrap interval: the effect of the rollout on the pilot, net
// of what happened to the control group over the same time.
//   effect = (pilot after − pilot before) − (control after − control before)
// Each of the four groups is a list of units (one per person, or one per day); the interval resamples
// each group's units with replacement (stratified bootstrap) and takes the 5th and 95th percentiles.
// Units are plain values (summarised by mean or median) or weighted values summarised by their
// weighted mean Σ value·weight ÷ Σ weight — with days as units and the day's denominator as weight
// (licensed people, or replies), that is the metric over the window itself, e.g. Σ active ÷ Σ licensed.
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

export interface WeightedUnit {
  value: number;
  weight: number;
}

export interface WeightedDidGroups {
  pilotBefore: readonly WeightedUnit[];
  pilotAfter: readonly WeightedUnit[];
  controlBefore: readonly WeightedUnit[];
  controlAfter: readonly WeightedUnit[];
}

/** Σ value·weight ÷ Σ weight (NaN without weight). */
export function weightedMean(units: readonly WeightedUnit[]): number {
  let total = 0;
  let weight = 0;
  for (const u of units) {
    total += u.value * u.weight;
    weight += u.weight;
  }
  return weight > 0 ? total / weight : Number.NaN;
}

type Groups<T> = { pilotBefore: readonly T[]; pilotAfter: readonly T[]; controlBefore: readonly T[]; controlAfter: readonly T[] };

function effectOf<T>(g: Groups<T>, summary: (units: readonly T[]) => number): { effect: number; pilotChange: number; controlChange: number } {
  const pilotChange = summary(g.pilotAfter) - summary(g.pilotBefore);
  const controlChange = summary(g.controlAfter) - summary(g.controlBefore);
  return { effect: pilotChange - controlChange, pilotChange, controlChange };
}

function resample<T>(values: readonly T[], random: () => number): T[] {
  const out = new Array<T>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[Math.floor(random() * values.length)]!;
  return out;
}

function bootstrapDid<T>(groups: Groups<T>, summary: (units: readonly T[]) => number, options: { resamples?: number; seed?: number }): DidResult {
  const resamples = options.resamples ?? 2000;
  for (const [name, values] of Object.entries(groups) as [string, readonly T[]][]) {
    if (values.length < 2) throw new InsufficientDataError(`${name} has ${values.length} values; at least 2 are needed`);
  }
  const point = effectOf(groups, summary);
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
        summary,
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

/** DiD of weighted units: each group's summary is its weighted mean (see the top of this file). */
export function diffInDiffWeighted(groups: WeightedDidGroups, options: { resamples?: number; seed?: number } = {}): DidResult {
  return bootstrapDid(groups, weightedMean, options);
}

export function diffInDiff(groups: DidGroups, options: { summary?: Summary; resamples?: number; seed?: number } = {}): DidResult {
  const how = options.summary ?? 'mean';
  return bootstrapDid(groups, (values) => summarise(values, how), options);
}
