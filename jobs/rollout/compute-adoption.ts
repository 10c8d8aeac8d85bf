// Step 3 — adoption curves: active licensed people ÷ licensed headcount per period and department
// (summed per wave, or per department subtree, by the reader), the pilot-vs-control-vs-all daily
// active rate per period, and the adoption funnel per department. Periods are days for spans up to
// nine weeks and ISO weeks (Mondays) beyond, as on the dashboard.
import { z } from 'zod';
import type { RolloutBody } from '../../contracts/rollout.ts';
import type { Warehouse } from '../../warehouse/client.ts';
import { day, sql, trustedSql } from '../../warehouse/sql.ts';
import { addDays, dayDiff, mondayOf } from '../days.ts';
import type { DayRange } from '../job.ts';
import type { Series } from './daily-series.ts';
import { dayRange, liveAdoption, liveRows, within } from './live-rows.ts';
import type { RolloutContext } from './rollout-context.ts';

const MAX_DAILY_DAYS = 63;

const deptRow = z.object({ period: z.string(), department: z.string(), active: z.coerce.number() });
const headRow = z.object({ period: z.string(), department: z.string(), licensed: z.coerce.number() });
const funnelRow = z.object({ department: z.string(), wave: z.string(), invited: z.coerce.number(), activated: z.coerce.number(), weekly: z.coerce.number(), habitual: z.coerce.number() });

export type Granularity = 'day' | 'week';

export function granularityFor(range: DayRange): Granularity {
  return dayDiff(range.from, range.to) + 1 <= MAX_DAILY_DAYS ? 'day' : 'week';
}

export function listPeriods(range: DayRange, granularity: Granularity): string[] {
  const out: string[] = [];
  if (granularity === 'day') for (let d = range.from; d <= range.to; d = addDays(d, 1)) out.push(d);
  else for (let d = mondayOf(range.from); d <= range.to; d = addDays(d, 7)) out.push(d);
  return out;
}

/** Pilot (g = 1), control (g = 0) and everyone: Σ daily active ÷ Σ daily licensed per period. */
export function groupRates(series: Series, range: DayRange, granularity: Granularity, periods: readonly string[]): RolloutBody<'adoption'>['groups'] {
  const key = (d: string) => (granularity === 'day' ? d : mondayOf(d));
  const sums = new Map<string, { a: [number, number]; l: [number, number] }>();
  const bucket = (d: string) => {
    let b = sums.get(key(d));
    if (!b) sums.set(key(d), (b = { a: [0, 0], l: [0, 0] }));
    return b;
  };
  for (const r of series.activity) if (within(r.d, range)) bucket(r.d).a[r.g ? 1 : 0] += r.active;
  for (const r of series.headcount) if (within(r.d, range)) bucket(r.d).l[r.g ? 1 : 0] += r.licensed;
  const rate = (a: number, l: number) => (l > 0 ? a / l : null);
  const at = (p: string, f: (b: { a: [number, number]; l: [number, number] }) => number | null) => {
    const b = sums.get(p);
    return b ? f(b) : null;
  };
  return {
    overall: periods.map((p) => at(p, (b) => rate(b.a[0] + b.a[1], b.l[0] + b.l[1]))),
    pilot: periods.map((p) => at(p, (b) => rate(b.a[1], b.l[1]))),
    control: periods.map((p) => at(p, (b) => rate(b.a[0], b.l[0]))),
  };
}

export async function computeAdoption(warehouse: Warehouse, series: Series, ctx: RolloutContext, span: DayRange): Promise<RolloutBody<'adoption'>> {
  const org = ctx.org;
  const granularity = granularityFor(span);
  const periods = listPeriods(span, granularity);
  // Only two fixed expressions are possible.
  const period = trustedSql(granularity === 'day' ? 'toString(day)' : 'toString(toMonday(day))');
  const [active, heads, funnel] = await Promise.all([
    warehouse.query(
      sql`SELECT ${period} AS period, department, uniqExactIfMerge(licensed_people) AS active
          FROM activity_daily WHERE org = ${org} AND ${dayRange(span)} AND ${liveRows('activity_daily', org, span)}
          GROUP BY period, department ORDER BY period, department`,
      deptRow,
      { org },
    ),
    warehouse.query(
      sql`SELECT ${period} AS period, department, sum(licensed) / uniqExact(day) AS licensed
          FROM headcount_daily WHERE org = ${org} AND ${dayRange(span)} AND ${liveRows('headcount_daily', org, span)}
          GROUP BY period, department ORDER BY period, department`,
      headRow,
      { org },
    ),
    warehouse.query(
      sql`SELECT department, wave, countIf(ifNull(invited <= ${day(span.to)}, 0)) AS invited, countIf(ifNull(activated <= ${day(span.to)}, 0)) AS activated,
            countIf(ifNull(weekly_active <= ${day(span.to)}, 0)) AS weekly, countIf(ifNull(habitual <= ${day(span.to)}, 0)) AS habitual
          FROM adoption_people WHERE org = ${org} AND ${liveAdoption(org)} GROUP BY department, wave ORDER BY department, wave`,
      funnelRow,
      { org },
    ),
  ]);
  const rows = new Map<string, { period: string; department: string; active: number; licensed: number }>();
  for (const h of heads) rows.set(`${h.period}\u0000${h.department}`, { period: h.period, department: h.department, active: 0, licensed: h.licensed });
  for (const a of active) {
    const k = `${a.period}\u0000${a.department}`;
    const row = rows.get(k);
    if (row) row.active = a.active;
    else rows.set(k, { period: a.period, department: a.department, active: a.active, licensed: 0 });
  }
  return {
    granularity,
    periods,
    waves: ctx.waves.map((w) => ({ id: w.id, name: w.name, start: w.start ?? null, departments: w.departments })),
    byDepartment: [...rows.values()].sort((a, b) => a.period.localeCompare(b.period) || a.department.localeCompare(b.department)),
    groups: groupRates(series, span, granularity, periods),
    funnel,
  };
}
