// SQL pieces the rollout job's reads share: the pilot/control split, plus the live-rollup pieces every
// reader of rollups shares (warehouse/queries/rollups/live-rows.ts). Values go through sql only.
import { sql, type SqlFragment } from '../../warehouse/sql.ts';
import type { DayRange } from '../job.ts';

export { dayRange, liveAdoption, liveRows } from '../../warehouse/queries/rollups/live-rows.ts';

/** `has(list, department)` as 0/1; constant 0 for an empty list (18.16 cannot type an empty array literal). */
export function inGroup(departments: readonly string[], column: SqlFragment = sql`department`): SqlFragment {
  return departments.length === 0 ? sql`toUInt8(0)` : sql`toUInt8(has(${departments}, ${column}))`;
}

export function within(dayText: string, range: DayRange): boolean {
  return dayText >= range.from && dayText <= range.to;
}
