// Starts the collector in the foreground: opens the spool (replaying what a previous run left),
// listens, and on close stops accepting, lets in-flight requests finish, drains the spool into
// ClickHouse (bounded by COLLECTOR_DRAIN_TIMEOUT_MS; the rest replays on the next start), and exits.
import path from 'node:path';
import type { Config } from '../config/env.ts';
import { createWarehouse } from '../warehouse/client.ts';
import { buildApp } from './app.ts';

export interface RunningCollector {
  url: string;
  /** Resolves once everything acknowledged so far is in ClickHouse (e.g. before running jobs). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export async function startCollector(config: Config): Promise<RunningCollector> {
  const { env } = config;
  const warehouse = createWarehouse(config.clickhouse);
  const { app, flusher } = buildApp({
    warehouse,
    // Default 1 on 2 cores: one worker parses and validates while the main thread serves HTTP, fsync and inserts.
    parseWorkers: config.env.COLLECTOR_PARSE_WORKERS,
    // 0 turns the ingestion counters off altogether (nothing is counted or written).
    ...(env.COLLECTOR_STATS_INTERVAL_MS > 0 ? { stats: { intervalMs: env.COLLECTOR_STATS_INTERVAL_MS } } : {}),
    logLevel: env.LOG_LEVEL,
    spool: {
      dir: env.COLLECTOR_SPOOL_DIR ? path.resolve(env.COLLECTOR_SPOOL_DIR) : path.join(config.dataDir, 'spool'),
      maxBytes: env.COLLECTOR_SPOOL_MAX_BYTES,
      segmentMaxBytes: env.COLLECTOR_SEGMENT_MAX_BYTES,
    },
    flush: {
      intervalMs: env.COLLECTOR_FLUSH_INTERVAL_MS,
      maxRows: env.COLLECTOR_FLUSH_MAX_ROWS,
      retryMaxMs: env.COLLECTOR_RETRY_MAX_MS,
      drainTimeoutMs: env.COLLECTOR_DRAIN_TIMEOUT_MS,
    },
    limits: {
      maxBodyBytes: env.COLLECTOR_MAX_BODY_BYTES,
      maxNdjsonBytes: env.COLLECTOR_MAX_NDJSON_BYTES,
      bodyTimeoutMs: env.COLLECTOR_BODY_TIMEOUT_MS,
      rateLimitEventsPerSec: env.COLLECTOR_RATE_LIMIT_EVENTS_PER_SEC,
      rateLimitBurst: env.COLLECTOR_RATE_LIMIT_BURST,
    },
  });
  if (!(await warehouse.ping().catch(() => false))) {
    app.log.warn({ url: config.clickhouse.url }, 'ClickHouse does not answer; accepting into the spool until it does');
  }
  const url = await app.listen({ host: env.COLLECTOR_HOST, port: env.COLLECTOR_PORT });
  return {
    url,
    flush: () => flusher.flushNow(),
    async close() {
      await app.close();
      await warehouse.close();
    },
  };
}
