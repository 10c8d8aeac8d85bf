// What /readyz reports: ready while the spool is below its cap and ClickHouse answers (a ping every
// few seconds, and the flusher's last insert). Not ready is not dead: events are still spooled until
// the cap, and the reasons say which condition failed.
import type { Warehouse } from '../warehouse/client.ts';
import type { CollectorMetrics } from './metrics.ts';
import type { Spool } from './spool.ts';
import type { SpoolFlusher } from './spool-flusher.ts';

export interface ReadinessReport {
  ready: boolean;
  reasons: string[];
  spool: { bytes: number; maxBytes: number; segments: number; oldestAgeSeconds: number };
  clickhouse: { reachable: boolean; lastError?: string };
}

export interface Readiness {
  report(): ReadinessReport;
  spoolFull(): boolean;
  close(): void;
}

export function createReadiness(options: {
  spool: Spool;
  flusher: SpoolFlusher;
  warehouse: Warehouse;
  spoolMaxBytes: number;
  metrics: CollectorMetrics;
  pingIntervalMs?: number;
}): Readiness {
  const { spool, flusher, warehouse, spoolMaxBytes, metrics } = options;
  let reachable = true;
  let pingError: string | undefined;
  let closed = false;

  async function ping(): Promise<void> {
    try {
      reachable = await warehouse.ping();
      pingError = reachable ? undefined : 'ping failed';
    } catch (err) {
      reachable = false;
      pingError = (err as Error).message;
    }
    if (!reachable) metrics.clickhouseErrors.inc({ operation: 'ping' });
  }
  const timer = setInterval(() => void ping(), options.pingIntervalMs ?? 2000);
  timer.unref();
  void ping();

  const oldestAgeSeconds = () => {
    const at = spool.oldestAt();
    return at === undefined ? 0 : Math.max(0, (Date.now() - at) / 1000);
  };
  metrics.registry.gauge('waypoint_collector_spool_bytes', 'Bytes in the spool not yet confirmed by ClickHouse.', () => spool.bytes());
  metrics.registry.gauge('waypoint_collector_spool_segments', 'Sealed spool segments waiting for ClickHouse.', () => spool.sealed().length);
  metrics.registry.gauge('waypoint_collector_spool_oldest_age_seconds', 'Age of the oldest unflushed spooled data.', oldestAgeSeconds);
  metrics.registry.gauge('waypoint_collector_clickhouse_up', '1 when the last ping and insert succeeded.', () => (reachable && !flusher.status().lastError ? 1 : 0));
  metrics.registry.gauge('process_resident_memory_bytes', 'Resident set size of the collector.', () => process.memoryUsage.rss());

  return {
    spoolFull: () => spool.bytes() >= spoolMaxBytes,
    report() {
      const reasons: string[] = [];
      const bytes = spool.bytes();
      if (closed) reasons.push('shutting down');
      if (bytes >= spoolMaxBytes) reasons.push(`spool is full: ${bytes} of ${spoolMaxBytes} bytes wait for ClickHouse; new batches get 503`);
      const insertError = flusher.status().lastError;
      if (!reachable) reasons.push(`ClickHouse is not reachable: ${pingError ?? 'unknown error'}`);
      else if (insertError) reasons.push(`the last ClickHouse insert failed: ${insertError}`);
      return {
        ready: reasons.length === 0,
        reasons,
        spool: { bytes, maxBytes: spoolMaxBytes, segments: spool.sealed().length, oldestAgeSeconds: Math.round(oldestAgeSeconds()) },
        clickhouse: { reachable: reachable && !insertError, ...(pingError || insertError ? { lastError: pingError ?? insertError } : {}) },
      };
    },
    close() {
      closed = true;
      clearInterval(timer);
    },
  };
}
