// A {"events":[…]} body from bytes to a built batch: decode, parse, check the envelope, validate and
// serialise each event. Pure and synchronous, so it runs the same on the main thread or in a worker.
import { BatchBuilder, type BatchScope, type BuiltBatch } from './batch-builder.ts';
import { HttpError } from './http-error.ts';
import { parseJsonBytes } from './request-body.ts';

export const MAX_EVENTS_PER_BATCH = 10_000;

/** The body's events fed through a builder; the envelope itself must be exactly {"events":[…]}. */
export function batchOfBody(body: unknown, scope: BatchScope): BatchBuilder {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_batch', 'body must be {"events":[...]} or NDJSON (one event per line)');
  }
  const extra = Object.keys(body).filter((k) => k !== 'events');
  if (extra.length > 0) {
    throw new HttpError(400, 'invalid_batch', `unknown field ${JSON.stringify(extra[0]!.slice(0, 64))} in the batch; only "events" is allowed`);
  }
  const events = (body as { events?: unknown }).events;
  if (!Array.isArray(events)) throw new HttpError(400, 'invalid_batch', 'body must be {"events":[...]} or NDJSON (one event per line)');
  if (events.length > MAX_EVENTS_PER_BATCH) {
    throw new HttpError(413, 'batch_too_large', `a batch holds at most ${MAX_EVENTS_PER_BATCH} events, got ${events.length}`);
  }
  const builder = new BatchBuilder(scope);
  events.forEach((item, index) => builder.add(item, index));
  return builder;
}

/** Bytes of a JSON body → the built batch, or the HttpError a client gets for it. */
export function buildJsonBatch(bytes: Uint8Array, scope: BatchScope): BuiltBatch {
  return batchOfBody(parseJsonBytes(bytes), scope).build();
}
