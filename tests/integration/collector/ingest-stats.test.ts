// The collector's ingestion counters end to end: a real collector process (the `waypoint collector`
// code path, configured by env) receives valid and invalid events over HTTP and writes its counters
// to ingest_stats in a real ClickHouse, where the Data page's query reads them by reason. And stats
// are best-effort: with their table gone, events are still acknowledged and stored, and the counts
// wait for the next successful write instead of being lost.
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../../../collector/app.ts';
import { createApiKey } from '../../../warehouse/api-keys.ts';
import { createWarehouse } from '../../../warehouse/client.ts';
import { ddlFeatures, renderDdl } from '../../../warehouse/ddl-variant.ts';
import { readMigrations } from '../../../warehouse/migrate.ts';
import { upsertOrg } from '../../../warehouse/orgs.ts';
import { sql, trustedSql } from '../../../warehouse/sql.ts';
import { readIngestHealth } from '../../../dashboard/src/lib/server/pages/data.ts';
import { freshDir, spawnCollector, type CollectorProcess } from '../../fault/stack.ts';
import { makeEvent } from '../../support/events.ts';
import { freePort } from '../../support/free-port.ts';
import { createTestWarehouse, type TestWarehouse } from '../../support/test-warehouse.ts';

const ORG = 'stats-org';
let t: TestWarehouse;
let key: string;
let collector: CollectorProcess | undefined;


beforeAll(async () => {
  t = await createTestWarehouse();
  await upsertOrg(t.warehouse, { id: ORG, name: 'Stats Ltd', timezone: 'Asia/Hong_Kong' });
  ({ key } = await createApiKey(t.warehouse, ORG, 'ingest'));
});

afterAll(async () => {
  collector?.child.kill('SIGKILL');
  await t.drop();
});

const post = (url: string, body: unknown) =>
  fetch(`${url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('ingest stats from a collector process', () => {
  it('counts accepted events, rejected events by reason and refused requests per minute, with spool samples', async () => {
    const spoolDir = freshDir(`ingest-stats-${randomInt(1e9)}`, 'spool');
    collector = await spawnCollector({
      clickhouse: t.config,
      port: await freePort(),
      spoolDir,
      logFile: path.join(spoolDir, '..', 'collector.log'),
      env: {
        COLLECTOR_STATS_INTERVAL_MS: '250',
        COLLECTOR_FLUSH_INTERVAL_MS: '200',
        // The process's own inserts belong in the conformance recording, or the replay would read empty tables.
        ...(process.env.WAYPOINT_RECORD_SQL ? { WAYPOINT_RECORD_SQL: process.env.WAYPOINT_RECORD_SQL } : {}),
      },
    });
    const since = new Date(Date.now() - 60_000);

    const mixed = await post(collector.url, {
      events: [
        makeEvent({ org: ORG }),
        makeEvent({ org: ORG }),
        makeEvent({ org: ORG }),
        makeEvent({ org: ORG, colour: 'red' }), // unknown_field
        makeEvent({ org: ORG, type: 'message.teleported' }), // unknown_type
        makeEvent({ org: ORG, type: 'message.exploded' }), // unknown_type
      ],
    });
    expect(mixed.status).toBe(202);
    expect(await mixed.json()).toMatchObject({ accepted: 3, rejectedCount: 3 });
    const allBad = await post(collector.url, { events: [makeEvent({ org: ORG, colour: 'blue' })] });
    expect(allBad.status).toBe(400);

    // Poll on a client that is not recorded for the conformance replay: a poll racing the collector's
    // writes would be replayed against a different set of rows. The asserted read comes after the
    // collector has exited, when nothing changes any more.
    const poller = createWarehouse({ ...t.config, recordFile: undefined });
    try {
      await until(
        () => readIngestHealth(poller, ORG, since),
        (h) => h.minutes.reduce((s, m) => s + m.accepted, 0) >= 3 && h.reasons.some((r) => r.metric === 'refused'),
      );
      await until(
        () => poller.query(sql`SELECT count() AS n FROM events WHERE org = ${ORG}`, z.object({ n: z.coerce.number() }), { org: ORG }),
        (rows) => rows[0]?.n === 3,
      );
    } finally {
      await poller.close();
    }
    collector.child.kill('SIGTERM');
    expect(await collector.exited).toBe(0);
    collector = undefined;

    const health = await readIngestHealth(t.warehouse, ORG, since);
    expect(health.minutes.reduce((s, m) => s + m.accepted, 0)).toBe(3);
    expect(health.minutes.reduce((s, m) => s + m.rejected, 0)).toBe(4);
    const byReason = Object.fromEntries(health.reasons.map((r) => [`${r.metric}:${r.reason}`, r.n]));
    expect(byReason).toEqual({ 'rejected:unknown_type': 2, 'rejected:unknown_field': 2, 'refused:no_valid_events': 1 });
    // The collector samples its spool at every write once it has served this organisation.
    expect(health.spool.length).toBeGreaterThan(0);
    expect(health.flushErrors).toBe(0);

    // The accepted events themselves are in ClickHouse: the stats are beside the data path, not in it.
    const stored = await t.warehouse.query(sql`SELECT count() AS n FROM events WHERE org = ${ORG}`, z.object({ n: z.coerce.number() }), { org: ORG });
    expect(stored[0]?.n).toBe(3);
  });

  it('keeps acknowledging events when the stats table is gone, and writes the held counts once it is back', async () => {
    const app = buildApp({ warehouse: t.warehouse, logLevel: 'silent', flushLingerMs: 20, stats: { intervalMs: 0, collector: 'test-collector' } });
    try {
      const since = new Date(Date.now() - 60_000);
      await t.warehouse.command(trustedSql('DROP TABLE ingest_stats'), 'system');

      const send = (events: unknown[]) =>
        app.app.inject({ method: 'POST', url: '/v1/events', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: { events } });
      const first = await send([makeEvent({ org: ORG }), makeEvent({ org: ORG, colour: 'green' })]);
      expect(first.statusCode).toBe(202);
      expect(await app.stats!.flushNow()).toBe(false);
      const second = await send([makeEvent({ org: ORG })]);
      expect(second.statusCode).toBe(202);

      // Recreate the table exactly as migration 050 does.
      const migration = readMigrations().find((m) => m.name === '050_ingest_stats')!;
      const features = ddlFeatures(await t.warehouse.serverVersion());
      for (const statement of migration.statements) await t.warehouse.command(trustedSql(renderDdl(statement, features)), 'system');
      expect(await app.stats!.flushNow()).toBe(true);

      const after = await readIngestHealth(t.warehouse, ORG, since);
      // The new table holds only what this collector counted: both writes' worth, the failed one included.
      expect(after.minutes.reduce((s, m) => s + m.accepted, 0)).toBe(2);
      expect(after.reasons).toEqual([{ metric: 'rejected', reason: 'unknown_field', n: 1 }]);
      expect(after.spool.length).toBeGreaterThan(0);
    } finally {
      await app.app.close();
    }
  });
});
