// Step 5 — continuous optimisation. Per department over the last 14 days: reach (active licensed ÷
// licensed), events per licensed person, and the activity drop against the department's own previous
// four weeks (1 − recent daily events per head ÷ baseline). A department is low-engagement when its
// events per person are in the bottom decile, its activity dropped by ≥ 30 %, or its reach is below
// 50 %; the suggested action follows the evidence: no ambassador → an ambassador visit, fewer than
// half of the invited activated → training, otherwise an incentive. Also the fastest-response team of
// each month (lowest median reply latency with ≥ 20 replies) and the weekly document co-editing share.
import { z } from 'zod';
import type { RolloutBody } from '../../contracts/rollout.ts';
import type { Warehouse } from '../../warehouse/client.ts';
import { day as dayLiteral, sql } from '../../warehouse/sql.ts';
import { addDays, mondayOf } from '../days.ts';
import type { DayRange } from '../job.ts';
import { percentile } from './diff-in-diff.ts';
import { dayRange, liveRows } from './live-rows.ts';
import type { RolloutContext } from './rollout-context.ts';

export const OPTIMISATION_THRESHOLDS = { lowReach: 0.5, activityDrop: 0.3, fastestMinReplies: 20, bottomDecile: 0.1 } as const;
const RECENT_DAYS = 14;
const DROP_BASELINE_DAYS = 28;
/** k for choosing the fastest team: a team of fewer people is never named (readers may apply a larger k). */
const FASTEST_MIN_PEOPLE = 5;

// Aliases never repeat a column name used in another aggregate of the same query (ClickHouse aliases are query-wide).
const activityRow = z.object({ department: z.string(), activeNow: z.coerce.number(), recentEvents: z.coerce.number(), baselineEvents: z.coerce.number() });
const headRow = z.object({ department: z.string(), headcount: z.coerce.number(), personDays: z.coerce.number(), baselinePersonDays: z.coerce.number() });
const fastestRow = z.object({ month: z.string(), department: z.string(), median: z.coerce.number(), n: z.coerce.number(), people: z.coerce.number() });
const docRow = z.object({ week: z.string(), docs: z.coerce.number(), coEdited: z.coerce.number(), people: z.coerce.number() });

export interface DepartmentEngagement {
  department: string;
  licensed: number;
  active: number;
  eventsPerPerson: number | null;
  activityDrop: number | null;
  ambassadors: number;
  /** activated ÷ invited (adoption funnel). */
  activation: number | null;
}

/** The pure part: which departments are low-engagement, why, and what to do. */
export function lowEngagement(departments: readonly DepartmentEngagement[], t = OPTIMISATION_THRESHOLDS): RolloutBody<'optimisation'>['lowEngagement'] {
  const rates = departments.map((d) => d.eventsPerPerson).filter((v): v is number => v !== null).sort((a, b) => a - b);
  // With fewer than 10 departments a "bottom decile" is only the very lowest one.
  const cutoff = rates.length > 0 ? percentile(rates, t.bottomDecile) : null;
  const out: RolloutBody<'optimisation'>['lowEngagement'] = [];
  for (const d of departments) {
    const reach = d.licensed > 0 ? d.active / d.licensed : null;
    const reasons: ('bottom_decile' | 'activity_drop' | 'low_reach')[] = [];
    if (cutoff !== null && d.eventsPerPerson !== null && d.eventsPerPerson <= cutoff) reasons.push('bottom_decile');
    if (d.activityDrop !== null && d.activityDrop >= t.activityDrop) reasons.push('activity_drop');
    if (reach !== null && reach < t.lowReach) reasons.push('low_reach');
    if (reasons.length === 0) continue;
    const action = d.ambassadors === 0 ? 'ambassador_visit' : d.activation !== null && d.activation < 0.5 ? 'training' : 'incentive';
    out.push({
      department: d.department,
      reasons,
      action,
      evidence: { reach, eventsPerPerson: d.eventsPerPerson, decileCutoff: cutoff, activityDrop: d.activityDrop, activation: d.activation, ambassadors: d.ambassadors },
      people: d.licensed,
    });
  }
  return out.sort((a, b) => (a.evidence.reach ?? 0) - (b.evidence.reach ?? 0) || a.department.localeCompare(b.department));
}

