// Moves sealed spool segments into ClickHouse in large inserts — at most one insert per interval
// unless a full batch is already waiting (a backlog after an outage drains back to back) — retries
// with capped exponential backoff, and deletes a segment only after ClickHouse confirmed its rows.
// Delivery is at-least-once: a crash between insert and delete replays the segment, and the
// warehouse counts each event id once (ReplacingMergeTree + uniqExact).
import type { FastifyBaseLogger } from 'fastify';
import type { Warehouse } from '../warehouse/client.ts';
import type { CollectorMetrics } from './metrics.ts';
import { readSegment, type Spool, type SpoolSegment } from './spool.ts';

export interface FlusherOptions {
  spool: Spool;
  warehouse: Warehouse;
  table: string;
  intervalMs: number;
  maxRows: number;
  retryBaseMs?: number;
  retryMaxMs: number;
  log: FastifyBaseLogger;
  metrics: CollectorMetrics;
}

export interface SpoolFlusher {
  /** Starts the periodic flush. */
  start(): void;
  /** Seals the open segment and flushes everything sealed; rejects if ClickHouse refuses. */
  flushNow(): Promise<void>;
  /** Resolves once every segment up to `seq` is in ClickHouse. */
  waitFlushed(seq: number): Promise<void>;
  /** Stops the periodic flush, then flushes until the spool is empty or the deadline passes. */
  drain(timeoutMs: number): Promise<{ drained: boolean; remainingBytes: number }>;
  /** Last insert outcome, for /readyz. */
  status(): { lastError?: string; lastSuccessAt?: number; consecutiveFailures: number };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createSpoolFlusher(options: FlusherOptions): SpoolFlusher {
  const { spool, warehouse, table, intervalMs, maxRows, log, metrics } = options;
  const retryBaseMs = options.retryBaseMs ?? Math.min(250, options.retryMaxMs);
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();
  let flushedThrough = (spool.sealed()[0]?.seq ?? 1) - 1;
  const waiters: Array<{ seq: number; resolve: () => void }> = [];
  const state: { lastError?: string; lastSuccessAt?: number; consecutiveFailures: number } = { consecutiveFailures: 0 };

  function markFlushed(seq: number): void {
    flushedThrough = Math.max(flushedThrough, seq);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.seq <= flushedThrough) waiters.splice(i, 1)[0]!.resolve();
    }
  }

  /** Picks sealed segments oldest first up to maxRows (always at least one) and inserts them as one. */
  async function insertOnce(): Promise<{ inserted: number; remainingRows: number }> {
    const picked: SpoolSegment[] = [];
    let rows = 0;
    for (const segment of spool.sealed()) {
      if (picked.length > 0 && rows + segment.rows > maxRows) break;
      picked.push(segment);
      rows += segment.rows;
    }
    if (picked.length === 0) return { inserted: 0, remainingRows: 0 };
    const parts: Buffer[] = [];
    let actualRows = 0;
    for (const segment of picked) {
      const contents = await readSegment(segment);
      if (contents.skippedBytes > 0) {
        metrics.spoolSkippedBytes.inc(undefined, contents.skippedBytes);
        log.warn({ segment: segment.file, skippedBytes: contents.skippedBytes, records: contents.records, rows: contents.rows }, 'spool segment has a torn or corrupt stretch; skipped it, replaying the rest');
      }
      segment.rows = contents.rows;
      actualRows += contents.rows;
      // Payloads go to ClickHouse as the spool holds them: no decode, no join, no extra copy.
      for (const p of contents.payloads) parts.push(p);
    }
    const started = process.hrtime.bigint();
    if (actualRows > 0) await warehouse.insertJsonLines(table, parts, actualRows);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.flushRows.observe(actualRows);
    metrics.flushDuration.observe(seconds);
    metrics.eventsFlushed.inc(undefined, actualRows);
    for (const segment of picked) await spool.remove(segment);
    markFlushed(picked.at(-1)!.seq);
    log.debug({ rows: actualRows, segments: picked.length, seconds }, 'flushed spool to ClickHouse');
    const remainingRows = spool.sealed().reduce((sum, s) => sum + s.rows, 0);
    return { inserted: actualRows, remainingRows };
  }

  /** One flush cycle: seal, then insert until less than a full batch waits (or all, when `all`). */
  async function cycle(all: boolean, deadline = Infinity): Promise<void> {
    await spool.seal();
    for (;;) {
      try {
        const { inserted, remainingRows } = await insertOnce();
        state.consecutiveFailures = 0;
        delete state.lastError;
        state.lastSuccessAt = Date.now();
        if (inserted === 0 && remainingRows === 0) return;
        if (remainingRows === 0 || (!all && remainingRows < maxRows)) return;
      } catch (err) {
        state.consecutiveFailures += 1;
        state.lastError = err instanceof Error ? err.message : String(err);
        metrics.clickhouseErrors.inc({ operation: 'insert' });
        const backoff = Math.min(options.retryMaxMs, retryBaseMs * 2 ** Math.min(state.consecutiveFailures - 1, 16));
        const wait = Math.round(backoff * (0.5 + Math.random() / 2));
        log.warn({ err: state.lastError, attempt: state.consecutiveFailures, retryInMs: wait, spoolBytes: spool.bytes() }, 'ClickHouse insert failed; events stay in the spool');
        if (Date.now() + wait > deadline) throw err;
        await sleep(wait);
        if (stopped && deadline === Infinity) return;
      }
    }
  }

  function enqueue(fn: () => Promise<void>): Promise<void> {
    const next = chain.then(fn);
    chain = next.catch(() => {});
    return next;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      void enqueue(() => cycle(false)).finally(schedule);
    }, intervalMs);
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule();
    },
    flushNow: () => enqueue(() => cycle(true, Date.now())),
    waitFlushed(seq) {
      if (seq <= flushedThrough) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ seq, resolve }));
    },
    async drain(timeoutMs) {
      stopped = true;
      if (timer) clearTimeout(timer);
      const deadline = Date.now() + timeoutMs;
      await enqueue(() => cycle(true, deadline)).catch((err: unknown) => {
        log.error({ err: (err as Error).message, spoolBytes: spool.bytes() }, 'could not drain the spool before the deadline; it replays on the next start');
      });
      return { drained: spool.sealed().length === 0, remainingBytes: spool.bytes() };
    },
    status: () => ({ ...state }),
  };
}
