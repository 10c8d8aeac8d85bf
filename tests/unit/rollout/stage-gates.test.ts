// Stage gates from hand-computed inputs: each criterion's value, threshold and met/not met, and a
// step's status (met only when every criterion is met, unknown when one cannot be measured).
import { describe, expect, it } from 'vitest';
import { bestTwoWeekRate, evaluateStageGates, type GateInputs } from '../../../jobs/rollout/stage-gates.ts';

const base: GateInputs = {
  stages: { diagnose: '2025-07-07', commitment: '2025-07-21', pilot: '2025-08-04', integration: '2025-09-15', optimisation: '2025-10-20' },
  baselineDays: 28,
  kpis: 2,
  // Weeks: 0.80, 0.86, 0.90, 0.84 → adjacent pairs' lower values 0.80, 0.86, 0.84 → best 0.86.
  pilotWeeklyActive: [0.8, 0.86, 0.9, 0.84],
  // 7200 s → 4680 s: 4680 / 7200 − 1 = −0.35.
  pilotCrossTeamBaseline: 7200,
  pilotCrossTeamCurrent: 4680,
  automatedShare: 0.25,
  orgReach: 0.65,
};

const step = (gates: ReturnType<typeof evaluateStageGates>, id: string) => gates.stages.find((s) => s.step === id)!;

describe('bestTwoWeekRate', () => {
  it('is the best level held for two consecutive weeks', () => {
    expect(bestTwoWeekRate([0.8, 0.86, 0.9, 0.84])).toBe(0.86);
    expect(bestTwoWeekRate([0.95, 0.5, 0.95])).toBe(0.5);
  });
  it('needs two measured weeks in a row', () => {
    expect(bestTwoWeekRate([0.9])).toBeNull();
    expect(bestTwoWeekRate([0.9, null, 0.9])).toBeNull();
    expect(bestTwoWeekRate([])).toBeNull();
  });
});

describe('evaluateStageGates', () => {
  const gates = evaluateStageGates(base);

  it('passes diagnose with 28 ≥ 14 baseline days and commitment with 2 ≥ 1 KPIs', () => {
    expect(step(gates, 'diagnose')).toMatchObject({ start: '2025-07-07', met: true, criteria: [{ id: 'baseline-days', value: 28, threshold: 14, met: true }] });
    expect(step(gates, 'commitment')).toMatchObject({ met: true, criteria: [{ value: 2, threshold: 1, met: true }] });
  });

  it('passes the pilot on 0.86 ≥ 0.85 held two weeks and −35% ≤ −30% cross-team latency', () => {
    const pilot = step(gates, 'pilot');
    expect(pilot.met).toBe(true);
    expect(pilot.criteria[0]).toMatchObject({ id: 'pilot-weekly-active', value: 0.86, threshold: 0.85, comparison: '>=', met: true });
    expect(pilot.criteria[1]!.value).toBeCloseTo(-0.35, 12);
    expect(pilot.criteria[1]).toMatchObject({ id: 'pilot-cross-team-latency', threshold: -0.3, comparison: '<=', met: true });
  });

  it('fails the pilot when latency fell only 20% (5760 s vs 7200 s), whatever the adoption', () => {
    const pilot = step(evaluateStageGates({ ...base, pilotCrossTeamCurrent: 5760 }), 'pilot');
    expect(pilot.criteria[1]!.value).toBeCloseTo(-0.2, 12);
    expect(pilot.criteria[1]!.met).toBe(false);
    expect(pilot.met).toBe(false);
  });

  it('passes integration on 25% ≥ 20% automated and fails optimisation on 65% < 70% reach', () => {
    expect(step(gates, 'integration')).toMatchObject({ met: true, criteria: [{ value: 0.25, threshold: 0.2 }] });
    expect(step(gates, 'optimisation')).toMatchObject({ met: false, criteria: [{ value: 0.65, threshold: 0.7, met: false }] });
  });

  it('reports a step as unknown (null) when a criterion cannot be measured and none failed', () => {
    const pilot = step(evaluateStageGates({ ...base, pilotWeeklyActive: [0.9], pilotCrossTeamBaseline: null }), 'pilot');
    expect(pilot.criteria.map((c) => c.met)).toEqual([null, null]);
    expect(pilot.met).toBeNull();
    expect(step(evaluateStageGates({ ...base, kpis: 0, stages: {} }), 'commitment')).toMatchObject({ start: null, met: false });
  });
});
