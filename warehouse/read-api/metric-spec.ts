// What every metric of the catalogue declares, and the shared pieces its read query is built from:
// the rollup source (latest version or raw events), the period and department expressions, and the
// guarded ratio. Each family of metrics lives in metrics/*.ts.
import { z } from 'zod';
import type { Warehouse } from '../client.ts';
import type { Org } from '../orgs.ts';
import { ROLLUPS, type RollupTable } from '../queries/rollups/rollups.ts';
import { day, ident, joinSql, sql, SqlFragment } from '../sql.ts';
import type { MetricSource } from './choose-source.ts';

export const GROUPINGS = ['day', 'week', 'month', 'department', 'kind'] as const;
export type Grouping = (typeof GROUPINGS)[number];
export const STATS = ['p50', 'p90'] as const;
export type Stat = (typeof STATS)[number];
export const UNITS = ['users', 'fraction', 'seconds', 'hours', 'minutes', 'days', 'count', 'ratio', 'people'] as const;
export type Unit = (typeof UNITS)[number];

export interface MetricPoint {
  period?: string;
  department?: string;
  counterpart?: string;
  kind?: string;
  stage?: string;
  value: number | null;
  /** Observations behind the value (messages, approvals, person-days …); null when suppressed. */
  n: number | null;
  /** Distinct people behind the value, for k-anonymity; never returned by the API. */
  people: number;
  suppressed?: true;
}

export interface ReadContext {
  warehouse: Warehouse;
  org: Org;
  from: string;
  to: string;
  groupBy: Grouping;
  department?: string;
  kind?: string;
  stat: Stat;
  source: MetricSource;
  /** Groups of fewer people are suppressed (readMetric does it; readers only need to count them exactly below it). */
  k: number;
  /**
   * Rows of a rollup for the range (or another range), optionally only those matching `where` (a
   * condition on the table's own columns, applied as the rollup's PREWHERE so a key-ordered table
   * such as response_kind_daily reads only the matching granules).
   */
  rows(table: RollupTable, range?: { from: string; to: string }, where?: SqlFragment): SqlFragment;
}

export interface MetricSpec {
  id: string;
  unit: Unit;
  /** One-paragraph definition, the same text docs/metrics.md gives. */
  definition: string;
  tables: readonly RollupTable[];
  groupings: readonly Grouping[];
  percentile: boolean;
  /** Suppressed below k people per group (every metric here is about people's behaviour). */
  peopleLevel: boolean;
  /**
   * Longest range (days) per grouping when no department is given: a matrix by day over a year is
   * tens of thousands of points nobody reads, and slow to ship. Longer requests get a 400 naming the fix.
   */
  maxDaysWithoutDepartment?: Partial<Record<Grouping, number>>;
  read(ctx: ReadContext): Promise<MetricPoint[]>;
}

/**
 * Latest-version rows of a rollup for an org and range (and `where`, see ReadContext.rows): the
 * reader's default source. The live-version test is a PREWHERE too: after a rebuild the superseded
 * version's parts are still there until merged, and their state columns are then never read.
 */
export function latestRows(table: RollupTable, org: string, from: string, to: string, where?: SqlFragment): SqlFragment {
  const also = where ? sql` AND ${where}` : sql``;
  if (ROLLUPS[table].grain === 'all') {
    return sql`
      SELECT * FROM ${ident(table)}
      PREWHERE version = (SELECT max(version) FROM rollup_versions WHERE org = ${org} AND rollup = ${table})${also}
      WHERE org = ${org}`;
  }
  return sql`
    SELECT * FROM ${ident(table)}
    PREWHERE (day, version) IN (
        SELECT day, max(version) FROM rollup_versions
        WHERE org = ${org} AND rollup = ${table} AND day >= ${day(from)} AND day <= ${day(to)}
        GROUP BY day)${also}
    WHERE org = ${org} AND day >= ${day(from)} AND day <= ${day(to)}`;
}

/** The period label of a Date column for the grouping ('' when the grouping has no period). */
export function periodOf(groupBy: Grouping, column: SqlFragment = sql`day`): SqlFragment {
  switch (groupBy) {
    case 'day':
      return sql`toString(${column})`;
    case 'week':
      return sql`toString(toMonday(${column}))`;
    case 'month':
      return sql`toString(toStartOfMonth(${column}))`;
    default:
      return sql`''`;
  }
}

export function departmentOf(groupBy: Grouping, column: SqlFragment = sql`department`): SqlFragment {
  return groupBy === 'department' ? column : sql`''`;
}

/** num ÷ den as Float64, NULL when the denominator is 0 (never inf or nan in JSON). */
export function ratio(num: SqlFragment, den: SqlFragment): SqlFragment {
  return sql`if(${den} = 0, NULL, toFloat64(${num}) / ${den})`;
}

