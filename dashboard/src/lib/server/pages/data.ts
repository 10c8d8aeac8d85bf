// Data page (admins): ingestion health from the collector's own counters (ingest_stats, written by
// collector/ingest-stats.ts: events accepted and rejected per minute, rejections by reason, the
// spool backlog), events by source and type in the last day (raw events), job runs from job_runs,
// and the organisation's API keys (never their secrets).
import { z } from 'zod';
import { listApiKeys } from '$warehouse/api-keys.ts';
import type { Warehouse } from '$warehouse/client.ts';
import { sql } from '$warehouse/sql.ts';
import { label, text, type PageView } from '$lib/view.ts';
import type { PageContext } from '../page-load.ts';

const minuteRow = z.object({ m: z.string(), accepted: z.coerce.number(), rejected: z.coerce.number() });
const reasonRow = z.object({ metric: z.string(), reason: z.string(), n: z.coerce.number() });
const spoolRow = z.object({ m: z.string(), events: z.coerce.number(), bytes: z.coerce.number(), ageSeconds: z.coerce.number() });
const flushErrorsRow = z.object({ n: z.coerce.number() });
const sourceRow = z.object({ source: z.string(), type: z.string(), n: z.coerce.number() });
const jobRow = z.object({ job: z.string(), from: z.string(), to: z.string(), started: z.string(), seconds: z.coerce.number(), status: z.string(), rows: z.coerce.number(), error: z.string() });
const statusRow = z.object({ ok: z.coerce.number(), failed: z.coerce.number(), last: z.string() });

const WINDOW_MINUTES = 180;
/** The by-source and by-type panels count events received in the last day and dated within this many days. */
const RECENT_EVENT_DAYS = 30;

export interface IngestHealth {
  /** Per minute (UTC, `YYYY-MM-DD hh:mm`) with any counts: events accepted and rejected. */
  minutes: z.output<typeof minuteRow>[];
  /** Rejected events (inside a batch) and refused requests, by reason code, most frequent first. */
  reasons: { metric: 'rejected' | 'refused'; reason: string; n: number }[];
  /** The spool backlog per minute: the largest sample of each collector in the minute, summed over collectors. */
  spool: z.output<typeof spoolRow>[];
  flushErrors: number;
}

/** The collector's counters for one organisation since `since` (ingest_stats; counts are deltas, so they are summed). */
export async function readIngestHealth(warehouse: Warehouse, org: string, since: Date): Promise<IngestHealth> {
  const minute = sql`substring(toString(minute), 1, 16)`;
  const [minutes, reasons, spool, errors] = await Promise.all([
    warehouse.query(
      sql`SELECT ${minute} AS m, sumIf(value, metric = 'accepted') AS accepted, sumIf(value, metric = 'rejected') AS rejected
          FROM ingest_stats WHERE org = ${org} AND minute >= ${since} AND metric IN ('accepted', 'rejected')
          GROUP BY m ORDER BY m`,
      minuteRow,
      { org },
    ),
    warehouse.query(
      sql`SELECT metric, reason, sum(value) AS n FROM ingest_stats
          WHERE org = ${org} AND minute >= ${since} AND metric IN ('rejected', 'refused')
          GROUP BY metric, reason ORDER BY n DESC, metric, reason`,
      reasonRow,
      { org },
    ),
    // Gauges: several writes of one collector in a minute are samples (max), several collectors add up.
    warehouse.query(
      sql`SELECT m, sum(e) AS events, sum(b) AS bytes, max(a) AS ageSeconds FROM (
            SELECT ${minute} AS m, collector, maxIf(value, metric = 'spool_events') AS e, maxIf(value, metric = 'spool_bytes') AS b,
              maxIf(value, metric = 'spool_age_seconds') AS a
            FROM ingest_stats WHERE org = ${org} AND minute >= ${since} AND metric IN ('spool_events', 'spool_bytes', 'spool_age_seconds')
            GROUP BY m, collector)
          GROUP BY m ORDER BY m`,
      spoolRow,
      { org },
    ),
    warehouse.query(
      sql`SELECT sum(value) AS n FROM ingest_stats WHERE org = ${org} AND minute >= ${since} AND metric = 'flush_errors'`,
      flushErrorsRow,
      { org },
    ),
  ]);
  return {
    minutes,
    reasons: reasons.map((r) => ({ metric: r.metric === 'refused' ? 'refused' : 'rejected', reason: r.reason, n: r.n })),
    spool,
    flushErrors: errors[0]?.n ?? 0,
  };
}

