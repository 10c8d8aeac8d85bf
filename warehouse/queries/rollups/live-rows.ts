// Reading rollups as the jobs last wrote them, shared by the dashboard's page loaders and the rollout
// job: the live version of a rollup (what the latest run registered for each day, per
// rollup_versions), day ranges, and the span of days an organisation has data for. Values go
// through the sql tag only.
import { z } from 'zod';
import type { Warehouse } from '../../client.ts';
import { day, ident, sql, type SqlFragment } from '../../sql.ts';
import type { RollupTable } from './rollups.ts';

export interface DayRange {
  from: string;
  to: string;
}

/**
 * `(day, version) IN (…)`: only rows of the version registered last for each day. A half-written or
 * superseded run is invisible, and a day recomputed to nothing reads as empty.
 */
export function liveRows(rollup: RollupTable, org: string, range: DayRange): SqlFragment {
  return sql`(day, version) IN (
    SELECT day, max(version) FROM rollup_versions
    WHERE org = ${org} AND rollup = ${rollup} AND day >= ${day(range.from)} AND day <= ${day(range.to)}
    GROUP BY day)`;
}

/** The adoption_people rollup is one version for the whole organisation. */
export function liveAdoption(org: string): SqlFragment {
  return sql`version = (SELECT max(version) FROM rollup_versions WHERE org = ${org} AND rollup = 'adoption_people')`;
}

export function dayRange(range: DayRange, column: SqlFragment = sql`day`): SqlFragment {
  return sql`${column} >= ${day(range.from)} AND ${column} <= ${day(range.to)}`;
}

const spanRow = z.object({ first: z.string(), last: z.string(), n: z.coerce.number() });

/**
 * The first and last day with activity or messages (an e-mail-only import has messages but no
 * platform activity) — not days with a registered version: jobs register (empty) days up to today.
 */
export async function readDataSpan(warehouse: Warehouse, org: string): Promise<DayRange | undefined> {
  const registered = (table: RollupTable) => sql`version IN (SELECT version FROM rollup_versions WHERE org = ${org} AND rollup = ${table})`;
  const rows = await warehouse.query(
    sql`SELECT if(count() = 0, '', toString(min(day))) AS first, if(count() = 0, '', toString(max(day))) AS last, count() AS n FROM (
          SELECT day FROM ${ident('activity_daily')} WHERE org = ${org} AND ${registered('activity_daily')}
          UNION ALL
          SELECT day FROM ${ident('message_daily')} WHERE org = ${org} AND ${registered('message_daily')})`,
    spanRow,
    { org },
  );
  const s = rows[0];
  return s && s.n > 0 ? { from: s.first, to: s.last } : undefined;
}
