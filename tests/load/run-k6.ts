// `npm run load`: builds k6 with `go install` when it is missing, starts a local stack (private
// ClickHouse + the collector as a process) and runs tests/load/ingest.js against it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createIngestDatabase, freshDir, privateClickHouse, spawnCollector } from '../fault/stack.ts';

const K6_VERSION = 'v0.57.0';
const log = (line: string) => process.stderr.write(`${line}\n`);

function findK6(): string {
  const onPath = spawnSync('sh', ['-c', 'command -v k6'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const gopath = execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim();
  const built = path.join(gopath, 'bin', 'k6');
  if (existsSync(built)) return built;
  log(`k6 not found; building it: go install go.k6.io/k6@${K6_VERSION} (a few minutes)`);
  const result = spawnSync('go', ['install', `go.k6.io/k6@${K6_VERSION}`], { stdio: 'inherit' });
  if (result.status !== 0 || !existsSync(built)) throw new Error(`go install go.k6.io/k6@${K6_VERSION} failed (is the Go module proxy reachable?)`);
  return built;
}

const k6 = findK6();
const ch = privateClickHouse('load-clickhouse', 48223, 49100);
await ch.start();
const db = await createIngestDatabase(ch.url, 'load');
const work = freshDir('load');
const collector = await spawnCollector({
  clickhouse: db.config,
  port: 48887,
  spoolDir: path.join(work, 'spool'),
  logFile: path.join(work, 'collector.log'),
  env: { COLLECTOR_RATE_LIMIT_EVENTS_PER_SEC: '100000000', COLLECTOR_RATE_LIMIT_BURST: '100000000' },
});
let status = 1;
try {
  const run = spawnSync(k6, ['run', '-e', `COLLECTOR_URL=${collector.url}`, '-e', `INGEST_KEY=${db.key}`, '-e', `ORG=${db.org}`, path.resolve(import.meta.dirname, 'ingest.js')], {
    stdio: 'inherit',
  });
  status = run.status ?? 1;
} finally {
  collector.child.kill('SIGTERM');
  await collector.exited;
  await db.warehouse.close();
  await ch.stop();
}
process.exit(status);
