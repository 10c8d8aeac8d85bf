// The overview's date range: calendar days `YYYY-MM-DD`, read from and written to the URL.
// Pure and client-safe; imported with relative paths so the unit tests can load it without SvelteKit.

export const DEFAULT_RANGE_DAYS = 28;
export const MAX_RANGE_DAYS = 366;

export interface DayRange {
  from: string;
  to: string;
}

export type RangeProblem = 'invalid' | 'reversed' | 'too-long';

export type RangeParams =
  | { kind: 'absent' }
  | { kind: 'valid'; range: DayRange }
  | { kind: 'rejected'; problem: RangeProblem };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MS_PER_DAY = 86_400_000;

export function isDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  // Rejects 2024-02-30, which Date would silently roll over into March.
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function toUtcMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export function addDays(day: string, days: number): string {
  return new Date(toUtcMs(day) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included. */
export function listDays({ from, to }: DayRange): string[] {
  const days: string[] = [];
  for (let ms = toUtcMs(from); ms <= toUtcMs(to); ms += MS_PER_DAY) {
    days.push(new Date(ms).toISOString().slice(0, 10));
  }
  return days;
}

export function rangeLength({ from, to }: DayRange): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / MS_PER_DAY) + 1;
}

/** The `days` days ending on `lastDay` (the latest day that has data). */
export function rangeEndingOn(lastDay: string, days = DEFAULT_RANGE_DAYS): DayRange {
  return { from: addDays(lastDay, -(days - 1)), to: lastDay };
}

/** Reads `?from=&to=`; both must be present and form a forward range of at most MAX_RANGE_DAYS. */
export function parseRangeParams(params: URLSearchParams): RangeParams {
  const from = params.get('from');
  const to = params.get('to');
  if (!from && !to) return { kind: 'absent' };
  if (!from || !to || !isDay(from) || !isDay(to)) return { kind: 'rejected', problem: 'invalid' };
  const range = { from, to };
  if (from > to) return { kind: 'rejected', problem: 'reversed' };
  if (rangeLength(range) > MAX_RANGE_DAYS) return { kind: 'rejected', problem: 'too-long' };
  return { kind: 'valid', range };
}

/** The query string for a range, e.g. to build filter links. */
export function rangeSearch(range: DayRange): string {
  return `?${new URLSearchParams({ from: range.from, to: range.to }).toString()}`;
}
