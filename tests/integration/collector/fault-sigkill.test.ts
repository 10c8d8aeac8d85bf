// Real processes: the collector is SIGKILLed while clients send batches and restarted on the same
// spool; every event id that got a 202 is then in ClickHouse, counted once. SIGTERM drains and exits.
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { databaseIdent, sql } from '../../../warehouse/sql.ts';
import { countArrived, waitForArrival } from '../../fault/arrivals.ts';
import { startLoad } from '../../fault/load-client.ts';
import { createIngestDatabase, freshDir, spawnCollector, type CollectorProcess, type IngestDatabase } from '../../fault/stack.ts';

let db: IngestDatabase;
const running: CollectorProcess[] = [];
beforeAll(async () => {
  db = await createIngestDatabase(inject('clickhouseUrl'), 'killed-org');
});
afterAll(async () => {
  for (const p of running) p.child.kill('SIGKILL');
  await db.warehouse.command(sql`DROP DATABASE IF EXISTS ${databaseIdent(db.config.database)}`, 'system');
  await db.warehouse.close();
});

describe('collector process faults', () => {
  it('loses no acknowledged event when SIGKILLed under load, and counts each once after the restart', { timeout: 90_000 }, async () => {
    const spoolDir = freshDir(`fault-sigkill-${randomInt(1e9)}`, 'spool');
    const port = 41000 + randomInt(2000);
    const spawnIt = async () => {
      const p = await spawnCollector({ clickhouse: db.config, port, spoolDir, logFile: path.join(spoolDir, '..', 'collector.log'), env: { COLLECTOR_FLUSH_INTERVAL_MS: '700' } });
      running.push(p);
      return p;
    };
    let collector = await spawnIt();
    const load = startLoad({ url: () => collector.url, key: db.key, org: db.org, clients: 3, batchSize: 200, pauseMs: 30 });
    await new Promise((r) => setTimeout(r, 2500));
    collector.child.kill('SIGKILL');
    expect(await collector.exited).toBe('SIGKILL');
    const ackedBeforeKill = load.result.acked.length;
    await new Promise((r) => setTimeout(r, 300));
    collector = await spawnIt(); // replays the spool left behind
    await new Promise((r) => setTimeout(r, 1500));
    const result = await load.stop();
    expect(ackedBeforeKill).toBeGreaterThan(0);
    expect(result.acked.length).toBeGreaterThan(ackedBeforeKill);
    const arrived = await waitForArrival(db.warehouse, db.org, result.acked, 30_000);
    expect(arrived.distinct).toBe(result.acked.length);
    // A replay may have written a row twice; the metric counts distinct ids.
    const final = await countArrived(db.warehouse, db.org, result.acked);
    expect(final.distinct).toBe(new Set(result.acked).size);

    collector.child.kill('SIGTERM');
    expect(await collector.exited).toBe(0);
  });

  it('on SIGTERM stops accepting, finishes in-flight requests, flushes everything, and exits 0', async () => {
    const spoolDir = freshDir(`fault-sigterm-${randomInt(1e9)}`, 'spool');
    const collector = await spawnCollector({
      clickhouse: db.config,
      port: 43000 + randomInt(2000),
      spoolDir,
      env: { COLLECTOR_FLUSH_INTERVAL_MS: '60000' }, // nothing is flushed before the signal
    });
    running.push(collector);
    const load = startLoad({ url: () => collector.url, key: db.key, org: db.org, clients: 2, batchSize: 100, pauseMs: 30 });
    await new Promise((r) => setTimeout(r, 1500));
    collector.child.kill('SIGTERM');
    expect(await collector.exited).toBe(0);
    const result = await load.stop();
    expect(result.acked.length).toBeGreaterThan(0);
    // Drained before exit: everything is already there, no restart needed.
    expect((await countArrived(db.warehouse, db.org, result.acked)).distinct).toBe(result.acked.length);
  });
});
