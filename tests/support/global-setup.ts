// Starts the integration suite's own ClickHouse (unless CLICKHOUSE_URL points at one) and stops it after.
// Each run gets free ports and its own directory, so two runs in one checkout never share a server.
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startRecording } from '../conformance/recording.ts';
import { freePort } from './free-port.ts';
import { startLocalClickHouse, stopLocalClickHouse, type LocalClickHouseOptions } from '../../warehouse/local-clickhouse.ts';

let options: LocalClickHouseOptions | undefined;

export async function setup(project: TestProject): Promise<void> {
  // Everything the suite sends to 18.16 is recorded, then replayed on a current engine (docs/clickhouse.md).
  startRecording();
  if (process.env.CLICKHOUSE_URL) {
    project.provide('clickhouseUrl', process.env.CLICKHOUSE_URL);
    return;
  }
  options = {
    dir: path.resolve(`.data/test-clickhouse-${process.pid}`),
    httpPort: await freePort(),
    tcpPort: await freePort(),
    log: (line) => console.log(line),
  };
  const { url } = await startLocalClickHouse(options);
  project.provide('clickhouseUrl', url);
}

export async function teardown(): Promise<void> {
  if (!options) return;
  await stopLocalClickHouse(options);
  rmSync(options.dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    clickhouseUrl: string;
  }
}
