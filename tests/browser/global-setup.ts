// The browser suite's world: its own ClickHouse (unless CLICKHOUSE_URL is set), a migrated database
// holding the `default` simulated company with every job run, a few batches through the real
// collector app (so the Data page has ingestion counters, rejections included), and the built
// dashboard served in this process. Tests get the dashboard URL and the users through inject().
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildApp } from '../../collector/app.ts';
import { startDashboard, type RunningDashboard } from '../../dashboard/start-dashboard.ts';
import { createApiKey } from '../../warehouse/api-keys.ts';
import { createWarehouse, type Warehouse } from '../../warehouse/client.ts';
import { startLocalClickHouse, stopLocalClickHouse, type LocalClickHouseOptions } from '../../warehouse/local-clickhouse.ts';
import { migrate } from '../../warehouse/migrate.ts';
import { databaseIdent, sql } from '../../warehouse/sql.ts';
import { startRecording } from '../conformance/recording.ts';
import { freePort } from '../support/free-port.ts';
import { loadCompany, PASSWORD, type LoadedCompany } from './load-company.ts';


let clickhouse: LocalClickHouseOptions | undefined;
let warehouse: Warehouse | undefined;
let dashboard: RunningDashboard | undefined;
let database = '';

export async function setup(project: TestProject): Promise<void> {
  // The browser suite's SQL (its migrations included) is replayed by the conformance check too.
  const recordFile = startRecording();
  let url = process.env.CLICKHOUSE_URL;
  if (!url) {
    clickhouse = {
      dir: path.resolve(`.data/browser-clickhouse-${process.pid}`),
      httpPort: await freePort(),
      tcpPort: await freePort(),
      log: (line) => console.log(line),
    };
    url = (await startLocalClickHouse(clickhouse)).url;
  }
  database = `wp_browser_${randomBytes(5).toString('hex')}`;
  const config = { url, managed: false, user: process.env.CLICKHOUSE_USER ?? 'default', password: process.env.CLICKHOUSE_PASSWORD ?? '', database, recordFile };
  warehouse = createWarehouse(config);
  await migrate(warehouse);
  const company: LoadedCompany = await loadCompany(warehouse, { scenario: 'default', org: 'harbour', log: (l) => console.log(l) });
  await sendThroughCollector(warehouse, company);

  // The dashboard reads its configuration from the environment on first use (config/env.ts).
  Object.assign(process.env, {
    CLICKHOUSE_URL: url,
    CLICKHOUSE_USER: config.user,
    CLICKHOUSE_PASSWORD: config.password,
    CLICKHOUSE_DATABASE: database,
    WAYPOINT_SECURE_COOKIES: '0',
  });
  delete process.env.ORIGIN;
  dashboard = await startDashboard({ host: '127.0.0.1', port: 0 });
  project.provide('dashboardUrl', dashboard.url);
  project.provide('company', company);
  project.provide('password', PASSWORD);
}

/** Three valid events and three invalid ones through the collector app, then its ingestion counters written. */
async function sendThroughCollector(warehouse: Warehouse, company: LoadedCompany): Promise<void> {
  const { key } = await createApiKey(warehouse, company.org, 'ingest');
  const collector = buildApp({ warehouse, logLevel: 'silent', stats: { intervalMs: 0, collector: 'browser-setup' } });
  try {
    const event = (extra: Record<string, unknown>) => ({
      id: randomUUID(),
      type: 'message.sent',
      // Today: the Data page's by-source and by-type panels count recent events received in the last day.
      time: new Date().toISOString(),
      org: company.org,
      actor: 'browser-test-actor',
      object: `browser-${randomUUID()}`,
      channel: 'im',
      source: 'api',
      ...extra,
    });
    const response = await collector.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: { events: [event({}), event({}), event({}), event({ colour: 'red' }), event({ type: 'message.teleported' }), event({ type: 'task.teleported' })] },
    });
    if (response.statusCode !== 202) throw new Error(`collector answered ${response.statusCode}: ${response.body}`);
    if (!(await collector.stats!.flushNow())) throw new Error('the collector could not write its ingestion counters');
  } finally {
    await collector.app.close();
  }
}

export async function teardown(): Promise<void> {
  await dashboard?.close();
  if (warehouse && !process.env.WAYPOINT_KEEP_TEST_DATABASES) {
    await warehouse.command(sql`DROP DATABASE IF EXISTS ${databaseIdent(database)}`, 'system').catch(() => {});
  }
  await warehouse?.close();
  if (clickhouse) {
    await stopLocalClickHouse(clickhouse);
    rmSync(clickhouse.dir, { recursive: true, force: true });
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    dashboardUrl: string;
    company: LoadedCompany;
    password: string;
  }
}
