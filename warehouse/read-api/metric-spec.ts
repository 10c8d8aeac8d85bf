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
  /** Rows of a rollup for the range (or for [from, to] widened by `extraDaysBefore`). */
  rows(table: RollupTable, range?: { from: string; to: string }): SqlFragment;
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
  read(ctx: ReadContext): Promise<MetricPoint[]>;
}

/** Latest-version rows of a rollup for an org and range: the reader's default source. */
export function latestRows(table: RollupTable, org: string, from: string, to: string): SqlFragment {
  if (ROLLUPS[table].grain === 'all') {
    return sql`
      SELECT * FROM ${ident(table)}
      WHERE org = ${org} AND version = (SELECT max(version) FROM rollup_versions WHERE org = ${org} AND rollup = ${table})`;
  }
  return sql`
    SELECT * FROM ${ident(table)}
    WHERE org = ${org} AND day >= ${day(from)} AND day <= ${day(to)}
      AND (day, version) IN (
        SELECT day, max(version) FROM rollup_versions
        WHERE org = ${org} AND rollup = ${table} AND day >= ${day(from)} AND day <= ${day(to)}
        GROUP BY day)`;
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
});

export interface SimpleQuery {
  table: RollupTable;
  value: SqlFragment;
  n: SqlFragment;
  people: SqlFragment;
  where?: SqlFragment;
  /** A further key returned per point (kind for approvals when grouped by kind, counterpart for matrices). */
  extra?: { column: SqlFragment; as: 'kind' | 'counterpart' };
}

/** value, n and people per period and department (and `extra`) from one rollup. */
export async function readSimple(ctx: ReadContext, q: SimpleQuery): Promise<MetricPoint[]> {
  const filters: SqlFragment[] = [sql`org = ${ctx.org.id}`];
  if (ctx.department !== undefined) filters.push(sql`department = ${ctx.department}`);
  if (q.where) filters.push(q.where);
  const extra = q.extra?.column ?? (ctx.groupBy === 'kind' ? sql`kind` : sql`''`);
  const rows = await ctx.warehouse.query(
    sql`
      SELECT ${periodOf(ctx.groupBy)} AS period, ${departmentOf(ctx.groupBy)} AS dept, ${extra} AS extra,
        ${q.value} AS value, ${q.n} AS n_obs, ${q.people} AS k_people
      FROM (${ctx.rows(q.table)})
      WHERE ${joinSql(filters, ' AND ')}
      GROUP BY period, dept, extra
      ORDER BY period, dept, extra`,
    pointRow,
    { org: ctx.org.id },
  );
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