export async function loadDataView(ctx: PageContext): Promise<PageView> {
  const org = ctx.org.id;
  const since = new Date(ctx.now - WINDOW_MINUTES * 60_000);
  const day = new Date(ctx.now - 86_400_000);
  const recentEvents = new Date(ctx.now - RECENT_EVENT_DAYS * 86_400_000);
  const [health, sources, jobs, keys, status] = await Promise.all([
    readIngestHealth(ctx.warehouse, org, since),
    ctx.warehouse.query(
      // received_at is not in the sort key: bounding the event time too lets ClickHouse read only the
      // recent partitions, so the cost does not grow with the years of history behind them.
      sql`SELECT source, type, count() AS n FROM events
          WHERE org = ${org} AND time >= ${recentEvents} AND received_at >= ${day}
          GROUP BY source, type ORDER BY n DESC, source, type LIMIT 40`,
      sourceRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT job, toString(range_from) AS from, toString(range_to) AS to, toString(started_at) AS started,
            toUInt32(finished_at - started_at) AS seconds, status, rows, error
          FROM job_runs WHERE org = ${org} ORDER BY started_at DESC, job, run_id LIMIT 40`,
      jobRow,
      { org },
    ),
    listApiKeys(ctx.warehouse, org),
    ctx.warehouse.query(
      sql`SELECT countIf(status = 'ok') AS ok, countIf(status != 'ok') AS failed, if(count() = 0, '', toString(max(started_at))) AS last
          FROM job_runs WHERE org = ${org} AND started_at >= ${day}`,
      statusRow,
      { org },
    ),
  ]);
  // Every minute of the window gets a slot, so quiet minutes show as zero rather than vanishing.
  const periods: string[] = [];
  const first = Math.floor((ctx.now - WINDOW_MINUTES * 60_000) / 60_000) * 60_000;
  for (let t = first; t <= ctx.now; t += 60_000) periods.push(new Date(t).toISOString().slice(0, 16).replace('T', ' '));
  const { minutes, reasons, spool, flushErrors } = health;
  const perMinute = new Map(minutes.map((m) => [m.m, m]));
  const spoolByMinute = new Map(spool.map((s) => [s.m, s]));
  const bySource = new Map<string, number>();
  for (const s of sources) bySource.set(s.source, (bySource.get(s.source) ?? 0) + s.n);
  const byType = new Map<string, number>();
  for (const s of sources) byType.set(s.type, (byType.get(s.type) ?? 0) + s.n);
  const total = minutes.reduce((s, m) => s + m.accepted, 0);
  const rejected = minutes.reduce((s, m) => s + m.rejected, 0);
  const topReason = reasons.find((r) => r.metric === 'rejected');
  const latestSpool = spool.at(-1);
  const rejectedReasons = reasons.filter((r) => r.metric === 'rejected');
  const refusedReasons = reasons.filter((r) => r.metric === 'refused');
  const reasonCodes = [...new Set(reasons.map((r) => r.reason))];
  // Counts here are often tiny (a few rejections, an empty spool); an axis of at least 0–5 keeps whole-number ticks.
  const countAxis = (values: number[]) => (Math.max(0, ...values) < 5 ? { max: 5 } : {});
  const st = status[0];

  return {
    notices: [{ tone: 'info', text: label('data.statsNote') }],
    tiles: [
      { id: 'events-window', label: label('data.eventsWindow', { minutes: WINDOW_MINUTES }), value: total, unit: 'count' },
      { id: 'events-per-minute', label: label('data.perMinute'), value: minutes.length > 0 ? Math.max(...minutes.map((m) => m.accepted)) : 0, unit: 'count', hint: label('data.perMinuteHint') },
      {
        id: 'events-rejected',
        label: label('data.rejectedWindow', { minutes: WINDOW_MINUTES }),
        value: rejected,
        unit: 'count',
        ...(rejected > 0 ? { tone: 'bad' as const } : {}),
        ...(topReason ? { hint: label('data.topReason', { reason: topReason.reason }) } : {}),
      },
      {
        id: 'spool-backlog',
        label: label('data.spoolBacklog'),
        value: latestSpool?.events ?? 0,
        unit: 'count',
        ...(latestSpool && latestSpool.events > 0 ? { tone: 'bad' as const } : {}),
        hint: label('data.spoolBacklogHint', { mb: ((latestSpool?.bytes ?? 0) / 2 ** 20).toFixed(1), seconds: latestSpool?.ageSeconds ?? 0, errors: flushErrors }),
      },
      { id: 'job-runs', label: label('data.jobRuns24h'), value: st ? st.ok + st.failed : 0, unit: 'count', ...(st && st.failed > 0 ? { tone: 'bad' as const, hint: label('data.failedRuns', { n: st.failed }) } : {}) },
      { id: 'keys', label: label('data.activeKeys'), value: keys.filter((k) => !k.revoked).length, unit: 'count' },
    ],
    panels: [
      {
        kind: 'trend',
        id: 'events-per-minute',
        title: label('data.perMinuteTitle'),
        subtitle: label('data.perMinuteSubtitle'),
        unit: 'count',
        wide: true,
        granularity: 'minute',
        periods,
        stacked: true,
        series: [
          { name: label('data.accepted'), values: periods.map((p) => perMinute.get(p)?.accepted ?? 0), kind: 'bar' },
          { name: label('data.rejected'), values: periods.map((p) => perMinute.get(p)?.rejected ?? 0), kind: 'bar' },
        ],
        empty: { title: label('data.noEvents'), hint: label('data.noEventsHint') },
      },
      {
        kind: 'bars',
        id: 'rejections-by-reason',
        title: label('data.reasonsTitle'),
        subtitle: label('data.reasonsSubtitle', { minutes: WINDOW_MINUTES }),
        unit: 'count',
        horizontal: true,
        ...countAxis(reasons.map((r) => r.n)),
        categories: reasonCodes.map(text),
        series: [
          { name: label('data.rejectedEvents'), values: reasonCodes.map((c) => rejectedReasons.find((r) => r.reason === c)?.n ?? 0) },
          { name: label('data.refusedRequests'), values: reasonCodes.map((c) => refusedReasons.find((r) => r.reason === c)?.n ?? 0) },
        ],
        empty: { title: label('data.noRejections'), hint: label('data.noRejectionsHint') },
      },
      {
        kind: 'trend',
        id: 'spool-backlog',
        title: label('data.spoolTitle'),
        subtitle: label('data.spoolSubtitle'),
        unit: 'count',
        granularity: 'minute',
        periods,
        min: 0,
        ...countAxis(spool.map((s) => s.events)),
        // Minutes without a sample stay empty (no collector wrote then), rather than reading as an empty spool.
        series: [{ name: label('data.spoolEvents'), values: periods.map((p) => spoolByMinute.get(p)?.events ?? null), kind: 'line' }],
        empty: { title: label('data.noSpoolSamples'), hint: label('data.noSpoolSamplesHint') },
      },
      {
        kind: 'bars',
        id: 'events-by-source',
        title: label('data.bySourceTitle'),
        subtitle: label('data.recentEventsSubtitle', { days: RECENT_EVENT_DAYS }),
        unit: 'count',
        horizontal: true,
        categories: [...bySource.keys()].map(text),
        series: [{ name: label('data.events'), values: [...bySource.values()] }],
        empty: { title: label('data.noEvents'), hint: label('data.noEventsHint') },
      },
      {
        kind: 'bars',
        id: 'events-by-type',
        title: label('data.byTypeTitle'),
        subtitle: label('data.recentEventsSubtitle', { days: RECENT_EVENT_DAYS }),
        unit: 'count',
        horizontal: true,
        categories: [...byType.keys()].map(text),
        series: [{ name: label('data.events'), values: [...byType.values()] }],
        empty: { title: label('data.noEvents'), hint: label('data.noEventsHint') },
      },
      {
        kind: 'table',
        id: 'job-runs',
        title: label('data.jobsTitle'),
        unit: 'count',
        columns: [{ label: label('data.job') }, { label: label('data.range') }, { label: label('data.started') }, { label: label('data.duration'), unit: 'seconds' }, { label: label('data.status') }, { label: label('data.rows'), unit: 'count' }, { label: label('data.error') }],
        rows: jobs.map((j) => [text(j.job), text(`${j.from} – ${j.to}`), text(`${j.started} UTC`), j.seconds, label(j.status === 'ok' ? 'data.ok' : 'data.failed'), j.rows, text(j.error)]),
        empty: { title: label('data.noJobs'), hint: label('empty.runJobs') },
      },
      {
        kind: 'table',
        id: 'api-keys',
        title: label('data.keysTitle'),
        subtitle: label('data.keysSubtitle'),
        unit: 'count',
        columns: [{ label: label('data.keyId') }, { label: label('data.scope') }, { label: label('data.created') }, { label: label('data.status') }, { label: label('data.lastUsed') }],
        rows: [...keys].reverse().map((k) => [
          text(k.id),
          text(k.scope),
          text(`${k.created_at} UTC`),
          label(k.revoked ? 'data.revoked' : 'data.active'),
          k.lastUsedAt ? text(`${k.lastUsedAt} UTC`) : label('data.neverUsed'),
        ]),
        empty: { title: label('data.noKeys'), hint: label('data.noKeysHint') },
      },
    ],
  };
}
