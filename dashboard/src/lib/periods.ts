// Time buckets for trend charts: days for ranges up to nine weeks, weeks (starting Monday) beyond.
// Pure and client-safe: the server groups by the same buckets the page lists on the x axis.
import { addDays, listDays, rangeLength, type DayRange } from './date-range.ts';

export type Granularity = 'day' | 'week';

export const MAX_DAILY_DAYS = 63;

export function granularityFor(range: DayRange): Granularity {
  return rangeLength(range) <= MAX_DAILY_DAYS ? 'day' : 'week';
}

/** The Monday on or before a day. */
export function mondayOf(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** Every bucket of the range, in order: each day, or each Monday of a week the range touches. */
export function listPeriods(range: DayRange, granularity: Granularity): string[] {
  if (granularity === 'day') return listDays(range);
  const out: string[] = [];
  for (let d = mondayOf(range.from); d <= range.to; d = addDays(d, 7)) out.push(d);
  return out;
}

/** Values keyed by period, laid out on the periods (missing → null). */
export function alignToPeriods<T>(periods: readonly string[], rows: readonly T[], periodOf: (row: T) => string, valueOf: (row: T) => number | null): (number | null)[] {
  const byPeriod = new Map(rows.map((r) => [periodOf(r), valueOf(r)]));
  return periods.map((p) => byPeriod.get(p) ?? null);
}
