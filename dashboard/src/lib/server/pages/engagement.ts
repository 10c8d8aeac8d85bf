// Engagement page (HR): after-hours and weekend share of activity (each person's own timezone), the
// weekday × hour pattern (activity_hourly, the same clock), and activity-drop warnings against each
// team's own 4-week baseline. Aggregates only: any department figure covering fewer than k people
// reads "fewer than k people", and a heatmap cell covering fewer than k people is left out.
import { z } from 'zod';
import { latestRows } from '$warehouse/read-api/metric-spec.ts';
import { day, joinSql, sql, type SqlFragment } from '$warehouse/sql.ts';
import { addDays, type DayRange } from '$lib/date-range.ts';
import { label, SUPPRESSED, text, type PageView, type Value } from '$lib/view.ts';
import type { PageContext } from '../page-load.ts';
import { decideShown, PEOPLE_BOUNDS, peopleBoundsFields } from '../people-bounds.ts';
import { periodOf } from '../periods-sql.ts';
import { isShown, pageK } from '../privacy.ts';
import { dayRange, inDepartments, liveRows } from '../rollup-sql.ts';
import { align, change, departmentNamer, ratio, trendOf, withComparison } from './common.ts';

const trendRow = z.object({ p: z.string(), events: z.coerce.number(), afterHours: z.coerce.number(), weekend: z.coerce.number() });
const departmentRow = z.object({ department: z.string(), people: z.coerce.number(), events: z.coerce.number(), afterHours: z.coerce.number(), weekend: z.coerce.number() });
const dropRow = z.object({ department: z.string(), recent: z.coerce.number(), baseline: z.coerce.number(), recentPeople: z.coerce.number(), baselinePeople: z.coerce.number() });
const hourRow = z.object({ wd: z.coerce.number(), h: z.coerce.number(), events: z.coerce.number(), ...peopleBoundsFields });
const hourPeopleRow = z.object({ wd: z.coerce.number(), h: z.coerce.number(), people: z.coerce.number() });
const sumRow = z.object({ events: z.coerce.number(), afterHours: z.coerce.number(), weekend: z.coerce.number(), people: z.coerce.number() });

/** A drop of activity per person this large against the team's own baseline raises a warning. */
export const DROP_WARNING = 0.3;

async function summary(ctx: PageContext, range: DayRange) {
  const org = ctx.org.id;
  const rows = await ctx.warehouse.query(
    sql`SELECT sum(events) AS events, sum(after_hours) AS afterHours, sum(weekend) AS weekend, uniqExactMerge(people) AS people
        FROM activity_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('activity_daily', org, range)}${inDepartments(ctx.scope.departments)}`,
    sumRow,
    { org },
  );
  const r = rows[0];
  const shown = r !== undefined && isShown(r.people);
  return { afterHours: shown ? ratio(r.afterHours, r.events) : null, weekend: shown ? ratio(r.weekend, r.events) : null };
}

/**
 * The weekday × hour pattern: days of activity_hourly added up per cell, and whether each cell covers
 * at least k people. Merging every row's people set (strings) for a year dominated the page, so each
 * cell's people bounds (people-bounds.ts) decide first, and only the cells they leave undecided merge
 * their sets, in a second pass over those cells alone.
 */
async function loadHours(ctx: PageContext, range: DayRange, deps: SqlFragment) {
  const org = ctx.org.id;
  const cells = await ctx.warehouse.query(
    sql`SELECT weekday AS wd, hour AS h, sum(events) AS events, ${PEOPLE_BOUNDS}
        FROM (${latestRows('activity_hourly', org, range.from, range.to)})
        WHERE org = ${org}${deps}
        GROUP BY wd, h
        ORDER BY wd, h`,
    hourRow,
    { org },
  );
  const cellId = (c: { wd: number; h: number }) => c.wd * 24 + c.h;
  const decided = await decideShown(
    cells,
    (c) => String(cellId(c)),
    async (undecided) => {
      const ids = joinSql(undecided.map((c) => sql`${cellId(c)}`), ', ');
      const rows = await ctx.warehouse.query(
        sql`SELECT weekday AS wd, hour AS h, uniqExactMerge(people) AS people
            FROM (${latestRows('activity_hourly', org, range.from, range.to)})
            WHERE org = ${org}${deps} AND (weekday * 24 + hour) IN (${ids})
            GROUP BY wd, h`,
        hourPeopleRow,
        { org },
      );
      return new Map(rows.map((r) => [String(cellId(r)), r.people]));
    },
  );
  return decided.map((c) => ({ wd: c.wd, h: c.h, events: c.events, shown: c.shown }));
}

