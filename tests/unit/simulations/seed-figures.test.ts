// The seed's figures (BRIEF.md) come out of the scenarios' behaviour, read off the ground truth
// before vs after the rollout (definitions in simulations/seed-figures.ts and docs/simulations.md).
import { describe, expect, it } from 'vitest';
import { generateCompany } from '../../../simulations/generate-company.ts';
import type { GroundTruth } from '../../../simulations/ground-truth.ts';
import { loadScenario } from '../../../simulations/scenario.ts';
import { formatSeedFigure, SEED_FIGURES, seedFigureCommand } from '../../../simulations/seed-figures.ts';

// One run per scenario (the figures of a scenario share it), generated on first use.
const truths = new Map<string, GroundTruth>();
function truthFor(f: (typeof SEED_FIGURES)[number], seed = f.seed): GroundTruth {
  const command = seedFigureCommand({ ...f, seed });
  let truth = truths.get(command);
  if (!truth) {
    const org = loadScenario(f.scenario).org;
    const size = { ...(f.people !== undefined ? { people: f.people } : {}), ...(f.days !== undefined ? { days: f.days } : {}) };
    truth = generateCompany({ scenario: f.scenario, seed, org, ...size }).groundTruth();
    truths.set(command, truth);
  }
  return truth;
}

describe('seed figures from the scenarios', () => {
  it('covers every figure the brief asks the scenarios to reproduce', () => {
    const scenarios = new Set(SEED_FIGURES.map((f) => f.scenario));
    expect(scenarios).toEqual(new Set(['hk-bank', 'manufacturing-inventory', 'retail-promo']));
    const figures = SEED_FIGURES.map((f) => f.figure).join('\n');
    for (const claim of ['90% daily active', 'decision cycle −37%', 'urgent compliance notice response −67%', 'to-do completion +52%', 'meeting length −30%', 'alert-to-action 72 h', 'alert-to-action 2 h', 'procurement cycle 5 days', 'procurement cycle 8 hours', 'fall out of step', 'recover']) {
      expect(figures).toContain(claim);
    }
    for (const f of SEED_FIGURES) expect(f.min <= f.claimed && f.claimed <= f.max, f.figure).toBe(true);
  });

  it.each(SEED_FIGURES.map((f) => [`${f.figure} (${f.scenario})`, f] as const))(
    '%s comes out within tolerance',
    (_name, f) => {
      const value = f.measure(truthFor(f));
      expect(value, `${f.figure}: measured ${formatSeedFigure(f, value)}, accepted ${formatSeedFigure(f, f.min)} to ${formatSeedFigure(f, f.max)}`).toBeGreaterThanOrEqual(f.min);
      expect(value, `${f.figure}: measured ${formatSeedFigure(f, value)}, accepted ${formatSeedFigure(f, f.min)} to ${formatSeedFigure(f, f.max)}`).toBeLessThanOrEqual(f.max);
    },
    60_000,
  );

  it.each(SEED_FIGURES.flatMap((f) => (f.alsoSeeds ?? []).map((seed) => [`${f.figure} (${f.scenario}, seed ${seed})`, f, seed] as const)))(
    '%s also comes out within tolerance',
    (_name, f, seed) => {
      const value = f.measure(truthFor(f, seed));
      const message = `${f.figure}, seed ${seed}: measured ${formatSeedFigure(f, value)}, accepted ${formatSeedFigure(f, f.min)} to ${formatSeedFigure(f, f.max)}`;
      expect(value, message).toBeGreaterThanOrEqual(f.min);
      expect(value, message).toBeLessThanOrEqual(f.max);
    },
    60_000,
  );
});
