// Responsiveness page: reply and read latency (distribution and trend), cross-team latency, the
// department × department heatmap, read-but-unreplied (已讀未回) and urgent-notice reach in 15 minutes.
// Reads response_kind_daily (response_daily's rows ordered by kind, latencies as UInt32 whole seconds:
// the same values, half the bytes, only the kinds asked for) and message_daily; heatmap cells covering
// fewer than k responders are suppressed.
import { z } from 'zod';
import { sql } from '$warehouse/sql.ts';
import type { DayRange } from '$lib/date-range.ts';
import { label, SUPPRESSED, text, type PageView, type Value } from '$lib/view.ts';
import type { PageContext } from '../page-load.ts';
import { periodOf } from '../periods-sql.ts';
import { isShown } from '../privacy.ts';
import { dayRange, inDepartments, liveRows } from '../rollup-sql.ts';
import { align, change, departmentNamer, ratio, trendOf } from './common.ts';

const summaryRow = z.object({ reply: z.coerce.number(), cross: z.coerce.number(), read: z.coerce.number(), replies: z.coerce.number(), crossReplies: z.coerce.number() });
const messageRow = z.object({ read: z.coerce.number(), unreplied: z.coerce.number(), recipients: z.coerce.number(), reached: z.coerce.number() });
const trendRow = z.object({ p: z.string(), reply: z.coerce.number(), read: z.coerce.number(), cross: z.coerce.number(), urgentRead: z.coerce.number(), replies: z.coerce.number(), crossReplies: z.coerce.number(), urgentReads: z.coerce.number() });
const messageTrendRow = z.object({ p: z.string(), read: z.coerce.number(), unreplied: z.coerce.number(), recipients: z.coerce.number(), reached: z.coerce.number() });
const distributionRow = z.object({ kind: z.string(), q: z.array(z.coerce.number()), n: z.coerce.number(), cross: z.coerce.number(), crossReplies: z.coerce.number() });
const pairRow = z.object({ department: z.string(), counterpart: z.string(), median: z.coerce.number(), n: z.coerce.number(), people: z.coerce.number() });

const QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9] as const;
const MEDIAN = QUANTILES.indexOf(0.5);
const HEATMAP_DEPARTMENTS = 12;

type Latency = { reply: number | null; cross: number | null; read: number | null };

/**
 * The three median tiles. For the page's own range they come from the distribution's merge (its 50th
 * percentile is the median); a comparison range asks for them alone.
 */
async function medians(ctx: PageContext, range: DayRange): Promise<Latency> {
  const org = ctx.org.id;
  const rows = await ctx.warehouse.query(
    sql`SELECT quantileExactMergeIf(0.5)(latency, kind = 'reply') AS reply,
          quantileExactMergeIf(0.5)(latency, kind = 'reply' AND department != counterpart) AS cross,
          quantileExactMergeIf(0.5)(latency, kind = 'read') AS read,
          sumIf(n, kind = 'reply') AS replies, sumIf(n, kind = 'reply' AND department != counterpart) AS crossReplies
        FROM response_kind_daily WHERE org = ${org} AND kind IN ('reply', 'read') AND ${dayRange(range)} AND ${liveRows('response_kind_daily', org, range)}${inDepartments(ctx.scope.departments)}`,
    summaryRow,
    { org },
  );
  const l = rows[0];
  return {
    reply: l && l.replies > 0 ? l.reply : null,
    cross: l && l.crossReplies > 0 ? l.cross : null,
    read: l && l.read > 0 ? l.read : null,
  };
}

async function summary(ctx: PageContext, range: DayRange, latency: Promise<Latency>) {
  const org = ctx.org.id;
  const deps = inDepartments(ctx.scope.departments);
  const [l, messages] = await Promise.all([
    latency,
    ctx.warehouse.query(
      sql`SELECT sum(read) AS read, sum(read_unreplied) AS unreplied, sum(recipients) AS recipients, sum(reached_15m) AS reached
          FROM message_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('message_daily', org, range)}${deps}`,
      messageRow,
      { org },
    ),
  ]);
  const m = messages[0];
  return {
    ...l,
    unrepliedRate: m ? ratio(m.unreplied, m.read) : null,
    urgentReach: m ? ratio(m.reached, m.recipients) : null,
  };
}

