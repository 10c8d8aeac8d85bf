// `npm run bench:ingest`: end-to-end ingest throughput on a private local stack. Starts its own
// clickhouse-server and the collector as a separate process, drives the collector with realistic
// batches from several concurrent clients for a fixed time, waits until everything acknowledged is
// in ClickHouse, and measures in the same run how fast clickhouse-client alone inserts the same rows
// (the ceiling). Prints the figures and writes them to the "## Ingest" section of docs/benchmarks.md.
//
// Knobs (env): BENCH_SECONDS (20), BENCH_CLIENTS (8), BENCH_BATCH (1000 events), BENCH_NDJSON (0),
// BENCH_GZIP (0), BENCH_CPU_PROF (0: 1 writes a V8 profile of the collector to .data/bench/),
// COLLECTOR_FLUSH_MAX_ROWS (passed to the collector when set),
// BENCH_WRITE_DOCS (1).
import { spawn, execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { databaseIdent, sql } from '../warehouse/sql.ts';
import { createIngestDatabase, freshDir, privateClickHouse, spawnCollector } from '../tests/fault/stack.ts';
import { buildTemplates, fillIds } from './ingest-batches.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SECONDS = env('BENCH_SECONDS', 20);
const CLIENTS = env('BENCH_CLIENTS', 8);
const BATCH = env('BENCH_BATCH', 1000);
const NDJSON = env('BENCH_NDJSON', 0) === 1;
const GZIP = env('BENCH_GZIP', 0) === 1;
const CPU_PROF = env('BENCH_CPU_PROF', 0) === 1;
const WRITE_DOCS = env('BENCH_WRITE_DOCS', 1) === 1;
const HTTP_PORT = 48123;
const TCP_PORT = 49000;
const COLLECTOR_PORT = 48787;

const log = (line: string) => process.stderr.write(`${line}\n`);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function rssOf(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** utime + stime of a process in seconds. */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function post(agent: http.Agent, url: URL, key: string, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': NDJSON ? 'application/x-ndjson' : 'application/json',
          'content-length': body.length,
          ...(GZIP ? { 'content-encoding': 'gzip' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const ch = privateClickHouse('bench-clickhouse', HTTP_PORT, TCP_PORT);
  const workDir = freshDir('bench');
  log(`starting a private ClickHouse on ${ch.url} (${ch.options.dir})`);
  await ch.start();
  const db = await createIngestDatabase(ch.url, 'bench');
  const collector = await spawnCollector({
    clickhouse: db.config,
    port: COLLECTOR_PORT,
    spoolDir: path.join(workDir, 'spool'),
    logFile: path.join(workDir, 'collector.log'),
    nodeArgs: CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${workDir}`] : [],
    env: { COLLECTOR_RATE_LIMIT_EVENTS_PER_SEC: '100000000', COLLECTOR_RATE_LIMIT_BURST: '100000000', ...(process.env.COLLECTOR_FLUSH_MAX_ROWS ? { COLLECTOR_FLUSH_MAX_ROWS: process.env.COLLECTOR_FLUSH_MAX_ROWS } : {}) },
  });
  log(`collector pid ${collector.pid} on ${collector.url}; ${CLIENTS} clients × ${BATCH}-event ${NDJSON ? 'NDJSON' : 'JSON'}${GZIP ? '+gzip' : ''} batches for ${SECONDS} s`);

  const templates = buildTemplates({ org: db.org, batchSize: BATCH, templates: 8, ndjson: NDJSON });
  const run = randomBytes(4).toString('hex');
  const url = new URL('/v1/events', collector.url);
  const latencies: number[] = [];
  let accepted = 0;
  let failures = 0;
  let maxRss = 0;
  const rssTimer = setInterval(() => (maxRss = Math.max(maxRss, rssOf(collector.pid))), 200);
  const chPid = Number(readFileSync(path.join(ch.options.dir, 'clickhouse.pid'), 'utf8'));
  const cpuBefore = { collector: cpuSecondsOf(collector.pid), clickhouse: cpuSecondsOf(chPid), driver: process.cpuUsage() };
  const loadBefore = os.loadavg()[0]!;
  const started = performance.now();
  const stopAt = started + SECONDS * 1000;
  const sent: Array<{ client: number; firstSeq: number; template: number }> = [];

  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      let seq = 0;
      let n = 0;
      while (performance.now() < stopAt) {
        const template = (client + n++) % templates.length;
        const t = templates[template]!;
        let body = fillIds(t.body, t.idOffsets, run, client, seq);
        if (GZIP) body = gzipSync(body, { level: 1 });
        const t0 = performance.now();
        const res = await post(agent, url, db.key, body);
        latencies.push(performance.now() - t0);
        if (res.status === 202) {
          accepted += t.size;
          sent.push({ client, firstSeq: seq, template });
        } else {
          failures += 1;
          if (failures <= 5) log(`HTTP ${res.status}: ${res.text.slice(0, 200)}`);
        }
        seq += t.size;
      }
      agent.destroy();
    }),
  );
  const sendSeconds = (performance.now() - started) / 1000;
  log(`sent for ${sendSeconds.toFixed(1)} s: ${accepted} events acknowledged, ${failures} failed requests; waiting for ClickHouse…`);

  const countRow = z.object({ n: z.coerce.number() });
  let arrived = 0;
  const drainDeadline = performance.now() + 120_000;
  while (performance.now() < drainDeadline) {
    const rows = await db.warehouse.query(sql`SELECT count() AS n FROM events WHERE org = ${db.org}`, countRow, { org: db.org });
    arrived = rows[0]?.n ?? 0;
    if (arrived >= accepted) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const endToEndSeconds = (performance.now() - started) / 1000;
  const driverCpu = process.cpuUsage(cpuBefore.driver);
  const loadAfter = os.loadavg()[0]!;
  const collectorCpuSeconds = cpuSecondsOf(collector.pid) - cpuBefore.collector;
  const cpu = {
    collector: (cpuSecondsOf(collector.pid) - cpuBefore.collector) / endToEndSeconds,
    clickhouse: (cpuSecondsOf(chPid) - cpuBefore.clickhouse) / endToEndSeconds,
    driver: (driverCpu.user + driverCpu.system) / 1e6 / endToEndSeconds,
  };
  log(`CPU cores used during the run: collector ${cpu.collector.toFixed(2)}, clickhouse-server ${cpu.clickhouse.toFixed(2)}, load driver ${cpu.driver.toFixed(2)}`);
  clearInterval(rssTimer);
  const distinct = (await db.warehouse.query(sql`SELECT uniqExact(toString(id)) AS n FROM events WHERE org = ${db.org}`, countRow, { org: db.org }))[0]?.n ?? 0;

  const metricsText = await (await fetch(`${collector.url}/metrics`)).text();
  writeFileSync(path.join(workDir, 'collector-metrics.txt'), metricsText);
  collector.child.kill('SIGTERM');
  await collector.exited;

  // The ceiling: clickhouse-client alone inserting the same rows (same ids, same columns) into a twin table.
  const rawRows = Math.min(accepted, 3_000_000);
  const rawFile = path.join(workDir, 'raw-rows.jsonl');
  const out = createWriteStream(rawFile);
  let written = 0;
  for (const s of sent) {
    if (written >= rawRows) break;
    const t = templates[s.template]!;
    if (!out.write(fillIds(t.rows, t.rowIdOffsets, run, s.client, s.firstSeq))) await new Promise((r) => out.once('drain', r));
    written += t.size;
  }
  await new Promise<void>((r) => out.end(r));
  await db.warehouse.command(sql`CREATE TABLE events_raw AS events`, 'system');
  const rawStarted = performance.now();
  await new Promise<void>((resolve, reject) => {
    const client = spawn('clickhouse-client', ['--port', String(TCP_PORT), '--database', db.config.database, '--query', 'INSERT INTO events_raw FORMAT JSONEachRow'], {
      stdio: ['pipe', 'inherit', 'inherit'],
    });
    createReadStream(rawFile).pipe(client.stdin);
    client.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`clickhouse-client exited with ${code}`))));
  });
  const rawSeconds = (performance.now() - rawStarted) / 1000;

  latencies.sort((a, b) => a - b);
  const eventsPerSec = arrived / endToEndSeconds;
  const rawPerSec = written / rawSeconds;
  const cpuModel = os.cpus()[0]?.model ?? 'unknown';
  const figures = {
    eventsPerSec: Math.round(eventsPerSec),
    rawPerSec: Math.round(rawPerSec),
    shareOfRaw: eventsPerSec / rawPerSec,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    maxRssMb: maxRss / 1024 ** 2,
  };
  const command = `BENCH_SECONDS=${SECONDS} BENCH_CLIENTS=${CLIENTS} BENCH_BATCH=${BATCH}${NDJSON ? ' BENCH_NDJSON=1' : ''}${GZIP ? ' BENCH_GZIP=1' : ''} npm run bench:ingest`;
  const lines = [
    `Machine: ${os.cpus().length} × ${cpuModel} (nproc ${execSync('nproc').toString().trim()}), ${Math.round(os.totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}, ClickHouse ${await serverVersion(ch.url)}.`,
    `Command: \`${command}\` (${new Date().toISOString().slice(0, 10)}).`,
    '',
    '| Figure | Measured | Target |',
    '| --- | --- | --- |',
    `| End-to-end into ClickHouse (acknowledged after fsync; ${arrived.toLocaleString('en')} events, ${distinct.toLocaleString('en')} distinct ids, in ${endToEndSeconds.toFixed(1)} s incl. drain) | ${figures.eventsPerSec.toLocaleString('en')} events/s | ≥ 100,000 |`,
    `| clickhouse-client alone, same rows (${written.toLocaleString('en')} rows in ${rawSeconds.toFixed(1)} s) | ${figures.rawPerSec.toLocaleString('en')} events/s | — |`,
    `| Share of the raw ceiling | ${(figures.shareOfRaw * 100).toFixed(0)}% | ≥ 35% |`,
    `| Ack latency p50 / p99 (${latencies.length} requests of ${BATCH} events, ${CLIENTS} clients) | ${figures.p50.toFixed(0)} ms / ${figures.p99.toFixed(0)} ms | p99 ≤ 250 ms |`,
    `| Collector peak RSS | ${figures.maxRssMb.toFixed(0)} MB | ≤ 300 MB |`,
    `| Failed requests | ${failures} | 0 |`,
    `| CPU cores busy during the run: collector / clickhouse-server / load driver | ${cpu.collector.toFixed(2)} / ${cpu.clickhouse.toFixed(2)} / ${cpu.driver.toFixed(2)} | (2 in all) |`,
    `| Collector CPU time (user + system, all threads) per million events | ${collectorCpuSeconds.toFixed(1)} s in all, ${((collectorCpuSeconds / Math.max(1, arrived)) * 1e6).toFixed(2)} s per million | — |`,
    `| Machine load average (1 min) at start / end — other sessions' jobs share these 2 cores | ${loadBefore.toFixed(2)} / ${loadAfter.toFixed(2)} | — |`,
  ];
  console.log(lines.join('\n'));
  if (WRITE_DOCS) writeIngestSection(lines);
  await db.warehouse.command(sql`DROP DATABASE IF EXISTS ${databaseIdent(db.config.database)}`, 'system');
  await db.warehouse.close();
  await ch.stop();
}

async function serverVersion(url: string): Promise<string> {
  return (await (await fetch(`${url}/?query=SELECT%20version()`)).text()).trim();
}

/** Replaces the "## Ingest" section of docs/benchmarks.md (other sections belong to others). */
function writeIngestSection(lines: string[]): void {
  const file = path.resolve(import.meta.dirname, '../docs/benchmarks.md');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = '# Benchmarks\n';
  }
  const start = text.indexOf('\n## Ingest\n');
  const marker = '<!-- bench:ingest results -->';
  if (start === -1) {
    log('docs/benchmarks.md has no "## Ingest" section; printing only');
    return;
  }
  const next = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, next === -1 ? text.length : next);
  const begin = section.indexOf(marker);
  const end = section.indexOf(marker, begin + marker.length);
  if (begin === -1 || end === -1) {
    log('the Ingest section has no result markers; printing only');
    return;
  }
  const updated = section.slice(0, begin + marker.length) + '\n' + lines.join('\n') + '\n' + section.slice(end);
  writeFileSync(file, text.slice(0, start) + updated + (next === -1 ? '' : text.slice(next)));
  log(`wrote the results into ${file}`);
}

main().catch((err: unknown) => {
  log(`bench:ingest failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
