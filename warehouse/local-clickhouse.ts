// Runs a private clickhouse-server for the demo and the tests: generated config and data under one
// directory, its own loopback ports, UTC, a pid file. `stop` ends that pid and nothing else.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface LocalClickHouseOptions {
  /** Everything lives here: config, data, logs, pid file. */
  dir: string;
  httpPort: number;
  tcpPort: number;
  /** Install Debian's package with apt-get when the binary is missing and we are root. */
  allowInstall?: boolean;
  log?: (line: string) => void;
}

export class LocalClickHouseError extends Error {
  override name = 'LocalClickHouseError';
}

const CANDIDATES = ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server', '/usr/bin/clickhouse', '/usr/local/bin/clickhouse'];

/** The server command: Debian's `clickhouse-server`, or a current single `clickhouse` binary (`clickhouse server`). */
export function findServerCommand(): string[] | undefined {
  const fromPath = spawnSync('sh', ['-c', 'command -v clickhouse-server || command -v clickhouse'], { encoding: 'utf8' });
  const found = [fromPath.stdout.trim(), ...CANDIDATES].filter(Boolean).find((p) => existsSync(p));
  if (!found) return undefined;
  return path.basename(found) === 'clickhouse' ? [found, 'server'] : [found];
}

function installWithApt(log: (line: string) => void): boolean {
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (!isRoot || !hasApt) return false;
  log('clickhouse-server is missing; installing Debian\'s package (apt-get install -y clickhouse-server)…');
  const result = spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clickhouse-server'], {
    stdio: 'inherit',
  });
  return result.status === 0;
}

const MISSING_HELP = `clickhouse-server was not found and could not be installed.
Do one of:
  - sudo apt-get update && sudo apt-get install -y clickhouse-server   (Debian/Ubuntu), then retry;
  - docker compose up -d clickhouse, then set CLICKHOUSE_URL=http://127.0.0.1:8123;
  - point Waypoint at any ClickHouse you run: set CLICKHOUSE_URL (and CLICKHOUSE_USER / CLICKHOUSE_PASSWORD).`;

function configXml(o: LocalClickHouseOptions): string {
  const d = path.resolve(o.dir);
  return `<yandex>
  <logger><level>warning</level><log>${d}/log/server.log</log><errorlog>${d}/log/server.err.log</errorlog><size>50M</size><count>2</count></logger>
  <http_port>${o.httpPort}</http_port>
  <tcp_port>${o.tcpPort}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${d}/data/</path>
  <tmp_path>${d}/tmp/</tmp_path>
  <user_files_path>${d}/user_files/</user_files_path>
  <format_schema_path>${d}/format_schemas/</format_schema_path>
  <mark_cache_size>268435456</mark_cache_size>
  <timezone>UTC</timezone>
  <max_concurrent_queries>200</max_concurrent_queries>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mlock_executable>false</mlock_executable>
</yandex>
`;
}

const USERS_XML = `<yandex>
  <profiles><default><max_memory_usage>8000000000</max_memory_usage><load_balancing>random</load_balancing></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

function pidFile(o: LocalClickHouseOptions): string {
  return path.join(o.dir, 'clickhouse.pid');
}

function readPid(o: LocalClickHouseOptions): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile(o), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function localUrl(o: Pick<LocalClickHouseOptions, 'httpPort'>): string {
  return `http://127.0.0.1:${o.httpPort}`;
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

export async function statusLocalClickHouse(o: LocalClickHouseOptions): Promise<{ running: boolean; pid?: number; url: string }> {
  const pid = readPid(o);
  const url = localUrl(o);
  const running = pid !== undefined && isAlive(pid) && (await answers(url));
  return running ? { running, pid, url } : { running, url };
}

/** Starts the server unless ours is already running; resolves once it answers /ping. */
export async function startLocalClickHouse(o: LocalClickHouseOptions): Promise<{ pid: number; url: string; started: boolean }> {
  const log = o.log ?? (() => {});
  const url = localUrl(o);
  const existing = readPid(o);
  if (existing !== undefined && isAlive(existing) && (await answers(url))) return { pid: existing, url, started: false };
  if (await answers(url)) {
    throw new LocalClickHouseError(`port ${o.httpPort} already answers as ClickHouse but is not ours (no live pid in ${pidFile(o)})`);
  }

  let command = findServerCommand();
  if (!command && o.allowInstall !== false && installWithApt(log)) command = findServerCommand();
  if (!command) throw new LocalClickHouseError(MISSING_HELP);

  for (const sub of ['data', 'tmp', 'log', 'user_files', 'format_schemas']) mkdirSync(path.join(o.dir, sub), { recursive: true });
  writeFileSync(path.join(o.dir, 'config.xml'), configXml(o));
  writeFileSync(path.join(o.dir, 'users.xml'), USERS_XML);
  const out = openSync(path.join(o.dir, 'log', 'stdout.log'), 'a');
  const [bin, ...args] = command;
  const child = spawn(bin!, [...args, `--config-file=${path.resolve(o.dir, 'config.xml')}`], {
    cwd: o.dir,
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, TZ: 'UTC' },
  });
  child.unref();
  if (child.pid === undefined) throw new LocalClickHouseError(`could not start ${bin}`);
  writeFileSync(pidFile(o), String(child.pid));

  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await answers(url)) return { pid: child.pid, url, started: true };
    if (!isAlive(child.pid)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const errLog = path.join(o.dir, 'log', 'server.err.log');
  const tail = existsSync(errLog) ? readFileSync(errLog, 'utf8').split('\n').slice(-15).join('\n') : '';
  throw new LocalClickHouseError(`clickhouse-server did not answer on ${url} within 30 s.\n${tail}`);
}

/** Stops the server this directory's pid file names; waits for it to exit. */
export async function stopLocalClickHouse(o: LocalClickHouseOptions): Promise<boolean> {
  const pid = readPid(o);
  if (pid === undefined || !isAlive(pid)) {
    rmSync(pidFile(o), { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(pidFile(o), { force: true });
  return true;
}