export async function loadEngagementView(ctx: PageContext): Promise<PageView> {
  const org = ctx.org.id;
  const range = ctx.scope.filters.range;
  const deps = inDepartments(ctx.scope.departments);
  const trend = trendOf(range);
  const period = periodOf(trend.granularity);
  const name = departmentNamer(ctx);
  const recentFrom = addDays(range.to, -6);
  const dropWindow = { from: addDays(range.to, -34), to: range.to };
  const [sums, trendRows, departments, drops, hours] = await Promise.all([
    withComparison(ctx, (r) => summary(ctx, r)),
    ctx.warehouse.query(
      sql`SELECT ${period} AS p, sum(events) AS events, sum(after_hours) AS afterHours, sum(weekend) AS weekend
          FROM activity_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('activity_daily', org, range)}${deps}
          GROUP BY p HAVING uniqExactMerge(people) >= ${pageK()} ORDER BY p`,
      trendRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT department, uniqExactMerge(people) AS people, sum(events) AS events, sum(after_hours) AS afterHours, sum(weekend) AS weekend
          FROM activity_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('activity_daily', org, range)}${deps}
          GROUP BY department`,
      departmentRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT department, sumIf(events, day >= ${day(recentFrom)}) AS recent, sumIf(events, day < ${day(recentFrom)}) AS baseline,
            uniqExactMergeIf(people, day >= ${day(recentFrom)}) AS recentPeople, uniqExactMergeIf(people, day < ${day(recentFrom)}) AS baselinePeople
          FROM activity_daily WHERE org = ${org} AND ${dayRange(dropWindow)} AND ${liveRows('activity_daily', org, dropWindow)}${deps}
          GROUP BY department`,
      dropRow,
      { org },
    ),
    loadHours(ctx, range, deps),
  ]);
  const { now, before } = sums;
  const ordered = [...departments].sort((a, b) => name(a.department).localeCompare(name(b.department)));
  const guarded = (people: number, v: number | null): Value => (isShown(people) ? v : SUPPRESSED);
  const warnings = drops
    .map((d) => {
      const recentRate = d.recent / 7;
      const baseRate = d.baseline / 28;
      const dropShare = baseRate > 0 ? 1 - recentRate / baseRate : null;
      return { ...d, dropShare };
    })
    .filter((d) => d.dropShare !== null && d.dropShare >= DROP_WARNING)
    .sort((a, b) => (b.dropShare ?? 0) - (a.dropShare ?? 0));
  const shownHours = hours.filter((h) => h.shown);
  const suppressedAny =
    ordered.some((d) => !isShown(d.people)) ||
    warnings.some((w) => !isShown(Math.min(w.recentPeople, w.baselinePeople))) ||
    shownHours.length < hours.length;

  return {
    notices: [
      { tone: 'info', text: label('eng.aggregatesOnly', { k: pageK() }) },
      ...(suppressedAny ? [{ tone: 'info' as const, text: label('privacy.someSuppressed', { k: pageK() }) }] : []),
    ],
    tiles: [
      { id: 'after-hours', label: label('eng.afterHours'), value: now.afterHours, unit: 'percent', change: change(now.afterHours, before?.afterHours), higherIsBetter: false, hint: label('eng.afterHoursHint') },
      { id: 'weekend', label: label('eng.weekend'), value: now.weekend, unit: 'percent', change: change(now.weekend, before?.weekend), higherIsBetter: false },
      { id: 'warnings', label: label('eng.warnings'), value: warnings.length, unit: 'count', tone: warnings.length > 0 ? 'bad' : 'good', hint: label('eng.warningsHint', { drop: Math.round(DROP_WARNING * 100) }) },
    ],
    panels: [
      {
        kind: 'trend',
        id: 'after-hours-trend',
        title: label('eng.trendTitle'),
        subtitle: label('eng.trendSubtitle'),
        unit: 'percent',
        min: 0,
        ...trend,
        series: [
          { name: label('eng.afterHours'), values: align(trend, trendRows, (r) => ratio(r.afterHours, r.events)) },
          { name: label('eng.weekend'), values: align(trend, trendRows, (r) => ratio(r.weekend, r.events)) },
        ],
        empty: { title: label('eng.noActivity'), hint: label('empty.runJobs') },
      },
      {
        kind: 'heatmap',
        id: 'weekday-hour',
        title: label('eng.heatmapTitle'),
        subtitle: label('eng.heatmapSubtitle'),
        unit: 'count',
        x: Array.from({ length: 24 }, (_, h) => text(String(h).padStart(2, '0'))),
        y: Array.from({ length: 7 }, (_, d) => label(`weekday.${d}` as 'weekday.0')),
        xName: label('eng.hour'),
        cells: shownHours.map((h) => ({ x: h.h, y: h.wd - 1, value: h.events })),
        empty: { title: label('eng.noActivity'), hint: hours.length === 0 ? label('empty.runJobs') : label('privacy.tooFew', { k: pageK() }) },
      },
      {
        kind: 'bars',
        id: 'after-hours-by-department',
        title: label('eng.byDepartmentTitle'),
        subtitle: label('eng.byDepartmentSubtitle', { k: pageK() }),
        unit: 'percent',
        horizontal: true,
        wide: true,
        categories: ordered.map((d) => text(name(d.department))),
        series: [
          { name: label('eng.afterHours'), values: ordered.map((d) => guarded(d.people, ratio(d.afterHours, d.events))) },
          { name: label('eng.weekend'), values: ordered.map((d) => guarded(d.people, ratio(d.weekend, d.events))) },
        ],
        empty: { title: label('eng.noActivity'), hint: label('empty.runJobs') },
      },
      {
        kind: 'table',
        id: 'activity-drop',
        title: label('eng.dropTitle'),
        subtitle: label('eng.dropSubtitle', { drop: Math.round(DROP_WARNING * 100) }),
        unit: 'percent',
        columns: [{ label: label('table.department') }, { label: label('eng.drop'), unit: 'percent' }, { label: label('eng.suggestion') }],
        rows: warnings.map((w) => {
          const shown = isShown(Math.min(w.recentPeople, w.baselinePeople));
          return [text(name(w.department)), shown ? w.dropShare : SUPPRESSED, shown ? label('eng.suggestCheckIn') : SUPPRESSED];
        }),
        empty: { title: label('eng.noWarnings'), hint: label('eng.noWarningsHint') },
      },
    ],
  };
}
