// Helpers the page loaders share: department names, trend layout, comparison tiles.
import { relativeChange } from '$lib/filters.ts';
import type { DayRange } from '$lib/date-range.ts';
import { granularityFor, listPeriods, type Granularity } from '$lib/periods.ts';
import type { PageContext } from '../page-load.ts';

export function departmentNamer(ctx: PageContext): (id: string) => string {
  const names = new Map(ctx.directory.departments.map((d) => [d.id, d.name || d.id]));
  return (id) => (id === '' ? '—' : (names.get(id) ?? id));
}

export interface Trend {
  granularity: Granularity;
  periods: string[];
}

export function trendOf(range: DayRange): Trend {
  const granularity = granularityFor(range);
  return { granularity, periods: listPeriods(range, granularity) };
}

/** Values by period laid out on the trend's periods. */
export function align<T extends { p: string }>(trend: Trend, rows: readonly T[], value: (row: T) => number | null): (number | null)[] {
  const byPeriod = new Map(rows.map((r) => [r.p, value(r)]));
  return trend.periods.map((p) => byPeriod.get(p) ?? null);
}

export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** Runs `summary` for the range and, when a comparison is chosen, for the comparison period too. */
export async function withComparison<T>(ctx: PageContext, summary: (range: DayRange) => Promise<T>): Promise<{ now: T; before: T | undefined }> {
  const [now, before] = await Promise.all([summary(ctx.scope.filters.range), ctx.scope.comparison ? summary(ctx.scope.comparison) : Promise.resolve(undefined)]);
  return { now, before };
}

export function change(now: number | null, before: number | null | undefined): number | null {
  return before === undefined ? null : relativeChange(now, before);
}
