// Difference-in-differences: exact on a hand example, and an interval that covers the true effect
// about 90% of the time on simulated data with a known effect.
import { describe, expect, it } from 'vitest';
import { diffInDiff, diffInDiffWeighted, InsufficientDataError, percentile, summarise, weightedMean } from '../../../jobs/rollout/diff-in-diff.ts';
import { seededRandom } from '../../../jobs/rollout/seeded-random.ts';

describe('diffInDiff', () => {
  it('is (pilot after − before) − (control after − before)', () => {
    const r = diffInDiff({ pilotBefore: [1, 2, 3], pilotAfter: [5, 6, 7], controlBefore: [1, 2, 3], controlAfter: [2, 3, 4] });
    expect(r.pilotChange).toBe(4);
    expect(r.controlChange).toBe(1);
    expect(r.effect).toBe(3);
    expect(r.low).toBeLessThanOrEqual(3);
    expect(r.high).toBeGreaterThanOrEqual(3);
  });

  it('uses medians when asked', () => {
    const r = diffInDiff({ pilotBefore: [1, 2, 100], pilotAfter: [1, 1, 1], controlBefore: [5, 5, 5], controlAfter: [5, 5, 5] }, { summary: 'median' });
    expect(r.effect).toBe(-1);
  });

  it('refuses groups with fewer than two values', () => {
    expect(() => diffInDiff({ pilotBefore: [1], pilotAfter: [1, 2], controlBefore: [1, 2], controlAfter: [1, 2] })).toThrow(InsufficientDataError);
  });

  it('is reproducible for a seed', () => {
    const g = { pilotBefore: [1, 4, 2, 8], pilotAfter: [3, 9, 4, 1], controlBefore: [2, 2, 5, 1], controlAfter: [7, 1, 3, 3] };
    expect(diffInDiff(g, { seed: 7 })).toEqual(diffInDiff(g, { seed: 7 }));
  });

  it('covers a known true effect in roughly 90% of simulated studies', () => {
    const trueEffect = -2;
    const random = seededRandom(2024);
    const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const sample = (n: number, mean: number) => Array.from({ length: n }, () => mean + 3 * normal());
    let covered = 0;
    const studies = 200;
    for (let s = 0; s < studies; s++) {
      const r = diffInDiff(
        { pilotBefore: sample(40, 10), pilotAfter: sample(40, 10 + 1 + trueEffect), controlBefore: sample(40, 12), controlAfter: sample(40, 12 + 1) },
        { resamples: 400, seed: s + 1 },
      );
      if (r.low <= trueEffect && trueEffect <= r.high) covered++;
    }
    expect(covered / studies).toBeGreaterThan(0.8);
    expect(covered / studies).toBeLessThan(0.97);
  });
});

describe('diffInDiffWeighted', () => {
  // Days as units, weighted by their denominator: each group's summary is the ratio of sums.
  // Pilot before: (2·10 + 4·30) / 40 = 3.5; after: (1·10 + 2·10) / 20 = 1.5 → change −2.
  // Control before: (5·20 + 7·20) / 40 = 6; after: (6·30 + 6·10) / 40 = 6 → change 0. Effect −2.
  const groups = {
    pilotBefore: [{ value: 2, weight: 10 }, { value: 4, weight: 30 }],
    pilotAfter: [{ value: 1, weight: 10 }, { value: 2, weight: 10 }],
    controlBefore: [{ value: 5, weight: 20 }, { value: 7, weight: 20 }],
    controlAfter: [{ value: 6, weight: 30 }, { value: 6, weight: 10 }],
  };

  it('is the difference of the weighted means (the metric over each window)', () => {
    const r = diffInDiffWeighted(groups, { resamples: 200, seed: 3 });
    expect(r.pilotChange).toBe(-2);
    expect(r.controlChange).toBe(0);
    expect(r.effect).toBe(-2);
    expect(r.low).toBeLessThanOrEqual(-2);
    expect(r.high).toBeGreaterThanOrEqual(-2);
    expect(weightedMean([{ value: 1, weight: 0 }])).toBeNaN();
  });

  it('refuses groups with fewer than two days', () => {
    expect(() => diffInDiffWeighted({ ...groups, controlAfter: [{ value: 6, weight: 30 }] })).toThrow(InsufficientDataError);
  });
});

describe('summaries', () => {
  it('computes mean, median and interpolated percentiles', () => {
    expect(summarise([1, 2, 3, 10], 'mean')).toBe(4);
    expect(summarise([1, 2, 3, 10], 'median')).toBe(2.5);
    expect(percentile([0, 10], 0.05)).toBeCloseTo(0.5, 12);
    expect(percentile([1, 2, 3, 4, 5], 0.5)).toBe(3);
  });
});
