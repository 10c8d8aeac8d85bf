// Builds the collector's Fastify app (never listens: main.ts does). The ingest API is documented in
// docs/api.md; every 4xx names what was wrong.
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { directorySchema } from '../contracts/directory.ts';
import type { Warehouse } from '../warehouse/client.ts';
import { upsertDirectory } from '../warehouse/directory.ts';
import { toEventRow } from '../warehouse/events.ts';
import { createKeyVerifier, type KeyVerifier } from './key-verifier.ts';
import { createInsertBatcher, type InsertBatcher } from './insert-batcher.ts';
import { describeIssue, UnparseableLine, validateEvents } from './validate-events.ts';

export const MAX_EVENTS_PER_BATCH = 10_000;
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** Rejections listed in one response; the total is always in `rejectedCount`. */
export const MAX_LISTED_REJECTIONS = 1000;

export interface CollectorOptions {
  warehouse: Warehouse;
  flushMaxRows?: number;
  flushLingerMs?: number;
  logLevel?: string;
  keyVerifier?: KeyVerifier;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** NDJSON bodies arrive as a list whose unparseable lines are kept as markers at their index. */
class NdjsonBody {
  constructor(readonly items: unknown[]) {}
}

function parseNdjson(text: string): NdjsonBody {
  const items: unknown[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      items.push(JSON.parse(line, (key, value: unknown) => (key === '__proto__' || key === 'constructor' ? undefined : value)));
    } catch (err) {
      items.push(new UnparseableLine(`invalid JSON: ${(err as Error).message}`));
    }
  }
  return new NdjsonBody(items);
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

export function buildApp(options: CollectorOptions): { app: FastifyInstance; batcher: InsertBatcher } {
  const { warehouse } = options;
  const app = Fastify({
    bodyLimit: MAX_BODY_BYTES,
    logger: { level: options.logLevel ?? 'info' },
    requestIdHeader: 'x-request-id',
    // The default JSON parser already refuses __proto__ / constructor.prototype keys (400).
  });
  const keys = options.keyVerifier ?? createKeyVerifier(warehouse, 'ingest');
  const batcher = createInsertBatcher(warehouse, {
    table: 'events',
    maxRows: options.flushMaxRows ?? 50_000,
    lingerMs: options.flushLingerMs ?? 200,
  });

  app.addContentTypeParser(['application/x-ndjson', 'application/ndjson'], { parseAs: 'string' }, (_req, body, done) => {
    done(null, parseNdjson(body as string));
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof HttpError) {
      return reply.status(error.statusCode).send({ error: error.code, message: error.message });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.status(503).header('retry-after', '5').send({ error: 'unavailable', message: 'the event store is unavailable; retry later' });
    }
    const code =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'body_too_large'
        : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'unsupported_media_type'
          : 'invalid_body';
    const message = code === 'body_too_large' ? `request body is larger than ${MAX_BODY_BYTES} bytes` : error.message;
    return reply.status(status).send({ error: code, message });
  });

  async function authenticate(request: FastifyRequest): Promise<string> {
    const token = bearerToken(request);
    if (!token) throw new HttpError(401, 'unauthorized', 'missing ingest key: send Authorization: Bearer <key>');
    const verified = await keys.verify(token);
    if (!verified) throw new HttpError(401, 'unauthorized', 'the ingest key is not valid or was revoked');
    return verified.org;
  }

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.post('/v1/events', async (request, reply) => {
    const org = await authenticate(request);
    const body = request.body;
    let items: unknown[];
    if (body instanceof NdjsonBody) items = body.items;
    else if (typeof body === 'object' && body !== null && Array.isArray((body as { events?: unknown }).events)) {
      items = (body as { events: unknown[] }).events;
    } else {
      throw new HttpError(400, 'invalid_batch', 'body must be {"events":[...]} or NDJSON (one event per line)');
    }
    if (items.length > MAX_EVENTS_PER_BATCH) {
      throw new HttpError(413, 'batch_too_large', `a batch holds at most ${MAX_EVENTS_PER_BATCH} events, got ${items.length}`);
    }
    const { events, rejected } = validateEvents(items, org);
    const listed = rejected.slice(0, MAX_LISTED_REJECTIONS);
    if (events.length === 0 && rejected.length > 0) {
      return reply.status(400).send({ error: 'no_valid_events', accepted: 0, rejectedCount: rejected.length, rejected: listed });
    }
    const receivedAt = Date.now();
    let lines = '';
    for (const event of events) lines += JSON.stringify(toEventRow(event, receivedAt)) + '\n';
    await batcher.add(lines, events.length);
    return reply.status(202).send({ accepted: events.length, rejectedCount: rejected.length, rejected: listed });
  });

  app.post('/v1/directory', async (request, reply) => {
    const org = await authenticate(request);
    const parsed = directorySchema.safeParse(request.body);
    if (!parsed.success) {
      const errors = parsed.error.issues.slice(0, MAX_LISTED_REJECTIONS).map((issue) => describeIssue(issue));
      return reply.status(400).send({ error: 'invalid_directory', message: 'the directory does not match the contract', errors });
    }
    if (parsed.data.org !== org) {
      throw new HttpError(403, 'wrong_org', `the directory is for ${parsed.data.org} but the ingest key belongs to ${org}`);
    }
    const counts = await upsertDirectory(warehouse, parsed.data);
    return reply.status(200).send(counts);
  });

  app.addHook('onClose', async () => {
    await batcher.close();
  });

  return { app, batcher };
}
