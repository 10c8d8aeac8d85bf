// Steps 2 and 3 and the ROI: KPI progress against the saved targets (or the seed's headline targets
// while none are saved), pilot-vs-control effects per KPI metric, and ROI low/base/high whose every
// per-person benefit is a difference-in-differences effect (the pilot beyond the control group).
import { z } from 'zod';
import { isKpiMetric, KPI_METRICS, METRIC_UNITS, type KpiMetric, type RolloutBody } from '../../contracts/rollout.ts';
import type { Warehouse } from '../../warehouse/client.ts';
import { sql } from '../../warehouse/sql.ts';
import { addDays } from '../days.ts';
import type { DayRange } from '../job.ts';
import type { Series } from './daily-series.ts';
import { controlStartOf, didWindows, estimateEffect, metricValue, type Effect } from './effects.ts';
import { kpiProgress } from './kpi-progress.ts';
import { within } from './live-rows.ts';
import { computeRoiRange, type RoiMeasures } from './roi.ts';
import type { RolloutContext } from './rollout-context.ts';

const levelRow = z.object({ level: z.string(), people: z.coerce.number() });

/** KPI "current" values are over the last 28 days. */
export const CURRENT_DAYS = 28;

/** The default KPIs while none are saved: the seed's headline targets. */
function defaultKpis(pilotStart: string): { id: string; metric: KpiMetric; target: (b: number) => number; deadline: string }[] {
  const deadline = addDays(pilotStart, 182);
  return [
    { id: 'daily-active', metric: 'active_rate', target: () => 0.9, deadline },
    { id: 'cross-team-response', metric: 'cross_team_reply_latency', target: (b: number) => b * 0.5, deadline },
    { id: 'approval-cycle', metric: 'approval_cycle_time', target: (b: number) => b * 0.63, deadline },
  ];
}

/**
 * KPI progress. `departmentSeries` gives, for a KPI scoped to one department, the same daily series
 * with that department's subtree as group 1, so a department's KPI is measured exactly like the
 * organisation's, on its own people (docs/roi.md).
 */
export function computeKpis(series: Series, ctx: RolloutContext, end: string, departmentSeries: ReadonlyMap<string, Series> = new Map()): RolloutBody<'kpis'> {
  const current = { from: addDays(end, -(CURRENT_DAYS - 1)), to: end };
  const rows: RolloutBody<'kpis'>['rows'] = [];
  const progressOf = (baseline: number | null, target: number, now: number | null, start: string, deadline: string) =>
    baseline !== null && now !== null && target !== baseline ? kpiProgress({ baseline, target, current: now, start, deadline, today: end }) : null;
  if (ctx.kpis && ctx.kpis.length > 0) {
    for (const k of ctx.kpis) {
      const known = isKpiMetric(k.metric);
      const scoped = k.department === null ? undefined : departmentSeries.get(k.department);
      // A department KPI whose department has no series (not in the directory) has no value, not the org's.
      const source = k.department === null ? series : scoped;
      const group = k.department === null ? undefined : 1;
      const baseline = known && source ? metricValue(source, k.metric as KpiMetric, k.baseline, group) : null;
      const now = known && source ? metricValue(source, k.metric as KpiMetric, current, group) : null;
      const p = progressOf(baseline, k.target, now, k.baseline.to, k.deadline);
      rows.push({ id: k.id, metric: k.metric, unit: known ? METRIC_UNITS[k.metric as KpiMetric] : null, owner: k.owner, baselineWindow: k.baseline, baseline, target: k.target, current: now, currentWindow: current, deadline: k.deadline, progress: p?.progress ?? null, status: p?.status ?? null, fromSettings: true });
    }
    return { rows, fromSettings: true };
  }
  if (ctx.baseline && ctx.pilotStart) {
    for (const k of defaultKpis(ctx.pilotStart)) {
      const baseline = metricValue(series, k.metric, ctx.baseline);
      const now = metricValue(series, k.metric, current);
      const target = baseline !== null ? k.target(baseline) : 0;
      const p = progressOf(baseline, target, now, ctx.baseline.to, k.deadline);
      rows.push({ id: k.id, metric: k.metric, unit: METRIC_UNITS[k.metric], owner: '', baselineWindow: ctx.baseline, baseline, target, current: now, currentWindow: current, deadline: k.deadline, progress: p?.progress ?? null, status: p?.status ?? null, fromSettings: false });
    }
  }
  return { rows, fromSettings: false };
}

