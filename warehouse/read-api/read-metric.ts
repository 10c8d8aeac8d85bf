// Reads one metric for an organisation: picks rollup or raw events (chooseSource), runs the metric's
// query and suppresses groups of fewer than k people. The HTTP layer only parses and formats.
import { z } from 'zod';
import type { Warehouse } from '../client.ts';
import type { Org } from '../orgs.ts';
import { addDays, dayDiff, mondayOf } from '../queries/rollups/calendar.ts';
import { listZones } from '../queries/rollups/list-zones.ts';
import { ROLLUPS, type RollupTable } from '../queries/rollups/rollups.ts';
import { coveredDays } from '../queries/rollups/write-rollup.ts';
import { day, sql } from '../sql.ts';
import { chooseSource, type MetricSource } from './choose-source.ts';
import { latestRows, type Grouping, type MetricPoint, type MetricSpec, type Stat } from './metric-spec.ts';

export interface MetricRequest {
  org: Org;
  metric: MetricSpec;
  from: string;
  to: string;
  groupBy: Grouping;
  department?: string;
  kind?: string;
  stat: Stat;
  k: number;
}

export interface MetricResult {
  source: MetricSource;
  points: MetricPoint[];
}

const coverageRow = z.object({ r: z.string(), days: z.coerce.number() });

/** Days of [from, to] each table has a computed version for (weeks for weekly, 0/1 for whole-org). */
async function coverage(warehouse: Warehouse, org: string, tables: readonly RollupTable[], from: string, to: string) {
  // Grouped by an alias: 18.16's parser reads "GROUP BY rollup" as the ROLLUP keyword.
  const rows = await warehouse.query(
    sql`SELECT rollup AS r, uniqExact(day) AS days FROM rollup_versions
        WHERE org = ${org} AND has(${[...tables]}, rollup)
          AND ((day >= ${day(from)} AND day <= ${day(to)}) OR day = toDate('1970-01-01'))
        GROUP BY r`,
    coverageRow,
    { org },
  );
  return new Map(rows.map((row) => [row.r, row.days]));
}

export async function pickSource(warehouse: Warehouse, org: string, tables: readonly RollupTable[], from: string, to: string): Promise<MetricSource> {
  const covered = await coverage(warehouse, org, tables, from, to);
  let needed = 0;
  let have = 0;
  for (const table of tables) {
    const days = coveredDays(ROLLUPS[table], from, to).length;
    const got = Math.min(covered.get(table) ?? 0, days);
    // The least covered table decides.
    if (needed === 0 || got / days < have / needed) {
      needed = days;
      have = got;
    }
  }
  return chooseSource({ needed, covered: have, rangeDays: dayDiff(from, to) + 1 });
}

/** Points with value and n blanked where fewer than k people stand behind them. */
export function suppressSmallGroups(points: readonly MetricPoint[], k: number): MetricPoint[] {
  return points.map((p) => (p.people < k ? { ...p, value: null, n: null, suppressed: true as const } : p));
}

export async function readMetric(warehouse: Warehouse, request: MetricRequest): Promise<MetricResult> {
  const { org, metric, from, to } = request;
  const source = await pickSource(warehouse, org.id, metric.tables, from, to);
  const zones = source === 'events' ? await listZones(warehouse, org.id) : [];
  const points = await metric.read({
    warehouse,
    org,
    from,
    to,
    groupBy: request.groupBy,
    stat: request.stat,
    source,
    k: request.k,
    ...(request.department !== undefined ? { department: request.department } : {}),
    ...(request.kind !== undefined ? { kind: request.kind } : {}),
    rows(table, range = { from, to }, where) {
      if (source === 'rollup') return latestRows(table, org.id, range.from, range.to, where);
      const definition = ROLLUPS[table];
      // Weekly rollups are computed for whole weeks.
      const weekly = definition.grain === 'week';
      const computed = definition.select({
        org,
        from: weekly ? mondayOf(range.from) : range.from,
        to: weekly ? addDays(mondayOf(range.to), 6) : range.to,
        zones,
      });
      return where ? sql`SELECT * FROM (${computed}) WHERE ${where}` : computed;
    },
  });
  return { source, points: metric.peopleLevel ? suppressSmallGroups(points, request.k) : points };
}
