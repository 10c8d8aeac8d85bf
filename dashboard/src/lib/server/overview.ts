// Loads the overview's figures for one organisation: resolves the date range (URL or the 28 days up
// to the latest day with data) and reads active rate by department. A warehouse failure becomes an
// error state on the page rather than a 500, so the header and filters stay usable.
import type { Warehouse } from '$warehouse/client.ts';
import {
  getActiveRateByDepartment,
  getLatestActivityDay,
  type ActiveRatePoint,
} from '$warehouse/queries/get-active-rate-by-department.ts';
import { parseRangeParams, rangeEndingOn, type DayRange, type RangeProblem } from '$lib/date-range.ts';

export type OverviewResult =
  | { status: 'ok'; points: ActiveRatePoint[]; latestDay: string | undefined }
  | { status: 'error' };

export interface OverviewData {
  range: DayRange;
  /** Set when the URL asked for a range that could not be used. */
  rangeProblem: RangeProblem | undefined;
  result: OverviewResult;
}

function todayUtc(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

export async function loadOverview(
  warehouse: Warehouse,
  org: string,
  params: URLSearchParams,
  now = Date.now(),
): Promise<OverviewData> {
  const requested = parseRangeParams(params);
  const rangeProblem = requested.kind === 'rejected' ? requested.problem : undefined;
  let range = requested.kind === 'valid' ? requested.range : rangeEndingOn(todayUtc(now));
  try {
    if (requested.kind === 'valid') {
      // The latest day only feeds the empty state's hint, so it runs alongside the main query.
      const [points, latestDay] = await Promise.all([
        getActiveRateByDepartment(warehouse, { org, ...range }),
        getLatestActivityDay(warehouse, org),
      ]);
      return { range, rangeProblem, result: { status: 'ok', points, latestDay } };
    }
    const latestDay = await getLatestActivityDay(warehouse, org);
    if (latestDay) range = rangeEndingOn(latestDay);
    const points = await getActiveRateByDepartment(warehouse, { org, ...range });
    return { range, rangeProblem, result: { status: 'ok', points, latestDay } };
  } catch (err) {
    console.error(`overview: loading active rate for ${org} failed`, err);
    return { range, rangeProblem, result: { status: 'error' } };
  }
}
