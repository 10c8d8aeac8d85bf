// Starts the integration suite's own ClickHouse (unless CLICKHOUSE_URL points at one) and stops it after.
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startRecording } from '../conformance/recording.ts';
import { startLocalClickHouse, stopLocalClickHouse, type LocalClickHouseOptions } from '../../warehouse/local-clickhouse.ts';

const options: LocalClickHouseOptions = {
  dir: path.resolve('.data/test-clickhouse'),
  httpPort: Number(process.env.WAYPOINT_TEST_CLICKHOUSE_HTTP_PORT ?? 38123),
  tcpPort: Number(process.env.WAYPOINT_TEST_CLICKHOUSE_TCP_PORT ?? 39000),
  log: (line) => console.log(line),
};

let startedHere = false;

export async function setup(project: TestProject): Promise<void> {
  // Everything the suite sends to 18.16 is recorded, then replayed on a current engine (docs/clickhouse.md).
  startRecording();
  if (process.env.CLICKHOUSE_URL) {
    project.provide('clickhouseUrl', process.env.CLICKHOUSE_URL);
    return;
  }
  const { url, started } = await startLocalClickHouse(options);
  startedHere = started;
  project.provide('clickhouseUrl', url);
}

export async function teardown(): Promise<void> {
  if (startedHere) await stopLocalClickHouse(options);
}

declare module 'vitest' {
  export interface ProvidedContext {
    clickhouseUrl: string;
  }
}
