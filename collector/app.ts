// Builds the collector's Fastify app and its ingest pipeline (never listens: main.ts does).
// A batch is authenticated, admitted (spool below its cap, key within its rate), read (gzip, JSON or
// streamed NDJSON), validated event by event, appended to the spool and fsync'd — then 202. The
// flusher moves the spool into ClickHouse. The API is documented in docs/api.md ("Ingest API").
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { directorySchema } from '../contracts/directory.ts';
import type { VerifiedKey } from '../warehouse/api-keys.ts';
import type { Warehouse } from '../warehouse/client.ts';
import { upsertDirectory } from '../warehouse/directory.ts';
import { createPseudonymiserCache, pseudonymiseDirectory } from '../warehouse/pseudonymise.ts';
import { BatchBuilder, MAX_LISTED_REJECTIONS, type BatchScope, type BuiltBatch } from './batch-builder.ts';
import { createBatchPool } from './batch-pool.ts';
import { HttpError } from './http-error.ts';
import { createIngestStats, type IngestStats } from './ingest-stats.ts';
import { createKeyVerifier, type KeyVerifier } from './key-verifier.ts';
import { createCollectorMetrics, type CollectorMetrics } from './metrics.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { createReadiness, type Readiness } from './readiness.ts';
import { batchOfBody } from './json-batch.ts';
import { decodeContentEncoding, readJsonBody, readJsonBytes, readNdjsonBody } from './request-body.ts';
import { openSpool, type Spool } from './spool.ts';
import { createSpoolFlusher, type SpoolFlusher } from './spool-flusher.ts';
import { describeIssue } from './validate-events.ts';

export { HttpError } from './http-error.ts';
export { MAX_LISTED_REJECTIONS } from './batch-builder.ts';

export { MAX_EVENTS_PER_BATCH } from './json-batch.ts';
export const MAX_NDJSON_EVENTS = 100_000;
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface CollectorLimits {
  /** Decoded bytes of a {"events":[…]} or directory body (held whole). */
  maxBodyBytes: number;
  /** Decoded bytes of an NDJSON body (streamed). */
  maxNdjsonBytes: number;
  bodyTimeoutMs: number;
  rateLimitEventsPerSec: number;
  rateLimitBurst: number;
}

export interface SpoolSettings {
  dir: string;
  maxBytes: number;
  segmentMaxBytes: number;
}

export interface FlushSettings {
  intervalMs: number;
  maxRows: number;
  retryMaxMs: number;
  drainTimeoutMs: number;
}

export interface CollectorOptions {
  warehouse: Warehouse;
  logLevel?: string;
  /** Where pino writes its JSON lines (default stdout). */
  logStream?: Writable;
  keyVerifier?: KeyVerifier;
  limits?: Partial<CollectorLimits>;
  /** Omitted: a temporary spool, removed on close (in-process tests). */
  spool?: Partial<SpoolSettings> & { dir: string };
  flush?: Partial<FlushSettings>;
  /** Shorthand for flush.intervalMs, kept for the test helper. */
  flushLingerMs?: number;
  /**
   * When a 202 is sent: `spool` (production) once the batch is fsync'd; `warehouse` once the flusher
   * has also inserted it — for in-process tests that read ClickHouse right after posting. Defaults to
   * `spool` with a configured spool directory and `warehouse` with the temporary one.
   */
  ack?: 'spool' | 'warehouse';
  /**
   * Worker threads that parse and validate JSON event bodies (default 0: on the main thread).
   * The collector process uses 1, so the main thread keeps to HTTP, the spool and the flusher.
   */
  parseWorkers?: number;
  /** Write ingestion counters to ingest_stats every intervalMs (collector/ingest-stats.ts); omitted: none are written. */
  stats?: { intervalMs: number; collector?: string };
}

export interface Collector {
  app: FastifyInstance;
  spool: Spool;
  flusher: SpoolFlusher;
  readiness: Readiness;
  metrics: CollectorMetrics;
  stats: IngestStats | undefined;
}

const DEFAULT_LIMITS: CollectorLimits = {
  maxBodyBytes: MAX_BODY_BYTES,
  maxNdjsonBytes: 64 * 1024 * 1024,
  bodyTimeoutMs: 30_000,
  rateLimitEventsPerSec: 100_000,
  rateLimitBurst: 200_000,
};

declare module 'fastify' {
  interface FastifyRequest {
    ingestKey: VerifiedKey | null;
    /** The key's organisation and, when pseudonymisation is on for it, its secret. */
    batchScope: BatchScope | null;
    errorCode: string | null;
  }
}

