// The rollout as the pages see it: pilot departments, the pilot's start, the baseline window and the
// waves — from the saved rollout plan, or inferred from the directory (the earliest wave, or one
// named "pilot", is the pilot) until a plan is saved.
import { addDays, type DayRange } from '$lib/date-range.ts';
import type { Stage } from '$contracts/settings.ts';
import type { DirectoryInfo } from './directory.ts';
import type { OrgSettings } from './settings.ts';

export interface RolloutContext {
  pilotDepartments: string[];
  pilotStart: string | undefined;
  baseline: DayRange | undefined;
  stages: Partial<Record<Stage, string>>;
  waves: { id: string; name: string; start: string | undefined; departments: string[] }[];
  fromPlan: boolean;
}

export function rolloutContext(settings: OrgSettings, directory: DirectoryInfo): RolloutContext {
  const plan = settings.plan;
  if (plan) {
    return {
      pilotDepartments: plan.pilotDepartments,
      pilotStart: plan.stages.pilot,
      baseline: plan.baseline,
      stages: plan.stages,
      waves: plan.waves.map((w) => ({ id: w.id, name: w.name, start: w.start, departments: w.departments })),
      fromPlan: true,
    };
  }
  const departmentsOf = (wave: string) => [...directory.waveOf.entries()].filter(([, w]) => w === wave).map(([d]) => d);
  const waves = directory.waves.map((w) => ({ id: w.id, name: w.id, start: w.start, departments: departmentsOf(w.id) }));
  const pilot = waves.find((w) => w.id.toLowerCase().includes('pilot')) ?? waves.find((w) => w.start !== undefined);
  const pilotStart = pilot?.start;
  const first = directory.firstDay;
  const baseline = pilotStart && first && first < pilotStart ? { from: first, to: addDays(pilotStart, -1) } : undefined;
  return {
    pilotDepartments: pilot?.departments ?? [],
    pilotStart,
    baseline,
    stages: { ...(baseline ? { diagnose: baseline.from } : {}), ...(pilotStart ? { pilot: pilotStart } : {}) },
    waves,
    fromPlan: false,
  };
}
