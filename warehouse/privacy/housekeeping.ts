// Operational tables that grow with traffic but are only read over a short window: sign-in attempts
// (the lockout reads the last 30 minutes) and the collector's ingestion counters (the Data page shows
// recent days). 18.16 has no TTL, so the retention job drops their old monthly partitions: a partition
// drop is instant and, unlike a DELETE mutation, rewrites nothing.
import { z } from 'zod';
import type { Warehouse } from '../client.ts';
import { ident, sql } from '../sql.ts';

/** How many whole months each table keeps before the current one (documented in docs/operations.md). */
export const KEEP_MONTHS = { login_attempts: 1, ingest_stats: 3 } as const;
export type HousekeptTable = keyof typeof KEEP_MONTHS;

/** `YYYYMM` of the month `monthsBack` months before the one `now` falls in (UTC). */
export function monthPartition(now: number, monthsBack: number): string {
  const d = new Date(now);
  const month = d.getUTCFullYear() * 12 + d.getUTCMonth() - monthsBack;
  return `${Math.floor(month / 12)}${String((month % 12) + 1).padStart(2, '0')}`;
}

const partitionRow = z.object({ partition: z.string() });

/**
 * Drops the table's monthly partitions older than its keep window; returns the partitions dropped.
 * The tables hold no organisation's events (attempts are keyed by hashes; counters are aggregates),
 * so this runs with system scope, once per run whatever the organisation.
 */
export async function dropExpiredPartitions(warehouse: Warehouse, table: HousekeptTable, now: number): Promise<string[]> {
  const oldest = monthPartition(now, KEEP_MONTHS[table]);
  const rows = await warehouse.query(
    sql`SELECT DISTINCT partition FROM system.parts
        WHERE database = currentDatabase() AND table = ${table} AND active AND partition < ${oldest}
        ORDER BY partition`,
    partitionRow,
    'system',
  );
  for (const { partition } of rows) {
    if (!/^\d{6}$/.test(partition)) continue; // only toYYYYMM partitions, never anything unexpected
    await warehouse.command(sql`ALTER TABLE ${ident(table)} DROP PARTITION ${Number(partition)}`, 'system');
  }
  return rows.map((r) => r.partition);
}
