// What every page's load returns around its own data: the resolved filters, their options and the
// result (or the error state). Types only, shared by the server loaders and the page components.
import type { DayRange, RangeProblem } from './date-range.ts';
import type { Filters } from './filters.ts';

export interface FilterOptions {
  departments: { id: string; name: string; depth: number }[];
  waves: { id: string; name: string }[];
  anchorDay: string;
  allDepartmentsAllowed: boolean;
}

export type PageResult<T> = { status: 'ok'; data: T } | { status: 'error' };

export interface PageData<T> {
  filters: Filters;
  comparison: DayRange | undefined;
  rangeProblem: RangeProblem | undefined;
  filterOptions: FilterOptions;
  result: PageResult<T>;
  /** Milliseconds the server spent on this page's data (shown in the footer, read by the benchmark). */
  serverMs: number;
  /** True when the view came from the page cache (server/page-cache.ts) rather than the warehouse. */
  cached: boolean;
  /** Groups of fewer than k people are suppressed (WAYPOINT_K_ANONYMITY). */
  k: number;
}