export async function computeOptimisation(
  warehouse: Warehouse,
  ctx: RolloutContext,
  span: DayRange,
  extra: { ambassadorsByDepartment: ReadonlyMap<string, number>; funnel: readonly { department: string; invited: number; activated: number }[] },
): Promise<RolloutBody<'optimisation'>> {
  const org = ctx.org;
  const recent = { from: addDays(span.to, -(RECENT_DAYS - 1)), to: span.to };
  const before = { from: addDays(recent.from, -DROP_BASELINE_DAYS), to: addDays(recent.from, -1) };
  const both = { from: before.from, to: recent.to };
  const months = { from: `${addDays(span.to, -180).slice(0, 7)}-01` < span.from ? span.from : `${addDays(span.to, -180).slice(0, 7)}-01`, to: span.to };
  const docs = { from: mondayOf(addDays(span.to, -181)) < span.from ? mondayOf(span.from) : mondayOf(addDays(span.to, -181)), to: span.to };
  const [activity, heads, fastest, coEditing] = await Promise.all([
    warehouse.query(
      sql`SELECT department, uniqExactIfMergeIf(licensed_people, day >= ${dayLiteral(recent.from)}) AS activeNow,
            sumIf(events, day >= ${dayLiteral(recent.from)}) AS recentEvents, sumIf(events, day < ${dayLiteral(recent.from)}) AS baselineEvents
          FROM activity_daily WHERE org = ${org} AND ${dayRange(both)} AND ${liveRows('activity_daily', org, both)}
          GROUP BY department ORDER BY department`,
      activityRow,
      { org },
    ),
    warehouse.query(
      sql`SELECT department, maxIf(licensed, day >= ${dayLiteral(recent.from)}) AS headcount, sumIf(licensed, day >= ${dayLiteral(recent.from)}) AS personDays, sumIf(licensed, day < ${dayLiteral(recent.from)}) AS baselinePersonDays
          FROM headcount_daily WHERE org = ${org} AND ${dayRange(both)} AND ${liveRows('headcount_daily', org, both)}
          GROUP BY department ORDER BY department`,
      headRow,
      { org },
    ),
    warehouse.query(
      sql`SELECT toString(toStartOfMonth(day)) AS month, department, quantileExactMerge(0.5)(latency) AS median, sum(n) AS n, uniqExactMerge(people) AS people
          FROM response_daily WHERE org = ${org} AND kind = 'reply' AND department != '' AND ${dayRange(months)} AND ${liveRows('response_daily', org, months)}
          GROUP BY month, department HAVING n >= ${OPTIMISATION_THRESHOLDS.fastestMinReplies} AND people >= ${FASTEST_MIN_PEOPLE}
          ORDER BY month, median, department`,
      fastestRow,
      { org },
    ),
    warehouse.query(
      sql`SELECT toString(day) AS week, uniqExactMerge(docs) AS docs, uniqExactMerge(coedited) AS coEdited, uniqExactMerge(people) AS people
          FROM doc_weekly WHERE org = ${org} AND ${dayRange(docs)} AND ${liveRows('doc_weekly', org, docs)}
          GROUP BY week ORDER BY week`,
      docRow,
      { org },
    ),
  ]);
  const activityOf = new Map(activity.map((a) => [a.department, a]));
  const funnelOf = new Map<string, { invited: number; activated: number }>();
  for (const f of extra.funnel) {
    const row = funnelOf.get(f.department) ?? { invited: 0, activated: 0 };
    row.invited += f.invited;
    row.activated += f.activated;
    funnelOf.set(f.department, row);
  }
  const departments: DepartmentEngagement[] = heads
    .filter((h) => h.department !== '' && h.headcount > 0)
    .map((h) => {
      const a = activityOf.get(h.department);
      const recentRate = h.personDays > 0 ? (a?.recentEvents ?? 0) / h.personDays : null;
      const baselineRate = h.baselinePersonDays > 0 ? (a?.baselineEvents ?? 0) / h.baselinePersonDays : null;
      const f = funnelOf.get(h.department);
      return {
        department: h.department,
        licensed: h.headcount,
        active: a?.activeNow ?? 0,
        eventsPerPerson: (a?.recentEvents ?? 0) / h.headcount,
        activityDrop: recentRate !== null && baselineRate !== null && baselineRate > 0 ? 1 - recentRate / baselineRate : null,
        ambassadors: extra.ambassadorsByDepartment.get(h.department) ?? 0,
        activation: f && f.invited > 0 ? f.activated / f.invited : null,
      };
    });
  const winners = new Map<string, (typeof fastest)[number]>();
  for (const f of fastest) if (!winners.has(f.month)) winners.set(f.month, f);
  return {
    recent,
    departments: departments.map((d) => ({ ...d, reach: d.licensed > 0 ? d.active / d.licensed : null, people: d.licensed })),
    lowEngagement: lowEngagement(departments),
    fastestTeams: [...winners.values()].map((w) => ({ month: w.month.slice(0, 7), department: w.department, median: w.median, replies: w.n, people: w.people })),
    docCoEditing: coEditing.map((c) => ({ ...c, share: c.docs > 0 ? c.coEdited / c.docs : null })),
    thresholds: { lowReach: OPTIMISATION_THRESHOLDS.lowReach, activityDrop: OPTIMISATION_THRESHOLDS.activityDrop, fastestMinReplies: OPTIMISATION_THRESHOLDS.fastestMinReplies },
  };
}
