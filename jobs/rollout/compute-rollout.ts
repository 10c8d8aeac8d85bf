// Computes every rollout section for one organisation as of its last day with data: reads the
// rollout context and the pilot/control series once, then runs each section's computation.
import { z } from 'zod';
import type { RolloutResults } from '../../contracts/rollout.ts';
import type { Warehouse } from '../../warehouse/client.ts';
import { departmentSubtree } from '../../warehouse/department-subtree.ts';
import type { Org } from '../../warehouse/orgs.ts';
import { sql } from '../../warehouse/sql.ts';
import { addDays, dayDiff, mondayOf } from '../days.ts';
import type { DayRange } from '../job.ts';
import { computeAdoption } from './compute-adoption.ts';
import { computeAmbassadors } from './compute-ambassadors.ts';
import { computeDiagnose } from './compute-diagnose.ts';
import { computeKpis, computePilotVsControl, computeRoiSection, CURRENT_DAYS } from './compute-effects-and-roi.ts';
import { computeIntegration } from './compute-integration.ts';
import { computeOptimisation } from './compute-optimisation.ts';
import { readSeries, type Series } from './daily-series.ts';
import { metricValue } from './effects.ts';
import { dayRange, liveRows } from './live-rows.ts';
import { readRolloutContext, type RolloutContext } from './rollout-context.ts';
import { evaluateStageGates } from './stage-gates.ts';

const weekRow = z.object({ w: z.string(), active: z.coerce.number() });
const weekHeadRow = z.object({ w: z.string(), licensed: z.coerce.number() });

export interface ComputedRollout {
  results: RolloutResults;
  settingsVersion: string;
  range: DayRange;
}

/** The pilot's weekly active rate (distinct active licensed people ÷ average licensed) for each full week from the pilot's start. */
async function pilotWeeklyActive(warehouse: Warehouse, org: string, pilot: readonly string[], pilotStart: string | undefined, end: string): Promise<(number | null)[]> {
  if (!pilotStart || pilot.length === 0) return [];
  const first = mondayOf(pilotStart) === pilotStart ? pilotStart : addDays(mondayOf(pilotStart), 7);
  const last = addDays(mondayOf(addDays(end, 1)), -1);
  if (first > last) return [];
  const range = { from: first, to: last };
  const [active, heads] = await Promise.all([
    warehouse.query(
      sql`SELECT toString(toMonday(day)) AS w, uniqExactIfMerge(licensed_people) AS active FROM activity_daily
          WHERE org = ${org} AND has(${pilot}, department) AND ${dayRange(range)} AND ${liveRows('activity_daily', org, range)} GROUP BY w ORDER BY w`,
      weekRow,
      { org },
    ),
    warehouse.query(
      sql`SELECT toString(toMonday(day)) AS w, sum(licensed) / uniqExact(day) AS licensed FROM headcount_daily
          WHERE org = ${org} AND has(${pilot}, department) AND ${dayRange(range)} AND ${liveRows('headcount_daily', org, range)} GROUP BY w ORDER BY w`,
      weekHeadRow,
      { org },
    ),
  ]);
  const activeOf = new Map(active.map((a) => [a.w, a.active]));
  const licensedOf = new Map(heads.map((h) => [h.w, h.licensed]));
  const out: (number | null)[] = [];
  for (let w = first; w <= last; w = addDays(w, 7)) {
    const l = licensedOf.get(w) ?? 0;
    out.push(l > 0 ? Math.min(1, (activeOf.get(w) ?? 0) / l) : null);
  }
  return out;
}

/** Every section, or undefined when the organisation has no computed rollups yet (nothing to compute from). */
export async function computeRollout(warehouse: Warehouse, org: Org, today: string): Promise<ComputedRollout | undefined> {
  const ctx = await readRolloutContext(warehouse, org.id);
  if (!ctx.span) return undefined;
  const end = ctx.span.to < today ? ctx.span.to : today;
  const span = { from: ctx.span.from, to: end };
  const series = await readSeries(warehouse, org.id, span, ctx.pilotDepartments);
  const departmentSeries = await readDepartmentSeries(warehouse, org.id, span, ctx);
  const { body: pilotVsControl, effects } = computePilotVsControl(series, ctx, end);
  const [diagnose, adoption, ambassadors, integration, weekly] = await Promise.all([
    computeDiagnose(warehouse, ctx, end),
    computeAdoption(warehouse, series, ctx, span),
    computeAmbassadors(warehouse, ctx, org.timezone),
    computeIntegration(warehouse, ctx, span, org.timezone),
    pilotWeeklyActive(warehouse, org.id, ctx.pilotDepartments, ctx.pilotStart, end),
  ]);
  const ambassadorsByDepartment = new Map(ambassadors.departments.map((d) => [d.department, d.ambassadors]));
  const optimisation = await computeOptimisation(warehouse, ctx, span, { ambassadorsByDepartment, funnel: adoption.funnel });
  const roi = await computeRoiSection(warehouse, series, ctx, end, effects, pilotVsControl.windows, integration.manualOperationsSavedPerMonth);
  const current = { from: addDays(end, -(CURRENT_DAYS - 1)), to: end };
  const reachOf = (rows: typeof optimisation.departments) => {
    const licensed = rows.reduce((s, d) => s + d.licensed, 0);
    return licensed > 0 ? rows.reduce((s, d) => s + d.active, 0) / licensed : null;
  };
  const stageGates = evaluateStageGates({
    stages: { ...ctx.stages, diagnose: ctx.stages.diagnose ?? diagnose.window.from },
    baselineDays: dayDiff(diagnose.window.from, diagnose.window.to) + 1,
    kpis: ctx.kpis?.length ?? 0,
    pilotWeeklyActive: weekly,
    pilotCrossTeamBaseline: ctx.baseline ? metricValue(series, 'cross_team_reply_latency', ctx.baseline, 1) : null,
    pilotCrossTeamCurrent: ctx.pilotStart ? metricValue(series, 'cross_team_reply_latency', current, 1) : null,
    automatedShare: integration.last30Days.share,
    orgReach: reachOf(optimisation.departments),
  });
  return {
    results: { diagnose, kpis: computeKpis(series, ctx, end, departmentSeries), 'pilot-vs-control': pilotVsControl, adoption, ambassadors, integration, optimisation, 'stage-gates': stageGates, roi },
    settingsVersion: ctx.settingsVersion,
    range: span,
  };
}

const departmentRow = z.object({ id: z.string(), parent: z.string() });

/** For each department a saved KPI is scoped to: the daily series with its subtree as group 1. */
async function readDepartmentSeries(warehouse: Warehouse, org: string, span: DayRange, ctx: RolloutContext): Promise<Map<string, Series>> {
  const wanted = [...new Set((ctx.kpis ?? []).flatMap((k) => (k.department === null ? [] : [k.department])))];
  const out = new Map<string, Series>();
  if (wanted.length === 0) return out;
  const departments = await warehouse.query(sql`SELECT id, parent FROM departments FINAL WHERE org = ${org} ORDER BY id`, departmentRow, { org });
  for (const id of wanted) {
    if (!departments.some((d) => d.id === id)) continue;
    out.set(id, await readSeries(warehouse, org, span, [...departmentSubtree(departments, id)].sort()));
  }
  return out;
}
