// Per-organisation retention of people-level data. 18.16 has no TTL, so a job (jobs/retention.ts)
// deletes events older than the period with a mutation; aggregated rollups are kept (they are
// suppressed below k on every read), so trends survive while individual activity does not.
import { z } from 'zod';
import type { Warehouse } from '../client.ts';
import { formatDateTime } from '../row-values.ts';
import { day, sql, timezone } from '../sql.ts';

/** At least a month (a shorter window breaks the 4-week baselines), at most ten years. */
export const retentionDaysSchema = z.number().int().min(31).max(3650);

export class RetentionError extends Error {
  override name = 'RetentionError';
}

const retentionRow = z.object({ retention_days: z.coerce.number() });

/** The organisation's retention period in days, or undefined when none is set (keep everything). */
export async function getRetentionDays(warehouse: Warehouse, org: string): Promise<number | undefined> {
  const rows = await warehouse.query(
    sql`SELECT retention_days FROM org_privacy FINAL WHERE org = ${org} LIMIT 1`,
    retentionRow,
    { org },
  );
  const days = rows[0]?.retention_days;
  return days ? days : undefined;
}

/** Sets (or with `undefined`, clears) the retention period; the caller audits who did it. */
export async function setRetentionDays(warehouse: Warehouse, org: string, days: number | undefined, by: string): Promise<void> {
  if (days !== undefined) {
    const parsed = retentionDaysSchema.safeParse(days);
    if (!parsed.success) throw new RetentionError(`retention must be a whole number of days from 31 to 3650, got ${days}`);
  }
  const previous = await warehouse.query(sql`SELECT if(count() = 0, '', toString(max(updated_at))) AS at FROM org_privacy WHERE org = ${org}`, z.object({ at: z.string() }), { org });
  // ReplacingMergeTree keeps the greatest updated_at (whole seconds): stay ahead of an earlier row.
  const last = Date.parse(`${(previous[0]?.at ?? '').replace(' ', 'T')}Z`);
  const at = Number.isFinite(last) ? Math.max(Date.now(), last + 1000) : Date.now();
  await warehouse.insert('org_privacy', [{ org, retention_days: days ?? 0, updated_by: by, updated_at: formatDateTime(at) }]);
}

const countRow = z.object({ n: z.coerce.number() });

/**
 * Deletes the organisation's events from local days before `cutoff` (YYYY-MM-DD, in its timezone)
 * and returns how many there were. The mutation runs in the background; nothing is issued when
 * there is nothing to delete, so running this often is cheap.
 */
export async function purgeEventsBefore(warehouse: Warehouse, org: { id: string; timezone: string }, cutoff: string): Promise<number> {
  const tz = timezone(org.timezone);
  const condition = sql`org = ${org.id} AND toDate(time, ${tz}) < ${day(cutoff)}`;
  const rows = await warehouse.query(sql`SELECT count() AS n FROM events WHERE ${condition}`, countRow, { org: org.id });
  const n = rows[0]?.n ?? 0;
  if (n > 0) await warehouse.command(sql`ALTER TABLE events DELETE WHERE ${condition}`, { org: org.id });
  return n;
}
