// The filters every page shares — date range, department (a subtree), wave and a comparison period —
// read from and written to the URL, so a view can be shared and survives reload and back/forward.
// Pure and client-safe; the server resolves them against the directory ($lib/server/filters.ts).
import { addDays, parseRangeParams, rangeLength, type DayRange, type RangeParams } from './date-range.ts';

export const COMPARISONS = ['none', 'previous', 'year'] as const;
export type Comparison = (typeof COMPARISONS)[number];

export interface Filters {
  range: DayRange;
  /** A department id (its whole subtree is included); '' for all the user may see. */
  department: string;
  /** A wave id; '' for every wave. */
  wave: string;
  compare: Comparison;
}

export interface RequestedFilters {
  range: RangeParams;
  department: string;
  wave: string;
  compare: Comparison;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

function idParam(params: URLSearchParams, name: string): string {
  const value = params.get(name) ?? '';
  return ID.test(value) ? value : '';
}

export function parseFilterParams(params: URLSearchParams): RequestedFilters {
  const compare = params.get('compare');
  return {
    range: parseRangeParams(params),
    department: idParam(params, 'dept'),
    wave: idParam(params, 'wave'),
    compare: (COMPARISONS as readonly string[]).includes(compare ?? '') ? (compare as Comparison) : 'none',
  };
}

/** The query string for filters (defaults left out), with optional changes applied. */
export function filterSearch(filters: Filters, patch: Partial<Filters> = {}): string {
  const f = { ...filters, ...patch };
  const params = new URLSearchParams({ from: f.range.from, to: f.range.to });
  if (f.department) params.set('dept', f.department);
  if (f.wave) params.set('wave', f.wave);
  if (f.compare !== 'none') params.set('compare', f.compare);
  return `?${params.toString()}`;
}

/** The period a range is compared with: the same number of days just before it, or a year earlier. */
export function comparisonRange(range: DayRange, compare: Comparison): DayRange | undefined {
  if (compare === 'none') return undefined;
  if (compare === 'previous') {
    const days = rangeLength(range);
    return { from: addDays(range.from, -days), to: addDays(range.from, -1) };
  }
  return { from: addDays(range.from, -364), to: addDays(range.to, -364) };
}

/** The relative change from `previous` to `current`; null when there is nothing to compare with. */
export function relativeChange(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}
