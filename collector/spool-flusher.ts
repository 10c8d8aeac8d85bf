// Moves sealed spool segments into ClickHouse in large inserts — a tick every interval seals the open
// segment and starts an insert; up to `maxInFlight` inserts run at once, so ClickHouse parses one
// batch while the next is read and sent (a backlog after an outage drains back to back) — retries
// with capped exponential backoff, and deletes a segment only after ClickHouse confirmed its rows.
// Delivery is at-least-once: a crash between insert and delete replays the segment, and the
// warehouse counts each event id once (ReplacingMergeTree + uniqExact), so segments may land in any order.
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
  /** Inserts running at once (default 2: one parsing in ClickHouse while the next is sent). */
  maxInFlight?: number;
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
  const maxInFlight = Math.max(1, options.maxInFlight ?? 2);
  const retryBaseMs = options.retryBaseMs ?? Math.min(250, options.retryMaxMs);
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let stopped = false;
  /** No insert starts before this time (backoff after a failure). */
  let retryAt = 0;
  let lastFailure: unknown;
  let flushedThrough = (spool.sealed()[0]?.seq ?? 1) - 1;
  let highestInserted = flushedThrough;
  const claimed = new Set<SpoolSegment>();
  const inFlight = new Set<Promise<void>>();
  const waiters: Array<{ seq: number; resolve: () => void }> = [];
  const state: { lastError?: string; lastSuccessAt?: number; consecutiveFailures: number } = { consecutiveFailures: 0 };

  /** Segments below the oldest one still in the spool are all in ClickHouse (inserts may finish out of order). */
  function markFlushed(insertedSeq: number): void {
    highestInserted = Math.max(highestInserted, insertedSeq);
    const oldest = spool.sealed()[0]?.seq;
    flushedThrough = Math.max(flushedThrough, oldest === undefined ? highestInserted : Math.min(highestInserted, oldest - 1));
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.seq <= flushedThrough) waiters.splice(i, 1)[0]!.resolve();
    }
  }

  /** Unclaimed sealed segments oldest first up to maxRows (always at least one). */
  function pickBatch(): SpoolSegment[] {
    const picked: SpoolSegment[] = [];
    let rows = 0;
    for (const segment of spool.sealed()) {
      if (claimed.has(segment)) continue;
      if (picked.length > 0 && rows + segment.rows > maxRows) break;
      picked.push(segment);
      rows += segment.rows;
    }
    return picked;
  }

  function unclaimedRows(): number {
    let rows = 0;
    for (const segment of spool.sealed()) if (!claimed.has(segment)) rows += segment.rows;
    return rows;
  }

  /** Inserts the segments as one, then deletes them. */
  async function insertSegments(picked: SpoolSegment[]): Promise<void> {
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
    log.debug({ rows: actualRows, segments: picked.length, seconds }, 'flushed spool to ClickHouse');
  }

  /** Starts one insert; its outcome updates the status, the backoff and the waiters. */
  function launch(picked: SpoolSegment[]): Promise<void> {
    for (const segment of picked) claimed.add(segment);
    const run = insertSegments(picked).then(
      () => {
        state.consecutiveFailures = 0;
        delete state.lastError;
        state.lastSuccessAt = Date.now();
        markFlushed(picked.at(-1)!.seq);
      },
      (err: unknown) => {
        state.consecutiveFailures += 1;
        state.lastError = err instanceof Error ? err.message : String(err);
        lastFailure = err;
        metrics.clickhouseErrors.inc({ operation: 'insert' });
        const backoff = Math.min(options.retryMaxMs, retryBaseMs * 2 ** Math.min(state.consecutiveFailures - 1, 16));
        const wait = Math.round(backoff * (0.5 + Math.random() / 2));
        retryAt = Math.max(retryAt, Date.now() + wait);
        log.warn({ err: state.lastError, attempt: state.consecutiveFailures, retryInMs: wait, spoolBytes: spool.bytes() }, 'ClickHouse insert failed; events stay in the spool');
        if (!stopped) setTimeout(pump, wait).unref();
        throw err;
      },
    );
    const tracked: Promise<void> = run
      .catch(() => {})
      .finally(() => {
        for (const segment of picked) claimed.delete(segment);
        inFlight.delete(tracked);
        // A backlog (after an outage, or ingest faster than one insert) drains back to back.
        if (!stopped && unclaimedRows() >= maxRows) pump();
      });
    inFlight.add(tracked);
    return run;
  }

  /** Background: starts inserts for whatever is sealed while a slot is free and no backoff holds. */
  function pump(): void {
    while (!stopped && inFlight.size < maxInFlight && Date.now() >= retryAt) {
      const picked = pickBatch();
      if (picked.length === 0) return;
      launch(picked).catch(() => {});
    }
  }

  async function tick(): Promise<void> {
    // Seal only when an insert can start, so that segments grow while ClickHouse is busy.
    if (inFlight.size < maxInFlight && Date.now() >= retryAt) await spool.seal();
    pump();
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      void tick()
        .catch((err: unknown) => log.error({ err }, 'flush tick failed'))
        .finally(schedule);
    }, intervalMs);
  }

  /** Seals and inserts everything; gives up (rejects) once a retry would pass the deadline. */
  async function flushAll(deadline: number): Promise<void> {
    for (;;) {
      await spool.seal();
      while (inFlight.size < maxInFlight && Date.now() >= retryAt) {
        const picked = pickBatch();
        if (picked.length === 0) break;
        launch(picked).catch(() => {});
      }
      if (inFlight.size > 0) {
        await Promise.race(inFlight);
        continue;
      }
      if (spool.sealed().length === 0) return;
      // Nothing runs yet something is left: a failure's backoff holds.
      const wait = Math.max(0, retryAt - Date.now());
      if (Date.now() + wait > deadline) throw lastFailure ?? new Error('flush did not finish before the deadline');
      await sleep(wait);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule();
    },
    flushNow: () => flushAll(Date.now()),
    waitFlushed(seq) {
      if (seq <= flushedThrough) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ seq, resolve }));
    },
    async drain(timeoutMs) {
      stopped = true;
      if (timer) clearTimeout(timer);
      const deadline = Date.now() + timeoutMs;
      await flushAll(deadline).catch((err: unknown) => {
        log.error({ err: (err as Error).message, spoolBytes: spool.bytes() }, 'could not drain the spool before the deadline; it replays on the next start');
      });
      return { drained: spool.sealed().length === 0, remainingBytes: spool.bytes() };
    },
    status: () => ({ ...state }),
  };
}
