// SQL pieces the rollout job's reads share: the live version of a rollup (what the latest run wrote
// for each day, per rollup_versions), the pilot/control split and day ranges. Values go through sql only.
import { day, sql, type SqlFragment } from '../../warehouse/sql.ts';
import type { DayRange } from '../job.ts';

export type DailyRollup = 'activity_daily' | 'headcount_daily' | 'message_daily' | 'response_daily' | 'approval_daily' | 'meeting_daily' | 'doc_weekly';

/** `(day, version) IN (…)`: only the version registered last for each day, so a superseded or half-written run is invisible. */
export function liveRows(rollup: DailyRollup, org: string, range: DayRange): SqlFragment {
  return sql`(day, version) IN (
    SELECT day, max(version) FROM rollup_versions
    WHERE org = ${org} AND rollup = ${rollup} AND day >= ${day(range.from)} AND day <= ${day(range.to)}
    GROUP BY day)`;
}

/** adoption_people is one version for the whole organisation. */
export function liveAdoption(org: string): SqlFragment {
  return sql`version = (SELECT max(version) FROM rollup_versions WHERE org = ${org} AND rollup = 'adoption_people')`;
}

export function dayRange(range: DayRange, column: SqlFragment = sql`day`): SqlFragment {
  return sql`${column} >= ${day(range.from)} AND ${column} <= ${day(range.to)}`;
}

/** `has(list, department)` as 0/1; constant 0 for an empty list (18.16 cannot type an empty array literal). */
export function inGroup(departments: readonly string[], column: SqlFragment = sql`department`): SqlFragment {
  return departments.length === 0 ? sql`toUInt8(0)` : sql`toUInt8(has(${departments}, ${column}))`;
}

export function within(dayText: string, range: DayRange): boolean {
  return dayText >= range.from && dayText <= range.to;
}
