// Turns daily pilot/control series into what the executive and rollout pages show: metric values over
// a window (for KPIs), difference-in-differences effects with their intervals, and the ROI measures.
import { diffInDiff, InsufficientDataError, type DidResult } from '$jobs/rollout/diff-in-diff.ts';
import { addDays, type DayRange } from '$lib/date-range.ts';
import type { ActivityDay, ApprovalDay, HeadcountDay, MeetingDay, ReplyDay } from './daily-series.ts';
import { weightedMedian, within } from './daily-series.ts';

export interface Series {
  activity: ActivityDay[];
  headcount: HeadcountDay[];
  replies: ReplyDay[];
  meetings: MeetingDay[];
  approvals: ApprovalDay[];
}

export const KPI_METRICS = ['active_rate', 'reply_latency', 'cross_team_reply_latency', 'approval_cycle_time', 'meeting_hours_per_person_week'] as const;
export type KpiMetric = (typeof KPI_METRICS)[number];
export type MetricUnit = 'percent' | 'seconds' | 'hours';

export const METRIC_UNITS: Record<KpiMetric, MetricUnit> = {
  active_rate: 'percent',
  reply_latency: 'seconds',
  cross_team_reply_latency: 'seconds',
  approval_cycle_time: 'seconds',
  meeting_hours_per_person_week: 'hours',
};

export function isKpiMetric(id: string): id is KpiMetric {
  return (KPI_METRICS as readonly string[]).includes(id);
}

/** A metric's value over a window, for one group (0/1) or both (undefined). */
export function metricValue(series: Series, metric: KpiMetric, window: DayRange, group?: number): number | null {
  const pick = <T extends { d: string; g: number }>(rows: readonly T[]) => rows.filter((r) => within(r.d, window) && (group === undefined || r.g === group));
  switch (metric) {
    case 'active_rate': {
      const active = pick(series.activity).reduce((s, r) => s + r.active, 0);
      const licensed = pick(series.headcount).reduce((s, r) => s + r.licensed, 0);
      return licensed > 0 ? active / licensed : null;
    }
    case 'reply_latency':
      return weightedMedian(pick(series.replies));
    case 'cross_team_reply_latency':
      return weightedMedian(pick(series.replies).filter((r) => r.cross === 1));
    case 'approval_cycle_time':
      return weightedMedian(pick(series.approvals));
    case 'meeting_hours_per_person_week': {
      const seconds = pick(series.meetings).reduce((s, r) => s + r.attendeeSeconds, 0);
      const licensed = pick(series.headcount).reduce((s, r) => s + r.licensed, 0);
      return licensed > 0 ? (seconds / 3600 / licensed) * 7 : null;
    }
  }
}

/** One value per day and group for a metric (the units of the DiD bootstrap). */
function dailyValues(series: Series, metric: KpiMetric, group: number, window: DayRange): number[] {
  const days = new Set<string>();
  for (const r of series.headcount) if (r.g === group && within(r.d, window)) days.add(r.d);
  for (const r of series.replies) if (r.g === group && within(r.d, window)) days.add(r.d);
  const values: number[] = [];
  for (const d of [...days].sort()) {
    const v = metricValue(series, metric, { from: d, to: d }, group);
    if (v !== null && Number.isFinite(v)) values.push(v);
  }
  return values;
}

export interface Effect {
  metric: KpiMetric;
  effect: number;
  low: number;
  high: number;
  /** The effect relative to the pilot's baseline level (comparable across units). */
  relative: { effect: number; low: number; high: number } | null;
  pilotBaseline: number | null;
  result: DidResult;
}

/** The windows DiD compares: the baseline, and the pilot period after a two-week ramp-up (if long enough). */
/**
 * Before = the baseline; after = from two weeks into the pilot (past the ramp-up) to `end`, but never
 * past the day before the control group starts its own rollout (`controlStart`): once later waves
 * adopt, they are no longer a control, and counting them would pull the effect towards zero.
 */
export function didWindows(baseline: DayRange, pilotStart: string, end: string, controlStart?: string): { before: DayRange; after: DayRange } | undefined {
  const last = controlStart && addDays(controlStart, -1) < end ? addDays(controlStart, -1) : end;
  if (last < pilotStart) return undefined;
  const rampEnd = addDays(pilotStart, 14);
  return { before: baseline, after: { from: rampEnd <= addDays(last, -6) ? rampEnd : pilotStart, to: last } };
}

/** The first day a department outside the pilot starts its rollout (a later wave), if any. */
export function controlStartOf(waves: readonly { start: string | undefined; departments: readonly string[] }[], pilotDepartments: readonly string[], pilotStart: string): string | undefined {
  const pilot = new Set(pilotDepartments);
  const starts = waves
    .filter((w) => w.start !== undefined && w.start > pilotStart && w.departments.some((d) => !pilot.has(d)))
    .map((w) => w.start!)
    .sort();
  return starts[0];
}

export function estimateEffect(series: Series, metric: KpiMetric, windows: { before: DayRange; after: DayRange }): Effect | undefined {
  try {
    const result = diffInDiff(
      {
        pilotBefore: dailyValues(series, metric, 1, windows.before),
        pilotAfter: dailyValues(series, metric, 1, windows.after),
        controlBefore: dailyValues(series, metric, 0, windows.before),
        controlAfter: dailyValues(series, metric, 0, windows.after),
      },
      { summary: 'median', resamples: 400, seed: 7 },
    );
    const base = metricValue(series, metric, windows.before, 1);
    const relative = base !== null && base !== 0 ? { effect: result.effect / base, low: result.low / base, high: result.high / base } : null;
    return { metric, effect: result.effect, low: result.low, high: result.high, relative, pilotBaseline: base, result };
  } catch (err) {
    if (err instanceof InsufficientDataError) return undefined;
    throw err;
  }
}

/** Days of a window that actually have rows (so "per month" rates are not diluted by empty days). */
export function daysWithData(series: Series, window: DayRange): number {
  return new Set(series.headcount.filter((r) => within(r.d, window)).map((r) => r.d)).size;
}
