// Writes one version of a rollup for a scope: INSERT … SELECT on the server (rows never travel through
// Node), then registers the version for each covered day. Until that registration lands readers keep
// the previous version, so a failed or half-written run is invisible and a re-run simply supersedes it.
import { z } from 'zod';
import type { Warehouse } from '../../client.ts';
import { formatDateTime } from '../../row-values.ts';
import { ident, sql, trustedSql } from '../../sql.ts';
import { addDays, daysBetween } from './calendar.ts';
import { WHOLE_ORG_DAY, type RollupDefinition } from './rollups.ts';
import type { RollupScope } from './scan-events.ts';

/** The days a version of this rollup covers for the scope (Mondays for weekly, one sentinel for whole-org). */
export function coveredDays(definition: RollupDefinition, from: string, to: string): string[] {
  if (definition.grain === 'all') return [WHOLE_ORG_DAY];
  const days = daysBetween(from, to);
  return definition.grain === 'week' ? days.filter((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 1) : days;
}

const countRow = z.object({ n: z.coerce.number() });

export async function writeRollup(
  warehouse: Warehouse,
  definition: RollupDefinition,
  scope: RollupScope,
  version: number,
  computedAt: number,
): Promise<number> {
  const org = scope.org.id;
  const target = definition.stage ?? definition;
  // Column names are constants of this codebase (rollups.ts), never input.
  const columns = trustedSql(target.columns.join(', '));
  await warehouse.command(
    sql`INSERT INTO ${ident(target.table)} (${columns}, version)
        SELECT ${columns}, toUInt64(${version}) FROM (${target.select(scope)}) WHERE org = ${org}`,
    { org },
  );
  const computed = formatDateTime(computedAt);
  const filled = [definition.table, ...(definition.alsoFills ?? [])];
  await warehouse.insert(
    'rollup_versions',
    filled.flatMap((rollup) => coveredDays(definition, scope.from, scope.to).map((day) => ({ org, rollup, day, version, computed_at: computed }))),
  );
  let written = 0;
  for (const table of filled) {
    const rows = await warehouse.query(
      sql`SELECT count() AS n FROM ${ident(table)} WHERE org = ${org} AND version = toUInt64(${version})`,
      countRow,
      { org },
    );
    written += rows[0]?.n ?? 0;
  }
  return written;
}

/** Splits a range into consecutive pieces of at most `size` days (whole weeks for weekly rollups). */
export function chunkRange(definition: RollupDefinition, from: string, to: string): { from: string; to: string }[] {
  if (definition.grain === 'all') return [{ from, to }];
  const size = definition.chunkDays;
  const chunks: { from: string; to: string }[] = [];
  for (let start = from; start <= to; start = addDays(start, size)) {
    const end = addDays(start, size - 1);
    chunks.push({ from: start, to: end < to ? end : to });
  }
  return chunks;
}
