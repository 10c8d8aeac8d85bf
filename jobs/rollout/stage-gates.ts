// The five steps' exit criteria, evaluated from the data. Defaults (docs/roi.md):
//   diagnose      a baseline window of ≥ 14 days
//   commitment    ≥ 1 KPI target saved (each has an owner by contract)
//   pilot         the pilot's weekly active rate ≥ 85 % in two consecutive weeks, and its cross-team
//                 reply latency over the last 28 days ≥ 30 % below its baseline (change ≤ −0.30)
//   integration   ≥ 20 % of workflow events automated over the last 30 days
//   optimisation  ≥ 70 % of licensed people active over the last 14 days, organisation-wide
// A step is met when every criterion is met, not met when one is not, unknown (null) otherwise.
import type { RolloutBody } from '../../contracts/rollout.ts';

export const GATE_THRESHOLDS = {
  baselineDays: 14,
  kpis: 1,
  pilotWeeklyActive: 0.85,
  pilotCrossTeamChange: -0.3,
  automatedShare: 0.2,
  orgReach: 0.7,
} as const;

export interface GateInputs {
  stages: Partial<Record<'diagnose' | 'commitment' | 'pilot' | 'integration' | 'optimisation', string>>;
  baselineDays: number | null;
  kpis: number;
  /** The pilot's weekly active rate, one value per consecutive ISO week, oldest first. */
  pilotWeeklyActive: readonly (number | null)[];
  pilotCrossTeamBaseline: number | null;
  pilotCrossTeamCurrent: number | null;
  automatedShare: number | null;
  orgReach: number | null;
}

/** The best level sustained for two consecutive weeks: max over adjacent pairs of the lower of the two. */
export function bestTwoWeekRate(weekly: readonly (number | null)[]): number | null {
  let best: number | null = null;
  for (let i = 1; i < weekly.length; i++) {
    const a = weekly[i - 1];
    const b = weekly[i];
    if (a === null || a === undefined || b === null || b === undefined) continue;
    const low = Math.min(a, b);
    if (best === null || low > best) best = low;
  }
  return best;
}

type Criterion = RolloutBody<'stage-gates'>['stages'][number]['criteria'][number];

function criterion(id: string, description: string, value: number | null, comparison: '>=' | '<=', threshold: number): Criterion {
  const met = value === null ? null : comparison === '>=' ? value >= threshold : value <= threshold;
  return { id, description, value, threshold, comparison, met };
}

function allMet(criteria: readonly Criterion[]): boolean | null {
  if (criteria.some((c) => c.met === false)) return false;
  return criteria.every((c) => c.met === true) ? true : null;
}

export function evaluateStageGates(input: GateInputs, t = GATE_THRESHOLDS): RolloutBody<'stage-gates'> {
  const change =
    input.pilotCrossTeamBaseline !== null && input.pilotCrossTeamCurrent !== null && input.pilotCrossTeamBaseline > 0
      ? input.pilotCrossTeamCurrent / input.pilotCrossTeamBaseline - 1
      : null;
  const steps: [RolloutBody<'stage-gates'>['stages'][number]['step'], Criterion[]][] = [
    ['diagnose', [criterion('baseline-days', 'days in the baseline window', input.baselineDays, '>=', t.baselineDays)]],
    ['commitment', [criterion('kpis-saved', 'KPI targets saved, each with an owner', input.kpis, '>=', t.kpis)]],
    [
      'pilot',
      [
        criterion('pilot-weekly-active', "pilot's weekly active rate, held two consecutive weeks", bestTwoWeekRate(input.pilotWeeklyActive), '>=', t.pilotWeeklyActive),
        criterion('pilot-cross-team-latency', "change in the pilot's cross-team reply latency vs its baseline", change, '<=', t.pilotCrossTeamChange),
      ],
    ],
    ['integration', [criterion('automated-share', 'share of workflow events automated (last 30 days)', input.automatedShare, '>=', t.automatedShare)]],
    ['optimisation', [criterion('org-reach', 'licensed people active in the last 14 days', input.orgReach, '>=', t.orgReach)]],
  ];
  return { stages: steps.map(([step, criteria]) => ({ step, start: input.stages[step] ?? null, criteria, met: allMet(criteria) })) };
}
