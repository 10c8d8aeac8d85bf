// Real processes: ClickHouse (a private server, so the suite's shared one is untouched) is stopped
// for 30 s while clients keep sending. The collector keeps acknowledging into its spool, /readyz says
// why it is not ready, and when ClickHouse returns the backlog drains by itself with nothing lost.
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countArrived, waitForArrival } from '../../fault/arrivals.ts';
import { startLoad } from '../../fault/load-client.ts';
import { createIngestDatabase, freshDir, privateClickHouse, spawnCollector, type CollectorProcess, type IngestDatabase } from '../../fault/stack.ts';

const ch = privateClickHouse('fault-clickhouse', 58123 + randomInt(500), 59000 + randomInt(500));
let db: IngestDatabase;
let collector: CollectorProcess | undefined;

beforeAll(async () => {
  await ch.start();
  db = await createIngestDatabase(ch.url, 'outage-org');
});
afterAll(async () => {
  collector?.child.kill('SIGKILL');
  await db?.warehouse.close();
  await ch.stop();
});

describe('ClickHouse down for 30 s under load', () => {
  it('keeps acknowledging into the spool, reports not ready, and drains the backlog when ClickHouse returns', { timeout: 90_000 }, async () => {
    const spoolDir = freshDir(`fault-outage-${randomInt(1e9)}`, 'spool');
    const c = await spawnCollector({
      clickhouse: db.config,
      port: 45000 + randomInt(2000),
      spoolDir,
      logFile: path.join(spoolDir, '..', 'collector.log'),
      env: { COLLECTOR_FLUSH_INTERVAL_MS: '500', COLLECTOR_RETRY_MAX_MS: '2000' },
    });
    collector = c;
    const load = startLoad({ url: () => c.url, key: db.key, org: db.org, clients: 2, batchSize: 100, pauseMs: 100 });
    await new Promise((r) => setTimeout(r, 2000));

    await ch.stop();
    const ackedAtStop = load.result.acked.length;
    await new Promise((r) => setTimeout(r, 5000));
    const ready = await fetch(`${c.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { reasons: string[] }).reasons.join(' ')).toMatch(/ClickHouse/);
    await new Promise((r) => setTimeout(r, 25_000));
    const ackedDuringOutage = load.result.acked.length - ackedAtStop;
    expect(ackedDuringOutage).toBeGreaterThan(0);
    const metrics = await (await fetch(`${c.url}/metrics`)).text();
    expect(Number(/^waypoint_collector_spool_bytes (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);

    await ch.start();
    await new Promise((r) => setTimeout(r, 1000));
    const result = await load.stop();
    const arrived = await waitForArrival(db.warehouse, db.org, result.acked, 30_000);
    expect(arrived.distinct).toBe(result.acked.length);
    expect((await countArrived(db.warehouse, db.org, result.acked)).distinct).toBe(new Set(result.acked).size);
    expect((await fetch(`${c.url}/readyz`)).status).toBe(200);
    c.child.kill('SIGTERM');
    expect(await c.exited).toBe(0);
  });
});