export async function loadResponsivenessView(ctx: PageContext): Promise<PageView> {
  const org = ctx.org.id;
  const range = ctx.scope.filters.range;
  const deps = inDepartments(ctx.scope.departments);
  const trend = trendOf(range);
  const period = periodOf(trend.granularity);
  const name = departmentNamer(ctx);
  // Every exact percentile merges each day's full state; a year is about 8.5 M latencies, so the
  // distribution merges them once per kind (quantileExactMergeState) and takes its five levels, and
  // the range's three median tiles, from that. (18.16 refuses quantilesExactMerge on a quantileExact
  // state.) Latency rows are read from response_kind_daily, whose key starts with kind.
  const distributionRows = ctx.warehouse.query(
    sql`SELECT kind, [quantileExactMerge(0.1)(s), quantileExactMerge(0.25)(s), quantileExactMerge(0.5)(s), quantileExactMerge(0.75)(s), quantileExactMerge(0.9)(s)] AS q,
          any(total) AS n, any(kindCross) AS cross, any(kindCrossReplies) AS crossReplies
        FROM (
          SELECT kind, quantileExactMergeState(latency) AS s, sum(n) AS total,
            quantileExactMergeIf(0.5)(latency, kind = 'reply' AND department != counterpart) AS kindCross,
            sumIf(n, kind = 'reply' AND department != counterpart) AS kindCrossReplies
          FROM response_kind_daily WHERE org = ${org} AND kind IN ('reply', 'read') AND ${dayRange(range)} AND ${liveRows('response_kind_daily', org, range)}${deps}
          GROUP BY kind)
        GROUP BY kind ORDER BY kind`,
    distributionRow,
    { org },
  );
  const rangeMedians = distributionRows.then((rows): Latency => {
    const reply = rows.find((r) => r.kind === 'reply');
    const read = rows.find((r) => r.kind === 'read')?.q[MEDIAN] ?? 0;
    return {
      reply: reply && reply.n > 0 ? (reply.q[MEDIAN] ?? null) : null,
      cross: reply && reply.crossReplies > 0 ? reply.cross : null,
      read: read > 0 ? read : null,
    };
  });
  const [sums, trendRows, messageTrend, distribution, pairs] = await Promise.all([
    Promise.all([summary(ctx, range, rangeMedians), ctx.scope.comparison ? summary(ctx, ctx.scope.comparison, medians(ctx, ctx.scope.comparison)) : undefined]),
    ctx.warehouse.query(
      sql`SELECT ${period} AS p,
            quantileExactMergeIf(0.5)(latency, kind = 'reply') AS reply,
            quantileExactMergeIf(0.5)(latency, kind = 'read') AS read,
            quantileExactMergeIf(0.5)(latency, kind = 'reply' AND department != counterpart) AS cross,
            quantileExactMergeIf(0.5)(latency, kind = 'read' AND urgent = 1) AS urgentRead,
            sumIf(n, kind = 'reply') AS replies, sumIf(n, kind = 'reply' AND department != counterpart) AS crossReplies,
            sumIf(n, kind = 'read' AND urgent = 1) AS urgentReads
          FROM response_kind_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('response_kind_daily', org, range)}${deps}
          GROUP BY p ORDER BY p`,
      trendRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT ${period} AS p, sum(read) AS read, sum(read_unreplied) AS unreplied, sum(recipients) AS recipients, sum(reached_15m) AS reached
          FROM message_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('message_daily', org, range)}${deps}
          GROUP BY p ORDER BY p`,
      messageTrendRow,
      { org },
    ),
    distributionRows,
    ctx.warehouse.query(
      sql`SELECT department, counterpart, quantileExactMerge(0.5)(latency) AS median, sum(n) AS n, uniqExactMerge(people) AS people
          FROM response_kind_daily WHERE org = ${org} AND kind = 'reply' AND ${dayRange(range)} AND ${liveRows('response_kind_daily', org, range)}${deps}
          GROUP BY department, counterpart`,
      pairRow,
      { org },
    ),
  ]);

  const [now, before] = sums;
  const volume = new Map<string, number>();
  for (const p of pairs) {
    volume.set(p.department, (volume.get(p.department) ?? 0) + p.n);
    volume.set(p.counterpart, (volume.get(p.counterpart) ?? 0) + p.n);
  }
  const top = [...volume.entries()].sort((a, b) => b[1] - a[1]).slice(0, HEATMAP_DEPARTMENTS).map(([d]) => d).sort((a, b) => name(a).localeCompare(name(b)));
  const index = new Map(top.map((d, i) => [d, i]));
  const cells: { x: number; y: number; value: Value }[] = [];
  for (const p of pairs) {
    const x = index.get(p.department);
    const y = index.get(p.counterpart);
    if (x === undefined || y === undefined) continue;
    cells.push({ x, y, value: isShown(p.people) ? p.median : SUPPRESSED });
  }
  const dist = (kind: string) => distribution.find((r) => r.kind === kind);
  const emptyLatency = { title: label('empty.noMessages'), hint: label('empty.runJobs') };

  return {
    notices: cells.some((c) => typeof c.value === 'object') ? [{ tone: 'info', text: label('privacy.someSuppressed', { k: 5 }) }] : [],
    tiles: [
      { id: 'reply-latency', label: label('resp.replyMedian'), value: now.reply, unit: 'seconds', change: change(now.reply, before?.reply), higherIsBetter: false },
      { id: 'cross-latency', label: label('resp.crossMedian'), value: now.cross, unit: 'seconds', change: change(now.cross, before?.cross), higherIsBetter: false },
      { id: 'read-latency', label: label('resp.readMedian'), value: now.read, unit: 'seconds', change: change(now.read, before?.read), higherIsBetter: false },
      { id: 'unreplied', label: label('resp.unrepliedRate'), value: now.unrepliedRate, unit: 'percent', change: change(now.unrepliedRate, before?.unrepliedRate), higherIsBetter: false, hint: label('resp.unrepliedHint') },
      { id: 'urgent-reach', label: label('resp.urgentReach'), value: now.urgentReach, unit: 'percent', change: change(now.urgentReach, before?.urgentReach), higherIsBetter: true, hint: label('resp.urgentReachHint') },
    ],
    panels: [
      {
        kind: 'trend',
        id: 'latency-trend',
        title: label('resp.trendTitle'),
        subtitle: label('resp.trendSubtitle'),
        unit: 'seconds',
        ...trend,
        series: [
          { name: label('resp.reply'), values: align(trend, trendRows, (r) => (r.replies > 0 ? r.reply : null)) },
          { name: label('resp.crossTeam'), values: align(trend, trendRows, (r) => (r.crossReplies > 0 ? r.cross : null)) },
          { name: label('resp.read'), values: align(trend, trendRows, (r) => r.read), reference: true },
        ],
        empty: emptyLatency,
      },
      {
        kind: 'bars',
        id: 'latency-distribution',
        title: label('resp.distributionTitle'),
        subtitle: label('resp.distributionSubtitle'),
        unit: 'seconds',
        categories: QUANTILES.map((q) => label('resp.percentile', { p: Math.round(q * 100) })),
        series: [
          { name: label('resp.reply'), values: QUANTILES.map((_, i) => ((dist('reply')?.n ?? 0) > 0 ? (dist('reply')?.q[i] ?? null) : null)) },
          { name: label('resp.read'), values: QUANTILES.map((_, i) => ((dist('read')?.n ?? 0) > 0 ? (dist('read')?.q[i] ?? null) : null)) },
        ],
        empty: emptyLatency,
      },
      {
        kind: 'heatmap',
        id: 'department-heatmap',
        title: label('resp.heatmapTitle'),
        subtitle: label('resp.heatmapSubtitle'),
        unit: 'seconds',
        wide: true,
        x: top.map((d) => text(name(d))),
        y: top.map((d) => text(name(d))),
        xName: label('resp.responder'),
        yName: label('resp.sender'),
        cells,
        empty: emptyLatency,
      },
      {
        kind: 'trend',
        id: 'unreplied-trend',
        title: label('resp.unrepliedTitle'),
        subtitle: label('resp.unrepliedSubtitle'),
        unit: 'percent',
        min: 0,
        ...trend,
        series: [{ name: label('resp.unrepliedRate'), values: align(trend, messageTrend, (r) => ratio(r.unreplied, r.read)), kind: 'area' }],
        empty: emptyLatency,
      },
      {
        kind: 'trend',
        id: 'urgent-reach',
        title: label('resp.urgentTitle'),
        subtitle: label('resp.urgentSubtitle'),
        unit: 'percent',
        min: 0,
        max: 1,
        ...trend,
        series: [{ name: label('resp.urgentReach'), values: align(trend, messageTrend, (r) => ratio(r.reached, r.recipients)), kind: 'bar' }],
        empty: { title: label('resp.urgentEmpty'), hint: label('resp.urgentEmptyHint') },
      },
    ],
  };
}
