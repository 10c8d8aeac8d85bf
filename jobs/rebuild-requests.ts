// Rebuild requests: a migration that changes what a rollup holds inserts a row into job_rebuilds
// (job, requested_at); until the job has recomputed an organisation's whole span since, that
// organisation's runs plan it in full, as a first run. job_rebuilds_done records, per organisation,
// the latest request each job has answered. Requests and answers are matched by the request's own
// time, never compared with the job clock (tests and replays run jobs on other clocks).
import { z } from 'zod';
import type { Warehouse } from '../warehouse/client.ts';
import { formatDateTime } from '../warehouse/row-values.ts';
import { sql } from '../warehouse/sql.ts';

const requestRow = z.object({ job: z.string(), requested: z.string() });

/** job name → the time of its latest request this organisation has not had answered. */
export async function pendingRebuilds(warehouse: Warehouse, org: string): Promise<Map<string, string>> {
  const [requested, done] = await Promise.all([
    warehouse.query(sql`SELECT job, toString(max(requested_at)) AS requested FROM job_rebuilds GROUP BY job ORDER BY job`, requestRow, 'system'),
    warehouse.query(
      sql`SELECT job, toString(max(requested_at)) AS requested FROM job_rebuilds_done WHERE org = ${org} GROUP BY job ORDER BY job`,
      requestRow,
      { org },
    ),
  ]);
  const answered = new Map(done.map((d) => [d.job, d.requested]));
  // 'YYYY-MM-DD hh:mm:ss' strings order as the times do.
  return new Map(requested.filter((r) => r.requested > (answered.get(r.job) ?? '')).map((r) => [r.job, r.requested]));
}

/** Records that the job recomputed the organisation's whole span after the request of `requested`. */
export async function markRebuilt(warehouse: Warehouse, org: string, job: string, requested: string, now: number): Promise<void> {
  await warehouse.insert('job_rebuilds_done', [{ org, job, requested_at: requested, done_at: formatDateTime(now) }]);
}
