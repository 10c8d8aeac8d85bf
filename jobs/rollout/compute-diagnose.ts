// Step 1 — the diagnose report over the baseline window (the plan's, else the first 28 days with
// data): slowest cross-department reply pairs, each department's silo index (share of its replies
// that stay inside it), approval kinds by cycle time, and the weekly cost of cross-team waiting:
//   cost/week = cross-team replies per week × median wait (h) × productive fraction × hourly cost.
import { z } from 'zod';
import type { RolloutBody } from '../../contracts/rollout.ts';
import type { Warehouse } from '../../warehouse/client.ts';
import { sql } from '../../warehouse/sql.ts';
import { addDays, dayDiff } from '../days.ts';
import type { DayRange } from '../job.ts';
import { dayRange, liveRows } from './live-rows.ts';
import type { RolloutContext } from './rollout-context.ts';

const pairRow = z.object({ department: z.string(), counterpart: z.string(), median: z.coerce.number(), n: z.coerce.number(), people: z.coerce.number() });
const interactionRow = z.object({ department: z.string(), inside: z.coerce.number(), total: z.coerce.number(), people: z.coerce.number() });
const kindRow = z.object({ kind: z.string(), n: z.coerce.number(), median: z.coerce.number() });
const crossRow = z.object({ n: z.coerce.number(), median: z.coerce.number() });

/** Pairs kept (the pages show the first 10 that cover at least k people). */
const PAIRS_KEPT = 40;
const MIN_PAIR_REPLIES = 10;

export function baselineWindow(planned: DayRange | undefined, firstDay: string | undefined, fallbackEnd: string): DayRange {
  if (planned) return planned;
  const from = firstDay ?? addDays(fallbackEnd, -27);
  return { from, to: addDays(from, 27) < fallbackEnd ? addDays(from, 27) : fallbackEnd };
}

export async function computeDiagnose(warehouse: Warehouse, ctx: RolloutContext, end: string): Promise<RolloutBody<'diagnose'>> {
  const org = ctx.org;
  const window = baselineWindow(ctx.baseline, ctx.span?.from, end);
  const [pairs, silos, kinds, cross] = await Promise.all([
    warehouse.query(
      sql`SELECT department, counterpart, quantileExactMerge(0.5)(latency) AS median, sum(n) AS n, uniqExactMerge(people) AS people
          FROM response_daily WHERE org = ${org} AND kind = 'reply' AND department != counterpart AND department != '' AND counterpart != ''
            AND ${dayRange(window)} AND ${liveRows('response_daily', org, window)}
          GROUP BY department, counterpart HAVING n >= ${MIN_PAIR_REPLIES} ORDER BY median DESC, department, counterpart LIMIT ${PAIRS_KEPT}`,
      pairRow,
      { org },
    ),
    warehouse.query(
      sql`SELECT department, sumIf(n, department = counterpart) AS inside, sum(n) AS total, uniqExactMerge(people) AS people
          FROM response_daily WHERE org = ${org} AND kind = 'interaction' AND department != ''
            AND ${dayRange(window)} AND ${liveRows('response_daily', org, window)}
          GROUP BY department ORDER BY inside / total DESC, department`,
      interactionRow,
      { org },
    ),
    warehouse.query(
      sql`SELECT kind, sum(n) AS n, quantileExactMerge(0.5)(cycle) AS median
          FROM approval_daily WHERE org = ${org} AND ${dayRange(window)} AND ${liveRows('approval_daily', org, window)}
          GROUP BY kind ORDER BY median DESC, kind`,
      kindRow,
      { org },
    ),
    warehouse.query(
      sql`SELECT sum(n) AS n, quantileExactMerge(0.5)(latency) AS median
          FROM response_daily WHERE org = ${org} AND kind = 'reply' AND department != counterpart
            AND ${dayRange(window)} AND ${liveRows('response_daily', org, window)}`,
      crossRow,
      { org },
    ),
  ]);
  const c = cross[0];
  const crossMedian = c && c.n > 0 ? c.median : null;
  const weeks = (dayDiff(window.from, window.to) + 1) / 7;
  const hourly = ctx.roi.hourlyCostByLevel.default?.base ?? 0;
  const productive = ctx.roi.productiveFraction.base;
  const capHours = ctx.roi.maxBlockedHoursPerWait.base;
  const blockingShare = ctx.roi.blockingReplyShare.base;
  const repliesPerWeek = c ? c.n / weeks : 0;
  // Blocked hours, not wall-clock latency: only the blocking share of replies, each at most the cap
  // (the same model as the ROI's waiting component, docs/roi.md).
  const waitingHoursPerWeek = crossMedian !== null ? repliesPerWeek * Math.min(crossMedian / 3600, capHours) * blockingShare : null;
  const inside = silos.reduce((s, r) => s + r.inside, 0);
  const total = silos.reduce((s, r) => s + r.total, 0);
  return {
    window,
    crossTeam: { replies: c?.n ?? 0, median: crossMedian, repliesPerWeek, waitingHoursPerWeek },
    cost: {
      perWeek: waitingHoursPerWeek !== null ? waitingHoursPerWeek * productive * hourly : null,
      hourlyCost: hourly,
      productiveFraction: productive,
      capHours,
      blockingShare,
      currency: ctx.roi.currency,
    },
    siloIndex: total > 0 ? inside / total : null,
    slowestPairs: pairs,
    departments: silos.map((s) => ({ ...s, siloIndex: s.total > 0 ? s.inside / s.total : null })),
    approvalKinds: kinds.map((k) => ({ kind: k.kind, n: k.n, median: k.n > 0 ? k.median : null })),
  };
}
