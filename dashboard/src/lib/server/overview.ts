// Overview page: the active rate (licensed people active that day ÷ licensed headcount that day) of
// the departments in scope over time, and per department from the metrics engine (readMetric
// 'active_rate', the read API's own definition and k-suppression), so the page and the API cannot
// disagree. Reads the activity_daily and headcount_daily rollups only.
import { z } from 'zod';
import { findMetric } from '$warehouse/read-api/catalogue.ts';
import { readMetric } from '$warehouse/read-api/read-metric.ts';
import { sql } from '$warehouse/sql.ts';
import type { DayRange } from '$lib/date-range.ts';
import { mondayOf } from '$lib/periods.ts';
import { label, SUPPRESSED, text, type PageView } from '$lib/view.ts';
import type { PageContext } from './page-load.ts';
import { change, departmentNamer, trendOf, withComparison, type Trend } from './pages/common.ts';
import { isShown, pageK } from './privacy.ts';
import { dayRange, inDepartments, liveRows } from './rollup-sql.ts';

interface DayRate {
  day: string;
  active: number;
  licensed: number;
}

// Day labels are `d`: an alias named `day` would replace the column in WHERE as well (aliases are query-wide in ClickHouse).
const dayRow = z.object({ d: z.string(), licensed: z.coerce.number(), active: z.coerce.number() });

/** Active and licensed person-days per day of the range, for the departments in scope. */
async function dailyRates(ctx: PageContext, range: DayRange): Promise<DayRate[]> {
  const org = ctx.org.id;
  const deps = inDepartments(ctx.scope.departments);
  // Every day with a headcount, and its activity (0 where nobody was active: the join's default).
  const rows = await ctx.warehouse.query(
    sql`SELECT d, licensed, active FROM
          (SELECT toString(day) AS d, sum(licensed) AS licensed
           FROM headcount_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('headcount_daily', org, range)}${deps}
           GROUP BY d) AS h
        ANY LEFT JOIN
          (SELECT toString(day) AS d, uniqExactIfMerge(licensed_people) AS active
           FROM activity_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('activity_daily', org, range)}${deps}
           GROUP BY d) AS a
        USING d
        ORDER BY d`,
    dayRow,
    { org },
  );
  return rows.map((r) => ({ day: r.d, active: r.active, licensed: r.licensed }));
}

/** Σ active ÷ Σ licensed over the days, and the largest daily headcount (the people a figure stands on). */
function rateOf(days: readonly DayRate[]): { rate: number | null; people: number } {
  const active = days.reduce((s, d) => s + d.active, 0);
  const licensed = days.reduce((s, d) => s + d.licensed, 0);
  return { rate: licensed > 0 ? active / licensed : null, people: Math.max(0, ...days.map((d) => d.licensed)) };
}

/** The rate per period of the trend; a period whose headcount is below k is left out, like a suppressed group. */
function trendValues(trend: Trend, days: readonly DayRate[]): (number | null)[] {
  const byPeriod = new Map<string, DayRate[]>();
  for (const d of days) {
    const p = trend.granularity === 'week' ? mondayOf(d.day) : d.day;
    byPeriod.set(p, [...(byPeriod.get(p) ?? []), d]);
  }
  return trend.periods.map((p) => {
    const r = rateOf(byPeriod.get(p) ?? []);
    return r.rate !== null && isShown(r.people) ? r.rate : null;
  });
}

export async function loadOverviewView(ctx: PageContext): Promise<PageView> {
  const range = ctx.scope.filters.range;
  const trend = trendOf(range);
  const name = departmentNamer(ctx);
  const metric = findMetric('active_rate');
  if (!metric) throw new Error('the metric catalogue has no active_rate');
  const [days, byDepartment] = await Promise.all([
    withComparison(ctx, (r) => dailyRates(ctx, r)),
    readMetric(ctx.warehouse, { org: ctx.org, metric, from: range.from, to: range.to, groupBy: 'department', stat: 'p50', k: pageK() }),
  ]);
  const now = rateOf(days.now);
  const before = days.before ? rateOf(days.before) : undefined;
  const shownRate = (r: { rate: number | null; people: number }) => (r.rate === null || isShown(r.people) ? r.rate : null);
  const last = days.now.filter((d) => d.licensed > 0).at(-1);

  const inScope = ctx.scope.departments ? new Set(ctx.scope.departments) : undefined;
  const departments = byDepartment.points
    .filter((p) => p.department !== undefined && (!inScope || inScope.has(p.department)))
    .sort((a, b) => (b.value ?? -1) - (a.value ?? -1) || name(a.department!).localeCompare(name(b.department!)));
  const suppressedAny = departments.some((p) => p.suppressed) || (now.rate !== null && !isShown(now.people));
  const empty = { title: label('overview.empty'), hint: label('overview.emptyHint') };

  return {
    notices: suppressedAny ? [{ tone: 'info', text: label('privacy.someSuppressed', { k: pageK() }) }] : [],
    tiles: [
      {
        id: 'active-rate',
        label: label('overview.col.average'),
        value: now.rate !== null && !isShown(now.people) ? SUPPRESSED : now.rate,
        unit: 'percent',
        change: change(shownRate(now), before ? shownRate(before) : undefined),
        higherIsBetter: true,
      },
      {
        id: 'active-latest',
        label: label('overview.col.activeUsers'),
        value: last ? (isShown(last.licensed) ? last.active : SUPPRESSED) : null,
        unit: 'count',
        ...(last && isShown(last.licensed)
          ? { hint: label('overview.latestHint', { day: last.day, active: last.active, licensed: last.licensed }) }
          : {}),
      },
    ],
    panels: [
      {
        kind: 'trend',
        id: 'active-rate-trend',
        title: label('overview.trendTitle'),
        unit: 'percent',
        min: 0,
        ...trend,
        series: [{ name: label('overview.col.rate'), values: trendValues(trend, days.now), kind: 'area' }],
        empty,
      },
      {
        kind: 'bars',
        id: 'active-rate-by-department',
        title: label('overview.chartTitle'),
        subtitle: label('overview.departmentSubtitle'),
        unit: 'percent',
        horizontal: true,
        max: 1,
        categories: departments.map((p) => text(name(p.department!))),
        series: [{ name: label('overview.col.rate'), values: departments.map((p) => (p.suppressed ? SUPPRESSED : p.value)) }],
        empty,
      },
    ],
  };
}
