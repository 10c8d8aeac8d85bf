// Responsiveness page: reply and read latency (distribution and trend), cross-team latency, the
// department × department heatmap, read-but-unreplied (已讀未回) and urgent-notice reach in 15 minutes.
// Reads response_kind_daily (response_daily's rows ordered by kind, latencies as UInt32 whole seconds
// and counted per latency band) and message_daily; heatmap cells covering fewer than k responders are
// suppressed.
//
// What a year costs: an exact median merges every latency of the range (a year at enterprise size is
// 1.7 M replies and 5.1 M reads), so each kind is read once, in its own query (the two run side by
// side), and every row feeds both its period and the whole range (ARRAY JOIN [period, 'range']): the
// trend and the tiles come from one scan. The distribution is the latency bands' counts (a sum of
// arrays), not percentiles, which would take an exact selection over every latency per level.
import { z } from 'zod';
import { LATENCY_BUCKET_COUNT } from '$warehouse/queries/rollups/latency-buckets.ts';
import { sql, type SqlFragment } from '$warehouse/sql.ts';
import type { DayRange } from '$lib/date-range.ts';
import type { MessageKey } from '$lib/i18n/index.ts';
import { label, SUPPRESSED, text, type PageView, type Value } from '$lib/view.ts';
import type { PageContext } from '../page-load.ts';
import { periodOf } from '../periods-sql.ts';
import { isShownBySmallRows, smallRowsPeople, smallRowsPeopleFields } from '../people-bounds.ts';
import { pageK } from '../privacy.ts';
import { dayRange, inDepartments, liveRows } from '../rollup-sql.ts';
import { align, change, departmentNamer, ratio, trendOf } from './common.ts';

const latencyRow = z.object({
  p: z.string(),
  median: z.coerce.number(),
  total: z.coerce.number(),
  part: z.coerce.number(),
  partTotal: z.coerce.number(),
  buckets: z.array(z.coerce.number()),
});
const messageRow = z.object({ p: z.string(), read: z.coerce.number(), unreplied: z.coerce.number(), recipients: z.coerce.number(), reached: z.coerce.number() });
const pairRow = z.object({ department: z.string(), counterpart: z.string(), median: z.coerce.number(), n: z.coerce.number(), ...smallRowsPeopleFields });

type LatencyRow = z.infer<typeof latencyRow>;
type MessageRow = z.infer<typeof messageRow>;

/** The row that holds the whole range, next to the periods' rows (periods are ISO dates). */
const RANGE = 'range';
const HEATMAP_DEPARTMENTS = 12;

/** The distribution's bands, in latency-buckets.ts's order. */
export const BAND_LABELS: readonly MessageKey[] = ['resp.band1m', 'resp.band5m', 'resp.band15m', 'resp.band1h', 'resp.band4h', 'resp.band1d', 'resp.band3d', 'resp.bandMore'];
if (BAND_LABELS.length !== LATENCY_BUCKET_COUNT) throw new Error('BAND_LABELS must name every latency band');

/**
 * One kind's latencies per period and for the whole range (p = 'range'): the median, the median of
 * the `part` (cross-team replies), their counts, and the rows' latency-band counts. Without a
 * `period` it reads the range alone (a comparison range's tiles).
 */
function latencies(ctx: PageContext, range: DayRange, kind: 'reply' | 'read', period: SqlFragment | undefined): Promise<LatencyRow[]> {
  const org = ctx.org.id;
  // Cross-team as the read API's cross_team_reply_latency: both departments known and different.
  const cross = sql`department != counterpart AND department != '' AND counterpart != ''`;
  // Reads have no part: constants, so no row's latencies are merged a third time.
  const part = kind === 'reply' ? sql`quantileExactMergeIf(0.5)(latency, ${cross}) AS part, sumIf(n, ${cross}) AS partTotal` : sql`0 AS part, 0 AS partTotal`;
  const groups = period ? sql`[${period}, ${RANGE}]` : sql`[${RANGE}]`;
  return ctx.warehouse.query(
    sql`SELECT g AS p, quantileExactMerge(0.5)(latency) AS median, sum(n) AS total,
          ${part},
          sumForEach(latency_buckets) AS buckets
        FROM response_kind_daily ARRAY JOIN ${groups} AS g
        WHERE org = ${org} AND kind = ${kind} AND ${dayRange(range)} AND ${liveRows('response_kind_daily', org, range)}${inDepartments(ctx.scope.departments)}
        GROUP BY g ORDER BY g`,
    latencyRow,
    { org },
  );
}

/** message_daily's read, unreplied and urgent-reach counts per period and for the whole range. */
function messages(ctx: PageContext, range: DayRange, period: SqlFragment | undefined): Promise<MessageRow[]> {
  const org = ctx.org.id;
  const groups = period ? sql`[${period}, ${RANGE}]` : sql`[${RANGE}]`;
  return ctx.warehouse.query(
    sql`SELECT g AS p, sum(read) AS read, sum(read_unreplied) AS unreplied, sum(recipients) AS recipients, sum(reached_15m) AS reached
        FROM message_daily ARRAY JOIN ${groups} AS g
        WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('message_daily', org, range)}${inDepartments(ctx.scope.departments)}
        GROUP BY g ORDER BY g`,
    messageRow,
    { org },
  );
}

/**
 * Median reply time per (responder's department, sender's department), with enough of each pair's
 * responders for the k-check in the same pass (people-bounds.ts: a pair with a day of k responders is
 * shown; the others merge all their sets).
 */
