// The rollout plan a simulated company follows (baseline, the five steps' start days, waves, pilot,
// ambassadors), in the shape of the organisation settings, so the demo and tests can save it.
import type { RolloutPlan } from '../contracts/settings.ts';
import { addDays } from '../jobs/days.ts';
import type { SimulatedCompany } from './generate-company.ts';
import { loadScenario } from './scenario.ts';

function titleOf(id: string): string {
  return id.replace(/[-_]/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
}

export function rolloutPlanOf(company: SimulatedCompany): RolloutPlan {
  const scenario = loadScenario(company.scenario);
  const dayOf = (n: number) => addDays(scenario.start, n);
  const waves = [...scenario.waves].sort((a, b) => a.startDay - b.startDay);
  const pilot = waves[0]!;
  const departmentsOf = (wave: string) => scenario.departments.filter((d) => d.wave === wave).map((d) => d.id);
  const pilotStart = dayOf(pilot.startDay);
  return {
    baseline: { from: company.from, to: addDays(pilotStart, -1) },
    stages: {
      diagnose: company.from,
      commitment: dayOf(Math.min(scenario.phases.kpiCommitmentDay, pilot.startDay)),
      pilot: pilotStart,
      waves: dayOf(waves[1]?.startDay ?? pilot.startDay),
      integration: dayOf(Math.max(scenario.phases.integrationDay, waves[1]?.startDay ?? pilot.startDay)),
      optimisation: dayOf(Math.max(scenario.phases.optimisationDay, scenario.phases.integrationDay, waves[1]?.startDay ?? pilot.startDay)),
    },
    waves: waves.map((w) => ({ id: w.id, name: titleOf(w.id), start: dayOf(w.startDay), departments: departmentsOf(w.id) })),
    pilotDepartments: departmentsOf(pilot.id),
    ambassadors: (company.directory.people ?? []).filter((p) => p.ambassador).map((p) => p.id),
  };
}
