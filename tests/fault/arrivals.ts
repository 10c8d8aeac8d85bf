// Waiting for acknowledged ids to arrive in ClickHouse, and counting them once.
import { z } from 'zod';
import type { Warehouse } from '../../warehouse/client.ts';
import { sql } from '../../warehouse/sql.ts';

const count = z.object({ n: z.coerce.number() });
// Ids travel as array literals; chunks keep each statement under ClickHouse's max_query_size (256 KB).
const CHUNK = 5000;

/** Distinct acked ids present, and all rows of the org (a replay may have written some twice). */
export async function countArrived(warehouse: Warehouse, org: string, ids: string[]): Promise<{ distinct: number; total: number }> {
  let distinct = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = await warehouse.query(sql`SELECT uniqExact(id) AS n FROM events WHERE org = ${org} AND toString(id) IN (SELECT arrayJoin(${chunk}))`, count, { org });
    distinct += rows[0]!.n;
  }
  const total = await warehouse.query(sql`SELECT count() AS n FROM events WHERE org = ${org}`, count, { org });
  return { distinct, total: total[0]!.n };
}

export async function waitForArrival(warehouse: Warehouse, org: string, ids: string[], timeoutMs: number): Promise<{ distinct: number; total: number }> {
  const deadline = Date.now() + timeoutMs;
  let last = { distinct: 0, total: 0 };
  while (Date.now() < deadline) {
    last = await countArrived(warehouse, org, ids).catch(() => last);
    if (last.distinct >= ids.length) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}
