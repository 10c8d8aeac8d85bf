// Turns daily pilot/control series into KPI metric values over a window and difference-in-
// differences effects with their 90% intervals. The bootstrap unit is one day of a group, weighted
// by the day's denominator (licensed people for rates, replies or approvals for latencies), so each
// group's summary over a window is exactly the KPI metric's value over that window (metricValue) and
// the point estimate is (pilot after − pilot before) − (control after − control before) of the metric.
import type { KpiMetric } from '../../contracts/rollout.ts';
import { addDays } from '../days.ts';
import type { DayRange } from '../job.ts';
import type { Series } from './daily-series.ts';
import { weightedMedian } from './daily-series.ts';
import { diffInDiffWeighted, InsufficientDataError, type DidResult, type WeightedUnit } from './diff-in-diff.ts';
import { within } from './live-rows.ts';

/** Resamples and seed of every stored interval: reproducible run to run. */
export const BOOTSTRAP = { resamples: 400, seed: 7 } as const;

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

/** One weighted unit per day of a group: the day's metric value and its denominator. */
export function dailyUnits(series: Series, metric: KpiMetric, group: number, window: DayRange): WeightedUnit[] {
  const byDay = new Map<string, { active: number; licensed: number; seconds: number; latency: { median: number; n: number }[] }>();
  const day = (d: string) => {
    let cell = byDay.get(d);
    if (!cell) byDay.set(d, (cell = { active: 0, licensed: 0, seconds: 0, latency: [] }));
    return cell;
  };
  const mine = <T extends { d: string; g: number }>(rows: readonly T[]) => rows.filter((r) => r.g === group && within(r.d, window));
  for (const r of mine(series.headcount)) day(r.d).licensed += r.licensed;
  switch (metric) {
    case 'active_rate':
      for (const r of mine(series.activity)) day(r.d).active += r.active;
      break;
    case 'meeting_hours_per_person_week':
      for (const r of mine(series.meetings)) day(r.d).seconds += r.attendeeSeconds;
      break;
    case 'reply_latency':
      for (const r of mine(series.replies)) day(r.d).latency.push(r);
      break;
    case 'cross_team_reply_latency':
      for (const r of mine(series.replies)) if (r.cross === 1) day(r.d).latency.push(r);
      break;
    case 'approval_cycle_time':
      for (const r of mine(series.approvals)) day(r.d).latency.push(r);
      break;
  }
  const units: WeightedUnit[] = [];
  for (const d of [...byDay.keys()].sort()) {
    const c = byDay.get(d)!;
    if (metric === 'active_rate' || metric === 'meeting_hours_per_person_week') {
      if (c.licensed <= 0) continue;
      units.push({ value: metric === 'active_rate' ? c.active / c.licensed : ((c.seconds / 3600) * 7) / c.licensed, weight: c.licensed });
    } else {
      const value = weightedMedian(c.latency);
      const n = c.latency.reduce((s, r) => s + (r.n > 0 && Number.isFinite(r.median) ? r.n : 0), 0);
      if (value !== null && n > 0) units.push({ value, weight: n });
    }
  }
  return units;
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
    const result = diffInDiffWeighted(
      {
        pilotBefore: dailyUnits(series, metric, 1, windows.before),
        pilotAfter: dailyUnits(series, metric, 1, windows.after),
        controlBefore: dailyUnits(series, metric, 0, windows.before),
        controlAfter: dailyUnits(series, metric, 0, windows.after),
      },
      BOOTSTRAP,
    );
    const base = metricValue(series, metric, windows.before, 1);
    const relative = base !== null && base !== 0 ? { effect: result.effect / base, low: result.low / base, high: result.high / base } : null;
    return { metric, effect: result.effect, low: result.low, high: result.high, relative, pilotBaseline: base, result };
  } catch (err) {
    if (err instanceof InsufficientDataError) return undefined;
    throw err;
  }
}
