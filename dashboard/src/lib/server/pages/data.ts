// Data page (admins): ingestion health — events per minute by arrival (received_at, raw events: the
// one page that reads them), events by source and type in the last day — job runs from job_runs,
// and the organisation's API keys (never their secrets).
import { z } from 'zod';
import { listApiKeys } from '$warehouse/api-keys.ts';
import { sql } from '$warehouse/sql.ts';
import { label, text, type PageView } from '$lib/view.ts';
import type { PageContext } from '../page-load.ts';

const minuteRow = z.object({ m: z.string(), n: z.coerce.number() });
const sourceRow = z.object({ source: z.string(), type: z.string(), n: z.coerce.number() });
const jobRow = z.object({ job: z.string(), from: z.string(), to: z.string(), started: z.string(), seconds: z.coerce.number(), status: z.string(), rows: z.coerce.number(), error: z.string() });
const statusRow = z.object({ ok: z.coerce.number(), failed: z.coerce.number(), last: z.string() });

const WINDOW_MINUTES = 180;

export async function loadDataView(ctx: PageContext): Promise<PageView> {
  const org = ctx.org.id;
  const since = new Date(ctx.now - WINDOW_MINUTES * 60_000);
  const day = new Date(ctx.now - 86_400_000);
  const [minutes, sources, jobs, keys, status] = await Promise.all([
    ctx.warehouse.query(
      sql`SELECT substring(toString(toStartOfMinute(received_at)), 1, 16) AS m, count() AS n FROM events
          WHERE org = ${org} AND received_at >= ${since} GROUP BY m ORDER BY m`,
      minuteRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT source, type, count() AS n FROM events WHERE org = ${org} AND received_at >= ${day} GROUP BY source, type ORDER BY n DESC, source, type LIMIT 40`,
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
  const perMinute = new Map(minutes.map((m) => [m.m, m.n]));
  const bySource = new Map<string, number>();
  for (const s of sources) bySource.set(s.source, (bySource.get(s.source) ?? 0) + s.n);
  const byType = new Map<string, number>();
  for (const s of sources) byType.set(s.type, (byType.get(s.type) ?? 0) + s.n);
  const total = minutes.reduce((s, m) => s + m.n, 0);
  const st = status[0];

  return {
    notices: [{ tone: 'info', text: label('data.collectorMetrics') }],
    tiles: [
      { id: 'events-window', label: label('data.eventsWindow', { minutes: WINDOW_MINUTES }), value: total, unit: 'count' },
      { id: 'events-per-minute', label: label('data.perMinute'), value: minutes.length > 0 ? Math.max(...minutes.map((m) => m.n)) : 0, unit: 'count', hint: label('data.perMinuteHint') },
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
        series: [{ name: label('data.events'), values: periods.map((p) => perMinute.get(p) ?? 0), kind: 'bar' }],
        empty: { title: label('data.noEvents'), hint: label('data.noEventsHint') },
      },
      {
        kind: 'bars',
        id: 'events-by-source',
        title: label('data.bySourceTitle'),
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
