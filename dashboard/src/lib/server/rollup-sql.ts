// SQL pieces every page loader shares: the department filter, plus the live-rollup pieces the rollout
// job shares too (warehouse/queries/rollups/live-rows.ts). Values go through the sql tag only.
import { sql, type SqlFragment } from '$warehouse/sql.ts';

export { dayRange, liveAdoption, liveRows } from '$warehouse/queries/rollups/live-rows.ts';

/** `AND department in the set` — or nothing when every department is in scope (`undefined`). */
export function inDepartments(departments: readonly string[] | undefined, column: SqlFragment = sql`department`): SqlFragment {
  if (departments === undefined) return sql``;
  if (departments.length === 0) return sql` AND 0`;
  return sql` AND has(${departments}, ${column})`;
}
