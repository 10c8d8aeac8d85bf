// Step 4 — integration: the share of workflow-channel events that were automated (triggered by a
// connected HRIS/ERP rather than a person), by month and over the last 30 days, and the manual
// operations that saves per month (one automated workflow event = one manual operation replaced).
import { z } from 'zod';
import type { RolloutBody } from '../../contracts/rollout.ts';
import type { Warehouse } from '../../warehouse/client.ts';
import { day, sql, timezone } from '../../warehouse/sql.ts';
import { addDays } from '../days.ts';
import type { DayRange } from '../job.ts';
import type { RolloutContext } from './rollout-context.ts';

// Aliases differ from column names: ClickHouse aliases are query-wide, so `… AS automated` would shadow the column.
const monthRow = z.object({ month: z.string(), n: z.coerce.number(), auto: z.coerce.number(), recentN: z.coerce.number(), recentAuto: z.coerce.number() });

/** Average days per month, to turn a 30-day count into a monthly one. */
const DAYS_PER_MONTH = 365.25 / 12;

export async function computeIntegration(warehouse: Warehouse, ctx: RolloutContext, span: DayRange, tz: string): Promise<RolloutBody<'integration'>> {
  const org = ctx.org;
  const zone = timezone(tz);
  const recent = { from: addDays(span.to, -29), to: span.to };
  const rows = await warehouse.query(
    sql`SELECT toString(toStartOfMonth(d)) AS month, count() AS n, countIf(automated = 1) AS auto,
          countIf(d >= ${day(recent.from)}) AS recentN, countIf(automated = 1 AND d >= ${day(recent.from)}) AS recentAuto
        FROM (SELECT toDate(time, ${zone}) AS d, automated FROM events
              WHERE org = ${org} AND channel = 'workflow' AND toDate(time) >= ${day(span.from)} - 1 AND toDate(time) <= ${day(span.to)} + 1) AS workflow
        WHERE d >= ${day(span.from)} AND d <= ${day(span.to)}
        GROUP BY month ORDER BY month`,
    monthRow,
    { org },
  );
  const recentN = rows.reduce((s, r) => s + r.recentN, 0);
  const recentAutomated = rows.reduce((s, r) => s + r.recentAuto, 0);
  const perMonth = (recentAutomated / 30) * DAYS_PER_MONTH;
  const minutes = ctx.roi.minutesPerManualOperation.base;
  return {
    months: rows.map((r) => ({ month: r.month.slice(0, 7), workflowEvents: r.n, automated: r.auto, share: r.n > 0 ? r.auto / r.n : null })),
    last30Days: { ...recent, workflowEvents: recentN, automated: recentAutomated, share: recentN > 0 ? recentAutomated / recentN : null },
    manualOperationsSavedPerMonth: perMonth,
    minutesPerManualOperation: minutes,
    hoursSavedPerMonth: (perMonth * minutes) / 60,
  };
}