export function quantileLevel(stat: Stat): number {
  return stat === 'p90' ? 0.9 : 0.5;
}

const pointRow = z.object({
  period: z.string(),
  dept: z.string(),
  extra: z.string(),
  value: z.union([z.number(), z.string()]).nullable(),
  n_obs: z.coerce.number(),
  k_people: z.coerce.number(),
  k_most: z.coerce.number().optional(),
});

export interface SimpleQuery {
  table: RollupTable;
  value: SqlFragment;
  n: SqlFragment;
  /** Distinct people per group, exactly (merging the rows' people sets). */
  people: SqlFragment;
  /**
   * Cheap bounds of `people` from per-row counts: at least the largest row's (`max(people_n)`), at
   * most their sum. Merging a year of people sets costs as much as the value itself, and
   * k-anonymity only needs to know on which side of k a group falls, so the sets are merged only for
   * the groups whose bounds straddle k; elsewhere `people` is the bound on the side of k that holds.
   */
  peopleBounds?: { atLeast: SqlFragment; atMost: SqlFragment };
  /** Rows to read: a condition on the rollup's own columns (see ReadContext.rows). */
  where?: SqlFragment;
  /** A further key returned per point (kind for approvals when grouped by kind, counterpart for matrices). */
  extra?: { column: SqlFragment; as: 'kind' | 'counterpart' };
}

/** value, n and people per period and department (and `extra`) from one rollup. */
export async function readSimple(ctx: ReadContext, q: SimpleQuery): Promise<MetricPoint[]> {
  const filters: SqlFragment[] = [sql`org = ${ctx.org.id}`];
  if (ctx.department !== undefined) filters.push(sql`department = ${ctx.department}`);
  const extra = q.extra?.column ?? (ctx.groupBy === 'kind' ? sql`kind` : sql`''`);
  const grouped = (measures: SqlFragment) => sql`
    SELECT ${periodOf(ctx.groupBy)} AS period, ${departmentOf(ctx.groupBy)} AS dept, ${extra} AS extra, ${measures}
    FROM (${ctx.rows(q.table, undefined, q.where)})
    WHERE ${joinSql(filters, ' AND ')}
    GROUP BY period, dept, extra`;
  const measures = (people: SqlFragment) => sql`${q.value} AS value, ${q.n} AS n_obs, ${people}`;
  const run = (statement: SqlFragment) => ctx.warehouse.query(sql`${statement} ORDER BY period, dept, extra`, pointRow, { org: ctx.org.id });
  const bounds = q.peopleBounds;
  let rows = await run(grouped(measures(bounds ? sql`${bounds.atLeast} AS k_people, ${bounds.atMost} AS k_most` : sql`${q.people} AS k_people`)));
  // Wholly under k: the upper bound says so.
  rows = rows.map((r) => (r.k_most !== undefined && r.k_most < ctx.k ? { ...r, k_people: r.k_most } : r));
  const below = bounds ? rows.filter((r) => r.k_people < ctx.k && (r.k_most ?? 0) >= ctx.k) : [];
  if (below.length > 0) {
    // Exact counts for the groups whose bounds straddle k, from one pass over the people sets alone
    // (no value columns read). Naming the groups does not pay: quiet days are spread over the year,
    // so a filter on them still reads nearly every granule (measured: slower than this pass).
    const key = (r: { period: string; dept: string; extra: string }) => `${r.period}|${r.dept}|${r.extra}`;
    const exact = new Map((await run(grouped(sql`NULL AS value, 0 AS n_obs, ${q.people} AS k_people`))).map((r) => [key(r), r.k_people]));
    rows = rows.map((r) => (r.k_people < ctx.k && (r.k_most ?? 0) >= ctx.k ? { ...r, k_people: exact.get(key(r)) ?? r.k_people } : r));
  }
  const extraName = q.extra?.as ?? (ctx.groupBy === 'kind' ? 'kind' : undefined);
  return rows.map((r) => toPoint(ctx.groupBy, r.period, r.dept, r.value === null ? null : Number(r.value), r.n_obs, r.k_people, extraName ? { [extraName]: r.extra } : {}));
}

export function toPoint(
  groupBy: Grouping,
  period: string,
  department: string,
  value: number | null,
  n: number,
  people: number,
  extra: Partial<MetricPoint> = {},
): MetricPoint {
  return {
    ...(groupBy === 'day' || groupBy === 'week' || groupBy === 'month' ? { period } : {}),
    ...(groupBy === 'department' ? { department } : {}),
    ...extra,
    value: value !== null && Number.isFinite(value) ? value : null,
    n,
    people,
  };
}

export { SqlFragment };
