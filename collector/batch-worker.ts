// A worker thread that turns JSON bodies into built batches (parse + validate + serialise), so the
// main thread stays free for HTTP, the spool's group commit and the flusher's inserts.
import { parentPort } from 'node:worker_threads';
import { HttpError } from './http-error.ts';
import { buildJsonBatch } from './json-batch.ts';
import type { BatchRequest, BatchResponse } from './batch-pool.ts';

parentPort!.on('message', ({ id, bytes, scope }: BatchRequest) => {
  let response: BatchResponse;
  try {
    response = { id, batch: buildJsonBatch(bytes, scope) };
  } catch (err) {
    response =
      err instanceof HttpError
        ? { id, refusal: { statusCode: err.statusCode, code: err.code, message: err.message, retryAfter: err.retryAfter } }
        : { id, failure: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  // Copied, not transferred: a small payload may share Node's Buffer pool with other buffers.
  parentPort!.postMessage(response);
});
