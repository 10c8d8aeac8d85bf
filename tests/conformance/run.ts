// The conformance check: record the integration suite's SQL on 18.16, then replay it on chDB.
//   tsx tests/conformance/run.ts               records (integration suite) and replays
//   tsx tests/conformance/run.ts --replay-only replays what the last `vitest run` recorded
// Both first prove the replayer can fail (test_replay.py) and replay the migrations as rendered for
// chDB's version, so the DDL a current server gets is checked too.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ddlFeatures, renderDdl } from '../../warehouse/ddl-variant.ts';
import { readMigrations } from '../../warehouse/migrate.ts';
import { RECORDING_FILE, startRecording } from './recording.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const MODERN_DDL_FILE = path.join(ROOT, '.data', 'conformance', 'modern-ddl.jsonl');
const MODERN_DDL_DATABASE = 'conformance_modern_ddl';

class ConformanceRunError extends Error {
  override name = 'ConformanceRunError';
}

function run(command: string, args: string[], options: SpawnSyncOptions = {}): number {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.error) throw new ConformanceRunError(`${command}: ${result.error.message}`);
  return result.status ?? 1;
}

/** Installs chDB if needed (idempotent) and returns the venv's python. */
function setupChdb(): string {
  const result = spawnSync('bash', [path.join(HERE, 'setup-chdb.sh')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) throw new ConformanceRunError('tests/conformance/setup-chdb.sh failed (see above)');
  return result.stdout.trim().split('\n').pop() ?? '';
}

function chdbEngineVersion(python: string): string {
  const result = spawnSync(python, ['-c', 'import chdb; print(chdb.engine_version)'], { encoding: 'utf8' });
  if (result.status !== 0) throw new ConformanceRunError(`cannot ask chDB for its version: ${result.stderr}`);
  return result.stdout.trim();
}

/** Every migration statement as the migration runner renders it for chDB's ClickHouse, as a recording. */
function writeModernDdl(engineVersion: string): void {
  const features = ddlFeatures(engineVersion);
  const entries = [
    { kind: 'command', database: 'default', sql: `CREATE DATABASE IF NOT EXISTS ${MODERN_DDL_DATABASE}` },
    ...readMigrations().flatMap((m) =>
      m.statements.map((statement) => ({ kind: 'command', database: MODERN_DDL_DATABASE, sql: renderDdl(statement, features) })),
    ),
    { kind: 'command', database: 'default', sql: `DROP DATABASE ${MODERN_DDL_DATABASE}` },
  ];
  writeFileSync(MODERN_DDL_FILE, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
}

async function record(): Promise<void> {
  const file = startRecording(RECORDING_FILE);
  console.log(`conformance: running the integration suite with WAYPOINT_RECORD_SQL=${path.relative(ROOT, file)}`);
  const status = run(path.join(ROOT, 'node_modules', '.bin', 'vitest'), ['run', '--project', 'integration'], {
    env: { ...process.env, WAYPOINT_RECORD_SQL: file },
  });
  if (status !== 0) throw new ConformanceRunError(`the integration suite failed (exit ${status}); nothing replayed`);
}

async function main(argv: string[]): Promise<number> {
  const started = Date.now();
  const replayOnly = argv.includes('--replay-only');
  const python = setupChdb();

  if (run(python, [path.join(HERE, 'test_replay.py')]) !== 0) {
    throw new ConformanceRunError('the replayer failed its own tests (tests/conformance/test_replay.py)');
  }
  if (replayOnly) {
    if (!existsSync(RECORDING_FILE) || statSync(RECORDING_FILE).size === 0) {
      throw new ConformanceRunError(
        `${path.relative(ROOT, RECORDING_FILE)} is missing or empty: the integration suite must run first with recording on ` +
          '(startRecording() in its globalSetup), or use npm run test:conformance',
      );
    }
  } else {
    await record();
  }
  writeModernDdl(chdbEngineVersion(python));
  const status = run(python, [path.join(HERE, 'replay.py'), RECORDING_FILE, MODERN_DDL_FILE], { env: { ...process.env, TZ: 'UTC' } });
  console.log(`conformance: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return status;
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error: unknown) => {
    console.error(error instanceof ConformanceRunError ? `conformance: ${error.message}` : error);
    process.exit(1);
  },
);
