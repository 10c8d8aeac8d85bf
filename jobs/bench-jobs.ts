// `npm run bench:jobs`: loads the `enterprise` simulated company (≈ 10 M events, 2,000 people, one
// year) into its own database, then times a full rebuild of every rollup, an incremental refresh
// after new and late events, and the read API per metric (p95 over a year by each grouping).
// Without CLICKHOUSE_URL it starts its own clickhouse-server (data in .data/bench-jobs-clickhouse,
// ports 47123/47000) and stops it at the end. --database=NAME picks the database (default
// wp_bench_jobs); with --reuse, events already loaded are kept (and the server left running);
// --api-only (with --reuse) skips the rebuild and the refresh and times the read API alone, to
// re-measure it when the shared machine is quieter.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../config/env.ts';
import { directorySchema } from '../contracts/directory.ts';
import type { Event, EventInput } from '../contracts/events.ts';
import { generateCompany } from '../simulations/generate-company.ts';
import { loadScenario } from '../simulations/scenario.ts';
import { createApiKey } from '../warehouse/api-keys.ts';
import { createWarehouse, type Warehouse } from '../warehouse/client.ts';
import { startLocalClickHouse, stopLocalClickHouse, type LocalClickHouseOptions } from '../warehouse/local-clickhouse.ts';
import { upsertDirectory } from '../warehouse/directory.ts';
import { toEventRow } from '../warehouse/events.ts';
import { migrate } from '../warehouse/migrate.ts';
import { upsertOrg } from '../warehouse/orgs.ts';
import { upsertWaveStarts } from '../warehouse/queries/upsert-wave-starts.ts';
import { METRICS } from '../warehouse/read-api/catalogue.ts';
import { handleMetricRequest } from '../warehouse/read-api/handle-metric-request.ts';
import type { Grouping } from '../warehouse/read-api/metric-spec.ts';
import { databaseIdent, sql } from '../warehouse/sql.ts';
import { addDays, dayInTimezone } from './days.ts';
import { runJobs, type JobRunResult } from './run-jobs.ts';

const ORG = 'meridian-group';
const SEED = 1;
const BATCH = 250_000;

const log = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(2);