/** NDJSON bodies are validated while they stream in; the handler receives the finished builder. */
class StreamedBatch {
  constructor(readonly builder: BatchBuilder) {}
}

/** A JSON body of POST /v1/events, read but not parsed: parsing and validation may run in a worker. */
class JsonEventsBody {
  constructor(readonly bytes: Buffer) {}
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  return /^Bearer\s+(\S+)$/i.exec(header)?.[1];
}

const errorBody = {
  type: 'object',
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
    accepted: { type: 'integer' },
    rejectedCount: { type: 'integer' },
    rejected: { type: 'array' },
    errors: { type: 'array' },
  },
  required: ['error'],
} as const;

const rejectionItem = {
  type: 'object',
  properties: {
    index: { type: 'integer' },
    id: { type: 'string' },
    code: { type: 'string' },
    field: { type: 'string' },
    reason: { type: 'string' },
  },
} as const;

const acceptedBody = {
  type: 'object',
  properties: {
    accepted: { type: 'integer' },
    rejectedCount: { type: 'integer' },
    rejected: { type: 'array', items: rejectionItem },
  },
} as const;

export function buildApp(options: CollectorOptions): Collector {
  const { warehouse } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const metrics = createCollectorMetrics();
  const app = Fastify({
    logger: { level: options.logLevel ?? 'info', ...(options.logStream ? { stream: options.logStream } : {}) },
    requestIdHeader: false,
    genReqId: (req) => {
      const presented = req.headers['x-request-id'];
      return typeof presented === 'string' && REQUEST_ID.test(presented) ? presented : randomUUID();
    },
    // Bodies are read by the parsers below, which apply the limits themselves.
    bodyLimit: Math.max(limits.maxBodyBytes, limits.maxNdjsonBytes),
  });

  const temporarySpoolDir = options.spool ? undefined : mkdtempSync(path.join(tmpdir(), 'waypoint-spool-'));
  const spoolSettings: SpoolSettings = {
    dir: options.spool?.dir ?? temporarySpoolDir!,
    maxBytes: options.spool?.maxBytes ?? 2 * 1024 ** 3,
    segmentMaxBytes: options.spool?.segmentMaxBytes ?? 64 * 1024 ** 2,
  };
  const flush: FlushSettings = {
    intervalMs: options.flush?.intervalMs ?? options.flushLingerMs ?? 1000,
    maxRows: options.flush?.maxRows ?? 200_000,
    retryMaxMs: options.flush?.retryMaxMs ?? 10_000,
    drainTimeoutMs: options.flush?.drainTimeoutMs ?? 30_000,
  };
  const ack = options.ack ?? (options.spool ? 'spool' : 'warehouse');
  const spool = openSpool({
    dir: spoolSettings.dir,
    segmentMaxBytes: spoolSettings.segmentMaxBytes,
    segmentMaxRows: flush.maxRows,
    onCommit: ({ requests, seconds }) => {
      metrics.fsyncDuration.observe(seconds);
      metrics.fsyncBatches.observe(requests);
    },
  });
  if (spool.sealed().length > 0) {
    app.log.info({ segments: spool.sealed().length, bytes: spool.bytes(), dir: spool.dir }, 'replaying spool segments left by the previous run');
  }
  const flusher = createSpoolFlusher({ spool, warehouse, table: 'events', ...flush, log: app.log, metrics });
  const readiness = createReadiness({ spool, flusher, warehouse, spoolMaxBytes: spoolSettings.maxBytes, metrics });
  const keys = options.keyVerifier ?? createKeyVerifier(warehouse, 'ingest');
  // Person ids are replaced by keyed pseudonyms before anything is spooled, for organisations that turned it on.
  const pseudonyms = createPseudonymiserCache(warehouse);
  const rateLimiter = createRateLimiter({ eventsPerSec: limits.rateLimitEventsPerSec, burst: limits.rateLimitBurst });
  flusher.start();
  const stats = options.stats
    ? createIngestStats({
        warehouse,
        intervalMs: options.stats.intervalMs,
        log: app.log,
        ...(options.stats.collector ? { collector: options.stats.collector } : {}),
        spoolLevels: () => {
          const oldest = spool.oldestAt();
          return {
            // Acknowledged, not yet in ClickHouse: this process's and any an earlier run left behind.
            events: spool.rows(),
            bytes: spool.bytes(),
            ageSeconds: oldest === undefined ? 0 : Math.max(0, (Date.now() - oldest) / 1000),
          };
        },
        flushErrors: () => metrics.clickhouseErrors.get({ operation: 'insert' }),
      })
    : undefined;
  stats?.start();
  const batchPool = createBatchPool({
    workers: options.parseWorkers ?? 0,
    onWorkerError: (err) => app.log.error({ err }, 'a batch worker failed; its requests are finished on the main thread'),
  });

  app.decorateRequest('ingestKey', null);
  app.decorateRequest('batchScope', null);
  app.decorateRequest('errorCode', null);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('preParsing', async (request, _reply, payload) => decodeContentEncoding(request.raw, payload));
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requestDuration.observe(reply.elapsedTime / 1000, { route, status: String(reply.statusCode) });
    if (reply.statusCode >= 400) metrics.requestsRefused.inc({ status: String(reply.statusCode), error: request.errorCode ?? 'unknown' });
    // Only refusals after authentication have an organisation to show them to.
    if (reply.statusCode >= 400 && request.batchScope) stats?.refused(request.batchScope.org, request.errorCode ?? 'unknown');
  });

  app.removeAllContentTypeParsers();
  const bodyLimits = { maxBytes: limits.maxBodyBytes, timeoutMs: limits.bodyTimeoutMs };
  app.addContentTypeParser('application/json', async (request: FastifyRequest, payload: Readable) =>
    request.routeOptions.url === '/v1/events' && request.method === 'POST'
      ? new JsonEventsBody(await readJsonBytes(request.raw, payload, bodyLimits))
      : readJsonBody(request.raw, payload, bodyLimits),
  );
  app.addContentTypeParser(['application/x-ndjson', 'application/ndjson', 'application/jsonl'], async (request: FastifyRequest, payload: Readable) => {
    const scope = request.batchScope;
    if (!scope) throw new HttpError(415, 'unsupported_media_type', 'NDJSON is accepted by POST /v1/events only');
    const builder = new BatchBuilder(scope);
    await readNdjsonBody(
      request.raw,
      payload,
      { maxBytes: limits.maxNdjsonBytes, timeoutMs: limits.bodyTimeoutMs, maxItems: MAX_NDJSON_EVENTS },
      (item, index) => builder.add(item, index),
    );
    return new StreamedBatch(builder);
  });

  app.setNotFoundHandler((request) => {
    throw new HttpError(404, 'not_found', `no route ${request.method} ${request.url.slice(0, 200)}`);
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const known = toHttpError(error, limits);
    request.errorCode = known?.code ?? 'internal';
    if (!known || known.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ status: known.statusCode, error: known.code, message: known.message }, 'request refused');
    if (!known) return reply.status(500).send({ error: 'internal', message: 'Internal Server Error' });
    if (known.retryAfter !== undefined) reply.header('retry-after', String(known.retryAfter));
    // A body we stopped reading cannot leave the connection reusable.
    if (known.statusCode === 408 || known.statusCode === 413) reply.header('connection', 'close');
    return reply.status(known.statusCode).send({ error: known.code, message: known.message });
  });

  async function authenticate(request: FastifyRequest): Promise<void> {
    const token = bearerToken(request);
    if (!token) throw new HttpError(401, 'unauthorized', 'missing ingest key: send Authorization: Bearer <key>');
    let verified: VerifiedKey | undefined;
    try {
      verified = await keys.verify(token);
    } catch (err) {
      request.log.warn({ err: (err as Error).message }, 'cannot check the ingest key: ClickHouse unreachable and the key is not cached');
      throw new HttpError(503, 'unavailable', 'the ingest key cannot be checked right now; retry later', 5);
    }
    if (!verified) throw new HttpError(401, 'unauthorized', 'the ingest key is not valid or was revoked');
    request.ingestKey = verified;
    let secret: Buffer | undefined;
    try {
      secret = await pseudonyms.secretFor(verified.org);
    } catch (err) {
      request.log.warn({ err: (err as Error).message }, 'cannot read the pseudonymisation setting: ClickHouse unreachable');
      throw new HttpError(503, 'unavailable', 'the organisation\'s settings cannot be read right now; retry later', 5);
    }
    request.batchScope = secret ? { org: verified.org, pseudonymSecret: secret } : { org: verified.org };
  }

  async function admit(request: FastifyRequest): Promise<void> {
    if (readiness.spoolFull()) {
      throw new HttpError(503, 'spool_full', 'the collector is holding as much as it may while ClickHouse catches up; retry later', 10);
    }
    const wait = rateLimiter.check(request.ingestKey!.id);
    if (wait > 0) {
      throw new HttpError(429, 'rate_limited', `this ingest key is over ${limits.rateLimitEventsPerSec} events/s; retry in ${wait} s`, wait);
    }
  }

  app.get('/healthz', { schema: { response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } } }, async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const report = readiness.report();
    return reply.status(report.ready ? 200 : 503).send({ status: report.ready ? 'ready' : 'not_ready', ...report });
  });

  app.get('/metrics', async (_request, reply) =>
    reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(metrics.registry.render()),
  );

  app.post(
    '/v1/events',
    {
      onRequest: [authenticate, admit],
      schema: { response: { 202: acceptedBody, '4xx': errorBody, '5xx': errorBody } },
    },
    async (request, reply) => {
      const batch = await batchOf(request.body, request.batchScope!);
      const count = batch.accepted + batch.rejectedCount;
      rateLimiter.charge(request.ingestKey!.id, count);
      for (const [code, n] of batch.rejectedByCode) {
        metrics.eventsRejected.inc({ reason: code }, n);
        stats?.rejected(request.batchScope!.org, code, n);
      }
      if (batch.accepted === 0) {
        request.errorCode = 'no_valid_events';
        const message = count === 0 ? 'the batch holds no events' : 'no event in the batch is valid';
        return reply.status(400).send({ error: 'no_valid_events', message, accepted: 0, rejectedCount: batch.rejectedCount, rejected: batch.rejected });
      }
      let seq: number;
      try {
        seq = await spool.append(batch.payload, batch.accepted);
      } catch (err) {
        request.log.error({ err }, 'spool write failed');
        throw new HttpError(503, 'unavailable', 'the collector could not store the batch; retry later', 5);
      }
      if (ack === 'warehouse') await flusher.waitFlushed(seq);
      metrics.eventsAccepted.inc(undefined, batch.accepted);
      stats?.accepted(request.batchScope!.org, batch.accepted);
      return reply.status(202).send({ accepted: batch.accepted, rejectedCount: batch.rejectedCount, rejected: batch.rejected });
    },
  );

  app.post('/v1/directory', { onRequest: [authenticate] }, async (request, reply) => {
    const parsed = directorySchema.safeParse(request.body);
    if (!parsed.success) {
      request.errorCode = 'invalid_directory';
      const errors = parsed.error.issues.slice(0, MAX_LISTED_REJECTIONS).map((issue) => {
        const { field, reason } = describeIssue(issue);
        return { field, reason };
      });
      return reply.status(400).send({ error: 'invalid_directory', message: 'the directory does not match the contract', errors });
    }
    const org = request.ingestKey!.org;
    if (parsed.data.org !== org) {
      throw new HttpError(403, 'wrong_org', `the directory is for ${parsed.data.org} but the ingest key belongs to ${org}`);
    }
    const scope = request.batchScope!;
    const directory = scope.pseudonymSecret ? pseudonymiseDirectory(parsed.data, Buffer.from(scope.pseudonymSecret)) : parsed.data;
    return reply.status(200).send(await upsertDirectory(warehouse, directory));
  });

  app.addHook('onClose', async () => {
    // Runs after the server stopped accepting and in-flight requests finished.
    readiness.close();
    const { drained, remainingBytes } = await flusher.drain(flush.drainTimeoutMs);
    await spool.close();
    // After the drain, so the last write shows the backlog left behind; bounded, so shutdown never waits on it long.
    await stats?.close();
    if (drained) app.log.info('spool drained into ClickHouse');
    else app.log.warn({ remainingBytes, dir: spool.dir }, 'spool not fully drained; it replays on the next start');
    await batchPool.close();
    if (temporarySpoolDir) rmSync(temporarySpoolDir, { recursive: true, force: true });
  });

  /** The request's events as a built batch: a streamed NDJSON body arrives built, a JSON body is built in the pool. */
  function batchOf(body: unknown, scope: BatchScope): Promise<BuiltBatch> | BuiltBatch {
    if (body instanceof StreamedBatch) return body.builder.build();
    if (body instanceof JsonEventsBody) return batchPool.build(body.bytes, scope);
    return batchOfBody(body, scope).build();
  }

  return { app, spool, flusher, readiness, metrics, stats };
}

/** Maps what Fastify and Node throw onto the documented error codes; undefined for a real bug. */
function toHttpError(error: Error & { statusCode?: number; code?: string }, limits: CollectorLimits): HttpError | undefined {
  if (error instanceof HttpError) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError(413, 'body_too_large', `request body is larger than ${limits.maxBodyBytes} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? new HttpError(415, 'unsupported_media_type', 'send application/json ({"events":[...]}) or application/x-ndjson')
        : new HttpError(400, 'invalid_content_length', 'Content-Length does not match the body');
    case 'FST_ERR_CTP_EMPTY_TYPE':
      return new HttpError(415, 'unsupported_media_type', 'the Content-Type header is empty');
    default:
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return new HttpError(error.statusCode, 'invalid_request', error.message);
      return undefined;
  }
}
