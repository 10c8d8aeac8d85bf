// What every rollout computation of one organisation starts from: its saved settings (or the
// documented defaults), the rollout as planned — or inferred from the directory until a plan is saved
// (the wave named "pilot", else the earliest wave, is the pilot) — and the span of days with data.
import { z } from 'zod';
import type { KpiTarget, RoiAssumptions, RolloutPlan, Stage } from '../../contracts/settings.ts';
import type { Warehouse } from '../../warehouse/client.ts';
import { getSettings } from '../../warehouse/org-settings.ts';
import { currentSettingsVersion } from '../../warehouse/rollout-results.ts';
import { liveAdoption, readDataSpan } from '../../warehouse/queries/rollups/live-rows.ts';
import { sql } from '../../warehouse/sql.ts';
import { addDays } from '../days.ts';
import type { DayRange } from '../job.ts';
import { DEFAULT_ROI_ASSUMPTIONS } from './roi-assumptions.ts';

export interface Wave {
  id: string;
  name: string;
  start: string | undefined;
  departments: string[];
}

export interface RolloutContext {
  org: string;
  settingsVersion: string;
  plan: RolloutPlan | undefined;
  kpis: KpiTarget[] | undefined;
  roi: RoiAssumptions;
  roiSaved: boolean;
  pilotDepartments: string[];
  pilotStart: string | undefined;
  baseline: DayRange | undefined;
  stages: Partial<Record<Stage, string>>;
  waves: Wave[];
  /** department → its wave (the wave most of its people are in). */
  waveOf: Map<string, string>;
  ambassadors: string[];
  /** First and last day with activity or messages; undefined before any job wrote a rollup. */
  span: DayRange | undefined;
}

const waveRow = z.object({ department: z.string(), wave: z.string(), people: z.coerce.number() });
const startRow = z.object({ wave: z.string(), start: z.string() });
const ambassadorRow = z.object({ id: z.string() });


async function readWaves(warehouse: Warehouse, org: string): Promise<{ waveOf: Map<string, string>; waves: Wave[] }> {
  const [people, starts, firstActive] = await Promise.all([
    warehouse.query(
      sql`SELECT department, wave, count() AS people FROM (
            SELECT id, argMax(department, valid_from) AS department, argMax(wave, valid_from) AS wave FROM people FINAL WHERE org = ${org} GROUP BY id)
          GROUP BY department, wave ORDER BY department, wave`,
      waveRow,
      { org },
    ),
    warehouse.query(sql`SELECT wave, toString(argMax(start_day, updated_at)) AS start FROM waves WHERE org = ${org} GROUP BY wave ORDER BY wave`, startRow, { org }),
    // Until a plan names wave start days, a wave starts when its first people activated.
    warehouse.query(
      sql`SELECT wave, toString(min(activated)) AS start FROM adoption_people
          WHERE org = ${org} AND activated IS NOT NULL AND wave != ''
            AND ${liveAdoption(org)}
          GROUP BY wave ORDER BY wave`,
      startRow,
      { org },
    ),
  ]);
  const best = new Map<string, { wave: string; people: number }>();
  const ids = new Set<string>();
  for (const r of people) {
    if (r.wave) ids.add(r.wave);
    const current = best.get(r.department);
    if (!current || r.people > current.people) best.set(r.department, { wave: r.wave, people: r.people });
  }
  const waveOf = new Map([...best.entries()].map(([d, b]) => [d, b.wave]));
  const startOf = new Map([...firstActive, ...starts].map((s) => [s.wave, s.start]));
  for (const s of [...starts, ...firstActive]) ids.add(s.wave);
  const waves = [...ids]
    .sort()
    .map((id) => ({ id, name: id, start: startOf.get(id), departments: [...waveOf.entries()].filter(([, w]) => w === id).map(([d]) => d).sort() }))
    .sort((a, b) => (a.start ?? '9999').localeCompare(b.start ?? '9999') || a.id.localeCompare(b.id));
  return { waveOf, waves };
}

export async function readRolloutContext(warehouse: Warehouse, org: string): Promise<RolloutContext> {
  const [plan, kpis, roi, settingsVersion, span, directory, flagged] = await Promise.all([
    getSettings(warehouse, org, 'rollout'),
    getSettings(warehouse, org, 'kpis'),
    getSettings(warehouse, org, 'roi'),
    currentSettingsVersion(warehouse, org),
    readDataSpan(warehouse, org),
    readWaves(warehouse, org),
    warehouse.query(
      sql`SELECT id FROM (SELECT id, argMax(ambassador, valid_from) AS ambassador FROM people FINAL WHERE org = ${org} GROUP BY id) WHERE ambassador = 1 ORDER BY id`,
      ambassadorRow,
      { org },
    ),
  ]);
  const common = {
    org,
    settingsVersion,
    plan: plan?.value,
    kpis: kpis?.value,
    roi: roi?.value ?? DEFAULT_ROI_ASSUMPTIONS,
    roiSaved: roi !== undefined,
    waveOf: directory.waveOf,
    span,
  };
  const p = plan?.value;
  if (p) {
    const waveOf = new Map(directory.waveOf);
    for (const w of p.waves) for (const d of w.departments) waveOf.set(d, w.id);
    return {
      ...common,
      waveOf,
      pilotDepartments: p.pilotDepartments,
      pilotStart: p.stages.pilot,
      baseline: p.baseline,
      stages: p.stages,
      waves: p.waves.map((w) => ({ id: w.id, name: w.name, start: w.start, departments: w.departments })),
      ambassadors: p.ambassadors.length > 0 ? p.ambassadors : flagged.map((a) => a.id),
    };
  }
  const pilot = directory.waves.find((w) => w.id.toLowerCase().includes('pilot')) ?? directory.waves.find((w) => w.start !== undefined);
  const pilotStart = pilot?.start;
  const baseline = pilotStart && span && span.from < pilotStart ? { from: span.from, to: addDays(pilotStart, -1) } : undefined;
  return {
    ...common,
    pilotDepartments: pilot?.departments ?? [],
    pilotStart,
    baseline,
    stages: { ...(baseline ? { diagnose: baseline.from } : {}), ...(pilotStart ? { pilot: pilotStart } : {}) },
    waves: directory.waves,
    ambassadors: flagged.map((a) => a.id),
  };
}
