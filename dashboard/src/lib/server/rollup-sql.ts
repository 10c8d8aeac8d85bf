// SQL pieces every page loader shares: the live version of a rollup (what the latest job run wrote
// for each day, per rollup_versions) and the department filter. Values go through the sql tag only.
import { day, sql, type SqlFragment } from '$warehouse/sql.ts';
import type { DayRange } from '$lib/date-range.ts';

export type RollupName =
  | 'activity_daily'
  | 'headcount_daily'
  | 'message_daily'
  | 'response_daily'
  | 'approval_daily'
  | 'task_daily'
  | 'meeting_daily'
  | 'doc_weekly'
  | 'adoption_people';

/**
 * `(day, version) IN (…)`: only rows of the version registered last for each day. A half-written or
 * superseded run is invisible, and a day recomputed to nothing reads as empty.
 */
export function liveRows(rollup: RollupName, org: string, range: DayRange): SqlFragment {
  return sql`(day, version) IN (
    SELECT day, max(version) FROM rollup_versions
    WHERE org = ${org} AND rollup = ${rollup} AND day >= ${day(range.from)} AND day <= ${day(range.to)}
    GROUP BY day)`;
}

/** The adoption_people rollup is one version for the whole organisation. */
export function liveAdoption(org: string): SqlFragment {
  return sql`version = (SELECT max(version) FROM rollup_versions WHERE org = ${org} AND rollup = 'adoption_people')`;
}

/** `AND department in the set` — or nothing when every department is in scope (`undefined`). */
export function inDepartments(departments: readonly string[] | undefined, column: SqlFragment = sql`department`): SqlFragment {
  if (departments === undefined) return sql``;
  if (departments.length === 0) return sql` AND 0`;
  return sql` AND has(${departments}, ${column})`;
}

export function dayRange(range: DayRange, column: SqlFragment = sql`day`): SqlFragment {
  return sql`${column} >= ${day(range.from)} AND ${column} <= ${day(range.to)}`;
}