/** Inserts a batch, retrying on a dropped connection (a keep-alive socket the server closed while the generator ran). */
async function insertWithRetry(warehouse: Warehouse, lines: string[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await warehouse.insertJsonLines('events', lines.join('\n'), lines.length);
      return;
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (attempt >= 5 || !['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'UND_ERR_SOCKET'].includes(code)) throw err;
      log(`  insert failed (${code}); retrying`);
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

/** Milliseconds of `time` (RFC 3339 with offset) without a zod pass: the simulator's events are valid by construction. */
function toRow(e: EventInput, receivedAt: number): string {
  const time = Date.parse(e.time);
  return JSON.stringify(toEventRow({ ...e, time } as unknown as Event, receivedAt));
}

async function loadEvents(warehouse: Warehouse, reuse: boolean): Promise<{ events: number; to: string; from: string }> {
  const company = generateCompany({ scenario: 'enterprise', seed: SEED, org: ORG });
  const scenario = loadScenario('enterprise');
  await upsertOrg(warehouse, { id: ORG, name: company.orgName, timezone: company.timezone });
  await upsertDirectory(warehouse, directorySchema.parse(company.directory));
  await upsertWaveStarts(
    warehouse,
    ORG,
    scenario.waves.map((w) => ({ wave: w.id, startDay: addDays(company.from, w.startDay) })),
  );
  const existing = await warehouse.query(sql`SELECT count() AS n FROM events WHERE org = ${ORG}`, z.object({ n: z.coerce.number() }), { org: ORG });
  if (reuse && (existing[0]?.n ?? 0) > 0) {
    log(`reusing ${existing[0]?.n} events already loaded`);
    return { events: existing[0]?.n ?? 0, from: company.from, to: company.to };
  }
  const started = Date.now();
  let lines: string[] = [];
  let total = 0;
  for (const event of company.events()) {
    // Received a second after it happened: the incremental refresh's watermark then works as in production.
    lines.push(toRow(event, Date.parse(event.time) + 1000));
    if (lines.length === BATCH) {
      await insertWithRetry(warehouse, lines);
      total += lines.length;
      lines = [];
      if (total % 2_000_000 === 0) log(`  loaded ${total} events (${seconds(Date.now() - started)} s)`);
    }
  }
  await insertWithRetry(warehouse, lines);
  total += lines.length;
  log(`loaded ${total} events in ${seconds(Date.now() - started)} s`);
  return { events: total, from: company.from, to: company.to };
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? 0;
}

function summarise(results: JobRunResult[], ms: number) {
  const failed = results.filter((r) => r.error);
  for (const r of failed) log(`  FAILED ${r.job} ${r.range.from}..${r.range.to}: ${r.error}`);
  return { seconds: Number(seconds(ms)), jobRuns: results.length, rows: results.reduce((s, r) => s + r.rows, 0), failed: failed.length };
}

async function main() {
  const reuse = process.argv.includes('--reuse');
  const apiOnly = reuse && process.argv.includes('--api-only');
  const config = loadConfig();
  const database = process.argv.find((a) => a.startsWith('--database='))?.slice('--database='.length) ?? 'wp_bench_jobs';
  const local: LocalClickHouseOptions = { dir: path.join(config.dataDir, 'bench-jobs-clickhouse'), httpPort: 47123, tcpPort: 47000, log };
  const url = config.clickhouse.managed ? (await startLocalClickHouse(local)).url : config.clickhouse.url;
  const warehouse = createWarehouse({ ...config.clickhouse, url, database });
  if (!(await warehouse.ping())) throw new Error(`ClickHouse does not answer at ${url}`);
  if (!reuse) {
    await warehouse.ensureDatabase();
    await warehouse.command(sql`DROP DATABASE IF EXISTS ${databaseIdent(database)}`, 'system');
  }
  await migrate(warehouse);
  const version = await warehouse.serverVersion();
  const loaded = await loadEvents(warehouse, reuse);

  // Real time: the rollups run through today, as in production.
  const clock = { now: () => Date.now() };
  const deps = { warehouse, clock, log };

  let full: ReturnType<typeof summarise> | undefined;
  let incremental: ReturnType<typeof summarise> | undefined;
  let perJob: Record<string, number> = {};
  let incrementalPerJob: Record<string, number> = {};
  if (!apiOnly) {
    // The directory was just (re)loaded; job_runs and updated_at have whole seconds, so let a second
    // pass before the rebuild, or the incremental refresh would see the directory as changed after it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    log('full rebuild of every rollup…');
    let t = Date.now();
    const fullResults = await runJobs(deps, { mode: 'all', retries: 0 });
    full = summarise(fullResults, Date.now() - t);
    perJob = Object.fromEntries(fullResults.map((r) => [r.job, Number(seconds(r.durationMs))]));
    log(`full rebuild: ${full.seconds} s, ${full.jobRuns} job runs, ${full.rows} rows`);

    // Then 5,000 new events from today and 500 late ones from two days ago arrive.
    const today = dayInTimezone(Date.now(), 'Asia/Hong_Kong');
    const fresh: string[] = [];
    for (let i = 0; i < 5500; i++) {
      const late = i >= 5000;
      const day = late ? addDays(today, -2) : today;
      const event: EventInput = {
        id: randomUUID(),
        type: 'message.sent',
        time: `${day}T0${i % 4}:${String(i % 60).padStart(2, '0')}:00Z`,
        org: ORG,
        actor: `bench-${i % 300}`,
        object: `bench-m-${i}`,
        conversation: `bench-c-${i % 50}`,
        channel: 'im',
        source: 'simulation',
      };
      fresh.push(toRow(event, Date.now()));
    }
    await warehouse.insertJsonLines('events', fresh.join('\n'), fresh.length);
    log('incremental refresh…');
    t = Date.now();
    // No slack: the directory was loaded seconds before the full rebuild, which 10 minutes of slack
    // (for clock differences between hosts) would count as a change.
    const incrementalResults = await runJobs(deps, { mode: 'incremental', retries: 0, watermarkSlackMs: 0 });
    incremental = summarise(incrementalResults, Date.now() - t);
    log(`incremental refresh: ${incremental.seconds} s (${incremental.jobRuns} job runs)`);

    incrementalPerJob = Object.fromEntries(incrementalResults.map((r) => [`${r.job} ${r.range.from}..${r.range.to}`, Number(seconds(r.durationMs))]));
  }

  log('read API…');
  const { key } = await createApiKey(warehouse, ORG, 'read');
  // The simulated year, by each grouping: the heaviest request a dashboard or BI tool makes.
  const queries = ['month', 'week', 'day', 'department'].map((groupBy) => ({ from: loaded.from, to: loaded.to, groupBy }));
  const api: { metric: string; p50: number; p95: number; requests: number; slowestByGrouping: Record<string, number> }[] = [];
  for (const metric of METRICS) {
    const times: number[] = [];
    const slowest: Record<string, number> = {};
    for (let round = 0; round < 5; round++) {
      for (const q of queries) {
        if (!(metric.groupings as readonly string[]).includes(q.groupBy)) continue;
        // A grouping with a range cap (dept_interactions by day) is measured at its longest allowed range.
        const cap = metric.maxDaysWithoutDepartment?.[q.groupBy as Grouping];
        const from = cap !== undefined && addDays(q.to, -(cap - 1)) > q.from ? addDays(q.to, -(cap - 1)) : q.from;
        const url = new URL(`http://bench/api/v1/metrics/${metric.id}`);
        for (const [k, v] of Object.entries({ ...q, from })) url.searchParams.set(k, v);
        const started = performance.now();
        const res = await handleMetricRequest({ warehouse, k: 5 }, { metricId: metric.id, url, headers: new Headers({ authorization: `Bearer ${key}` }) });
        const ms = performance.now() - started;
        times.push(ms);
        slowest[q.groupBy] = Math.round(Math.max(slowest[q.groupBy] ?? 0, ms));
        if (res.status !== 200) log(`  ${metric.id} ${url.search}: ${res.status} ${res.body}`);
      }
    }
    const sorted = [...times].sort((a, b) => a - b);
    api.push({ metric: metric.id, p50: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0), p95: Math.round(p95(times)), requests: times.length, slowestByGrouping: slowest });
  }
  for (const a of api) {
    const by = Object.entries(a.slowestByGrouping).map(([g, ms]) => `${g} ${ms}`).join(', ');
    log(`  ${a.metric.padEnd(28)} p50 ${String(a.p50).padStart(4)} ms  p95 ${String(a.p95).padStart(4)} ms  (${a.requests} requests; slowest by grouping: ${by})`);
  }

  const report = {
    when: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, clickhouse: version },
    events: loaded.events,
    fullRebuild: full,
    incremental,
    fullRebuildPerJobSeconds: perJob,
    incrementalPerJobSeconds: incrementalPerJob,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    apiMs: api,
    apiWorstP95: Math.max(...api.map((a) => a.p95)),
  };
  const out = path.join(config.dataDir, 'bench-jobs.json');
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report, null, 2));
  log(`written to ${out}`);
  await warehouse.close();
  if (config.clickhouse.managed && !reuse) await stopLocalClickHouse(local);
}

main().catch((err: unknown) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
