// The collector's ingestion counters in ClickHouse, for the Data page: per organisation and minute,
// events accepted, events rejected inside a batch and requests refused (each by reason code), spool
// flush errors and the spool backlog. Counts are kept in memory and written every `intervalMs` as
// the deltas since the last write, so readers sum them. Best-effort by design: recording is a Map
// update on the request path, a write never blocks or fails an acknowledgement, and a failed write
// keeps its counts for the next tick (up to MAX_PENDING_ROWS; beyond that they are dropped and logged).
import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Warehouse } from '../warehouse/client.ts';
import { formatDateTime } from '../warehouse/row-values.ts';

export const STAT_METRICS = ['accepted', 'rejected', 'refused', 'flush_errors', 'spool_events', 'spool_bytes', 'spool_age_seconds'] as const;
export type StatMetric = (typeof STAT_METRICS)[number];

/** Metrics that are a level at the moment of sampling (read with max), not a count of happenings (read with sum). */
export const GAUGE_METRICS: readonly StatMetric[] = ['spool_events', 'spool_bytes', 'spool_age_seconds'];

/** Pending rows kept across failed writes; an outage longer than this many org × minute × reason rows loses the oldest counts. */
export const MAX_PENDING_ROWS = 50_000;

export interface SpoolLevels {
  /** Events acknowledged by this process and not yet confirmed by ClickHouse. */
  events: number;
  bytes: number;
  /** Age of the oldest unflushed data, 0 when the spool is empty. */
  ageSeconds: number;
}

export interface IngestStatsOptions {
  warehouse: Warehouse;
  intervalMs: number;
  log: FastifyBaseLogger;
  /** Sampled at every write: the spool is shared by every organisation this collector serves. */
  spoolLevels: () => SpoolLevels;
  /** Failed ClickHouse inserts of the spool flusher so far (a running total; the stats write the increase). */
  flushErrors: () => number;
  /** Names this process in the rows (default host:pid), so gauges of several collectors add up. */
  collector?: string;
  now?: () => number;
}

export interface IngestStats {
  accepted(org: string, events: number): void;
  rejected(org: string, reason: string, events: number): void;
  refused(org: string, reason: string): void;
  start(): void;
  /** Writes what is pending now (tests, shutdown); resolves false when the write failed. */
  flushNow(): Promise<boolean>;
  /** Stops the timer and makes a last write, bounded by `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>;
}

interface Row {
  org: string;
  minute: string;
  collector: string;
  metric: StatMetric;
  reason: string;
  value: number;
}

/** Organisations whose admins see the shared spool's backlog: those this process served in the last hour. */
const SPOOL_ORG_TTL_MS = 3_600_000;

export function createIngestStats(options: IngestStatsOptions): IngestStats {
  const { warehouse, log } = options;
  const now = options.now ?? Date.now;
  const collector = options.collector ?? `${hostname()}:${process.pid}`;
  let pending = new Map<string, Row>();
  const orgsSeen = new Map<string, number>();
  let flushErrorsWritten = options.flushErrors();
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<boolean> | undefined;
  let dropped = 0;

  function minuteOf(t: number): string {
    return formatDateTime(Math.floor(t / 60_000) * 60_000);
  }

  function add(org: string, metric: StatMetric, reason: string, value: number, at = now()): void {
    // A gauge at 0 is news (the spool is empty); a counter at 0 is not.
    const gauge = GAUGE_METRICS.includes(metric);
    if (value < 0 || (value === 0 && !gauge)) return;
    const minute = minuteOf(at);
    const key = `${org}\u0000${minute}\u0000${metric}\u0000${reason}`;
    const row = pending.get(key);
    if (row) {
      row.value = gauge ? Math.max(row.value, value) : row.value + value;
      return;
    }
    if (pending.size >= MAX_PENDING_ROWS) {
      dropped += 1;
      return;
    }
    pending.set(key, { org, minute, collector, metric, reason, value });
  }

  function seen(org: string): void {
    orgsSeen.set(org, now());
  }

  /** Collector-wide figures, recorded for every organisation served lately (the client only reads one org's rows). */
  function sampleShared(): void {
    const t = now();
    for (const [org, at] of orgsSeen) if (t - at > SPOOL_ORG_TTL_MS) orgsSeen.delete(org);
    const errorsTotal = options.flushErrors();
    const newErrors = errorsTotal - flushErrorsWritten;
    flushErrorsWritten = errorsTotal;
    const spool = options.spoolLevels();
    for (const org of orgsSeen.keys()) {
      add(org, 'flush_errors', '', newErrors, t);
      add(org, 'spool_events', '', spool.events, t);
      add(org, 'spool_bytes', '', spool.bytes, t);
      add(org, 'spool_age_seconds', '', Math.round(spool.ageSeconds), t);
    }
  }

  async function write(): Promise<boolean> {
    sampleShared();
    if (dropped > 0) {
      log.warn({ dropped }, 'ingest stats: counts dropped while ClickHouse was unreachable');
      dropped = 0;
    }
    if (pending.size === 0) return true;
    const batch = pending;
    pending = new Map();
    try {
      await warehouse.insert('ingest_stats', [...batch.values()]);
      return true;
    } catch (err) {
      log.warn({ err: (err as Error).message, rows: batch.size }, 'ingest stats: write failed; counts kept for the next write');
      // Put the counts back, merged with what arrived meanwhile, so an outage delays them rather than losing them.
      for (const [key, row] of batch) {
        const later = pending.get(key);
        if (later) later.value = GAUGE_METRICS.includes(row.metric) ? Math.max(later.value, row.value) : later.value + row.value;
        else if (pending.size < MAX_PENDING_ROWS) pending.set(key, row);
        else dropped += 1;
      }
      return false;
    }
  }

  /** One write at a time: a tick during a slow write waits for the next tick. */
  function flushNow(): Promise<boolean> {
    if (writing) return writing.then(() => flushNow());
    writing = write().finally(() => {
      writing = undefined;
    });
    return writing;
  }

  return {
    accepted(org, events) {
      seen(org);
      add(org, 'accepted', '', events);
    },
    rejected(org, reason, events) {
      seen(org);
      add(org, 'rejected', reason, events);
    },
    refused(org, reason) {
      seen(org);
      add(org, 'refused', reason, 1);
    },
    start() {
      if (options.intervalMs <= 0 || timer) return;
      timer = setInterval(() => {
        if (!writing) void flushNow();
      }, options.intervalMs);
      // Stats never keep the process alive.
      timer.unref();
    },
    flushNow,
    async close(timeoutMs = 2000) {
      if (timer) clearInterval(timer);
      timer = undefined;
      let timeout: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timeout = setTimeout(resolve, timeoutMs);
        timeout.unref();
      });
      await Promise.race([flushNow().then(() => undefined), deadline]);
      clearTimeout(timeout);
    },
  };
}