export function computePilotVsControl(series: Series, ctx: RolloutContext, end: string): { body: RolloutBody<'pilot-vs-control'>; effects: Effect[] } {
  const windows =
    ctx.baseline && ctx.pilotStart ? didWindows(ctx.baseline, ctx.pilotStart, end, controlStartOf(ctx.waves, ctx.pilotDepartments, ctx.pilotStart)) : undefined;
  const effects = windows ? KPI_METRICS.map((m) => estimateEffect(series, m, windows)).filter((e): e is Effect => e !== undefined) : [];
  const current = { from: addDays(end, -(CURRENT_DAYS - 1)), to: end };
  return {
    effects,
    body: {
      pilotStart: ctx.pilotStart ?? null,
      pilotDepartments: ctx.pilotDepartments,
      windows: windows ?? null,
      effects: effects.map((e) => ({
        metric: e.metric,
        effect: e.effect,
        low: e.low,
        high: e.high,
        relative: e.relative,
        pilotBaseline: e.pilotBaseline,
        pilotChange: e.result.pilotChange,
        controlChange: e.result.controlChange,
        n: e.result.n,
        resamples: e.result.resamples,
        unit: 'day' as const,
      })),
      activeRate: metricValue(series, 'active_rate', current),
      activeRateBefore: ctx.baseline ? metricValue(series, 'active_rate', ctx.baseline) : null,
      planSaved: ctx.plan !== undefined,
    },
  };
}

/**
 * ROI measures: per-person effects are DiD estimates (pilot beyond control); volumes are the last 30
 * days' (replies per person-week, approvals per month by kind); automated operations come from the
 * integration section.
 */
export async function computeRoiSection(
  warehouse: Warehouse,
  series: Series,
  ctx: RolloutContext,
  end: string,
  effects: readonly Effect[],
  windows: { before: DayRange; after: DayRange } | null,
  automatedOperationsPerMonth: number,
): Promise<RolloutBody<'roi'>> {
  const org = ctx.org;
  const levels = await warehouse.query(
    sql`SELECT level, count() AS people FROM (
          SELECT id, argMax(level, valid_from) AS level, argMax(licensed, valid_from) AS licensed FROM people FINAL WHERE org = ${org} GROUP BY id)
        WHERE licensed = 1 GROUP BY level ORDER BY level`,
    levelRow,
    { org },
  );
  const effectOf = (m: KpiMetric) => effects.find((e) => e.metric === m);
  const lastDay = series.headcount.length > 0 ? series.headcount[series.headcount.length - 1]!.d : undefined;
  const seats = lastDay ? series.headcount.filter((r) => r.d === lastDay).reduce((s, r) => s + r.licensed, 0) : 0;
  const month = { from: addDays(end, -29), to: end };
  const monthReplies = series.replies.filter((r) => within(r.d, month)).reduce((s, r) => s + r.n, 0);
  const monthPersonDays = series.headcount.filter((r) => within(r.d, month)).reduce((s, r) => s + r.licensed, 0);
  const repliesPerPersonWeek = monthPersonDays > 0 ? (monthReplies / monthPersonDays) * 7 : 0;
  const reply = effectOf('reply_latency');
  const meeting = effectOf('meeting_hours_per_person_week');
  const approval = effectOf('approval_cycle_time');
  const kinds = new Map<string, number>();
  for (const r of series.approvals) if (within(r.d, month)) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + r.n);
  const totalLevels = levels.reduce((s, l) => s + l.people, 0);
  const measures: RoiMeasures | null = windows
    ? {
        seats,
        people: seats,
        levelMix: Object.fromEntries(levels.map((l) => [l.level || 'default', totalLevels > 0 ? l.people / totalLevels : 0])),
        meetingHoursSavedPerPersonWeek: meeting ? -meeting.effect : 0,
        // No baseline (or no effect) means no measured wait to shorten: nothing is counted.
        replyWait: { baselineSeconds: reply?.pilotBaseline ?? 0, effectSeconds: reply && reply.pilotBaseline !== null ? reply.effect : 0, repliesPerPersonWeek },
        approvals: Object.fromEntries([...kinds.entries()].map(([kind, n]) => [kind, { daysSavedPerApproval: approval ? -approval.effect / 86400 : 0, approvalsPerMonth: n }])),
        // The integration section's count: automated workflow events per month, each a manual operation replaced.
        automatedOperationsPerMonth,
      }
    : null;
  return {
    scenarios: measures && seats > 0 ? computeRoiRange(measures, ctx.roi) : null,
    measures,
    currency: ctx.roi.currency,
    assumptionsSaved: ctx.roiSaved,
    provenance: {
      effects: effects.map((e) => ({ metric: e.metric, effect: e.effect, low: e.low, high: e.high })),
      windows,
      volumeWindow: month,
      repliesInWindow: monthReplies,
      personDaysInWindow: monthPersonDays,
      repliesPerPersonWeek,
    },
  };
}
