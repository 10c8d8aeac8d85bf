// Starts the collector in the foreground: listens, and on SIGINT/SIGTERM stops accepting, lets
// in-flight requests finish, flushes what it holds, and exits.
import type { Config } from '../config/env.ts';
import { createWarehouse } from '../warehouse/client.ts';
import { buildApp } from './app.ts';

export async function startCollector(config: Config): Promise<{ url: string; close(): Promise<void> }> {
  const warehouse = createWarehouse(config.clickhouse);
  const { app } = buildApp({
    warehouse,
    flushMaxRows: config.env.COLLECTOR_FLUSH_MAX_ROWS,
    flushLingerMs: config.env.COLLECTOR_FLUSH_INTERVAL_MS,
    logLevel: config.env.LOG_LEVEL,
  });
  const url = await app.listen({ host: config.env.COLLECTOR_HOST, port: config.env.COLLECTOR_PORT });
  return {
    url,
    async close() {
      await app.close();
      await warehouse.close();
    },
  };
}
