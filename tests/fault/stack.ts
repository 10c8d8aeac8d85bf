// A private local stack for fault tests and the ingest benchmark: its own clickhouse-server (own
// ports and directory under .data/, so the integration suite's shared server is never touched),
// a fresh database with an org and an ingest key, and the collector as a separate process.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ClickHouseConfig } from '../../config/env.ts';
import { createApiKey } from '../../warehouse/api-keys.ts';
import { createWarehouse, type Warehouse } from '../../warehouse/client.ts';
import { startLocalClickHouse, stopLocalClickHouse, type LocalClickHouseOptions } from '../../warehouse/local-clickhouse.ts';
import { migrate } from '../../warehouse/migrate.ts';
import { upsertOrg } from '../../warehouse/orgs.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface PrivateClickHouse {
  options: LocalClickHouseOptions;
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function privateClickHouse(name: string, httpPort: number, tcpPort: number): PrivateClickHouse {
  const options: LocalClickHouseOptions = { dir: path.join(ROOT, '.data', name), httpPort, tcpPort, allowInstall: false };
  return {
    options,
    url: `http://127.0.0.1:${httpPort}`,
    async start() {
      await startLocalClickHouse(options);
    },
    async stop() {
      await stopLocalClickHouse(options);
    },
  };
}

export interface IngestDatabase {
  config: ClickHouseConfig;
  warehouse: Warehouse;
  org: string;
  key: string;
}

export async function createIngestDatabase(url: string, org = 'acme'): Promise<IngestDatabase> {
  const config: ClickHouseConfig = { url, managed: false, user: 'default', password: '', database: `wp_fault_${randomBytes(5).toString('hex')}` };
  const warehouse = createWarehouse(config);
  await migrate(warehouse);
  await upsertOrg(warehouse, { id: org, name: `${org} Ltd`, timezone: 'Asia/Hong_Kong' });
  const { key } = await createApiKey(warehouse, org, 'ingest');
  return { config, warehouse, org, key };
}

export interface CollectorProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  pid: number;
}

/** Spawns the collector and resolves once it answers /healthz. */
export async function spawnCollector(options: {
  clickhouse: ClickHouseConfig;
  port: number;
  spoolDir: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
  logFile?: string;
}): Promise<CollectorProcess> {
  mkdirSync(options.spoolDir, { recursive: true });
  const out = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', path.join(ROOT, 'tests/fault/collector-process.ts')], {
    cwd: ROOT,
    stdio: ['ignore', out, out],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      CLICKHOUSE_URL: options.clickhouse.url,
      CLICKHOUSE_DATABASE: options.clickhouse.database,
      COLLECTOR_PORT: String(options.port),
      COLLECTOR_SPOOL_DIR: options.spoolDir,
      LOG_LEVEL: 'warn',
      ...options.env,
    },
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 30_000;
  let alive = true;
  void exited.then(() => (alive = false));
  while (Date.now() < deadline && alive) {
    try {
      if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok) return { url, child, exited, pid: child.pid! };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the collector did not answer on ${url} within 30 s${options.logFile ? ` (log: ${options.logFile})` : ''}`);
}

export function freshDir(...parts: string[]): string {
  const dir = path.join(ROOT, '.data', ...parts);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