function pairs(ctx: PageContext, range: DayRange) {
  const org = ctx.org.id;
  return ctx.warehouse.query(
    sql`SELECT department, counterpart, quantileExactMerge(0.5)(latency) AS median, sum(n) AS n, ${smallRowsPeople()}
        FROM response_kind_daily
        WHERE org = ${org} AND kind = 'reply' AND ${dayRange(range)} AND ${liveRows('response_kind_daily', org, range)}${inDepartments(ctx.scope.departments)}
        GROUP BY department, counterpart
        ORDER BY department, counterpart`,
    pairRow,
    { org },
  );
}

interface Summary {
  reply: number | null;
  cross: number | null;
  read: number | null;
  unrepliedRate: number | null;
  urgentReach: number | null;
}

function summaryOf(reply: LatencyRow | undefined, read: LatencyRow | undefined, m: MessageRow | undefined): Summary {
  return {
    reply: reply && reply.total > 0 ? reply.median : null,
    cross: reply && reply.partTotal > 0 ? reply.part : null,
    read: read && read.total > 0 ? read.median : null,
    unrepliedRate: m ? ratio(m.unreplied, m.read) : null,
    urgentReach: m ? ratio(m.reached, m.recipients) : null,
  };
}

async function comparisonSummary(ctx: PageContext, range: DayRange): Promise<Summary> {
  const [reply, read, m] = await Promise.all([latencies(ctx, range, 'reply', undefined), latencies(ctx, range, 'read', undefined), messages(ctx, range, undefined)]);
  return summaryOf(reply[0], read[0], m[0]);
}

/** Each band's share of the latencies counted in bands (null when none are). */
function bandShares(row: LatencyRow | undefined): Value[] {
  const counts = BAND_LABELS.map((_, i) => row?.buckets[i] ?? 0);
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : null));
}

export async function loadResponsivenessView(ctx: PageContext): Promise<PageView> {
  const range = ctx.scope.filters.range;
  const trend = trendOf(range);
  const period = periodOf(trend.granularity);
  const name = departmentNamer(ctx);
  const [replyRows, readRows, messageRows, pairRows, before] = await Promise.all([
    latencies(ctx, range, 'reply', period),
    latencies(ctx, range, 'read', period),
    messages(ctx, range, period),
    pairs(ctx, range),
    ctx.scope.comparison ? comparisonSummary(ctx, ctx.scope.comparison) : undefined,
  ]);
  const whole = <T extends { p: string }>(rows: readonly T[]) => rows.find((r) => r.p === RANGE);
  const byPeriod = <T extends { p: string }>(rows: readonly T[]) => rows.filter((r) => r.p !== RANGE);
  const now = summaryOf(whole(replyRows), whole(readRows), whole(messageRows));
  const trendRows = { reply: byPeriod(replyRows), read: byPeriod(readRows), messages: byPeriod(messageRows) };

  const volume = new Map<string, number>();
  for (const p of pairRows) {
    volume.set(p.department, (volume.get(p.department) ?? 0) + p.n);
    volume.set(p.counterpart, (volume.get(p.counterpart) ?? 0) + p.n);
  }
  const top = [...volume.entries()].sort((a, b) => b[1] - a[1]).slice(0, HEATMAP_DEPARTMENTS).map(([d]) => d).sort((a, b) => name(a).localeCompare(name(b)));
  const index = new Map(top.map((d, i) => [d, i]));
  const cells: { x: number; y: number; value: Value }[] = [];
  for (const p of pairRows) {
    const x = index.get(p.department);
    const y = index.get(p.counterpart);
    if (x === undefined || y === undefined) continue;
    cells.push({ x, y, value: isShownBySmallRows(p) ? p.median : SUPPRESSED });
  }
  const emptyLatency = { title: label('empty.noMessages'), hint: label('empty.runJobs') };

  return {
    notices: cells.some((c) => typeof c.value === 'object') ? [{ tone: 'info', text: label('privacy.someSuppressed', { k: pageK() }) }] : [],
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
          { name: label('resp.reply'), values: align(trend, trendRows.reply, (r) => (r.total > 0 ? r.median : null)) },
          { name: label('resp.crossTeam'), values: align(trend, trendRows.reply, (r) => (r.partTotal > 0 ? r.part : null)) },
          { name: label('resp.read'), values: align(trend, trendRows.read, (r) => (r.total > 0 ? r.median : null)), reference: true },
        ],
        empty: emptyLatency,
      },
      {
        kind: 'bars',
        id: 'latency-distribution',
        title: label('resp.distributionTitle'),
        subtitle: label('resp.distributionSubtitle'),
        unit: 'percent',
        categories: BAND_LABELS.map((key) => label(key)),
        series: [
          { name: label('resp.reply'), values: bandShares(whole(replyRows)) },
          { name: label('resp.read'), values: bandShares(whole(readRows)) },
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
        series: [{ name: label('resp.unrepliedRate'), values: align(trend, trendRows.messages, (r) => ratio(r.unreplied, r.read)), kind: 'area' }],
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
        series: [{ name: label('resp.urgentReach'), values: align(trend, trendRows.messages, (r) => ratio(r.reached, r.recipients)), kind: 'bar' }],
        empty: { title: label('resp.urgentEmpty'), hint: label('resp.urgentEmptyHint') },
      },
    ],
  };
}
