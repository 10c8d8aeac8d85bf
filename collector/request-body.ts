// Reading request bodies at the edge: Content-Encoding (gzip), a byte limit on the decoded body (so
// a gzip bomb stops at the limit), a deadline for the whole body (slow-loris), strict UTF-8, and a
// streaming NDJSON reader that hands over one line at a time instead of holding the body.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { HttpError } from './http-error.ts';
import { UnparseableLine } from './validate-events.ts';

export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

/** Content-Encoding → a stream of the decoded body (used as Fastify's preParsing step). */
export function decodeContentEncoding(request: IncomingMessage, payload: Readable): Readable {
  const encoding = String(request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return payload;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new HttpError(415, 'unsupported_encoding', `Content-Encoding ${encoding.slice(0, 40)} is not supported; send gzip or an unencoded body`);
  }
  const gunzip = createGunzip();
  payload.on('error', (err) => gunzip.destroy(err));
  payload.pipe(gunzip);
  return gunzip;
}

/** Refuses a declared charset other than UTF-8 (the only encoding of JSON on the wire, RFC 8259). */
export function assertUtf8Charset(contentType: string | undefined): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new HttpError(415, 'unsupported_charset', `charset ${charset.slice(0, 40)} is not supported; bodies are UTF-8`);
  }
}

function assertDeclaredLength(request: IncomingMessage, limit: number): void {
  const declared = Number(request.headers['content-length']);
  // A gzip body is checked after decoding; its declared (encoded) size must still be under the limit.
  if (Number.isFinite(declared) && declared > limit) throw new HttpError(413, 'body_too_large', `request body is larger than ${limit} bytes`);
}

/**
 * Feeds the decoded body to `onChunk` while enforcing the limit and deadline. On a refusal the
 * request is left unread (not destroyed) so that the error response can still be sent; the error
 * handler marks such responses `Connection: close`.
 */
export function readBody(request: IncomingMessage, payload: Readable, limits: BodyLimits, onChunk: (chunk: Buffer) => void): Promise<void> {
  assertDeclaredLength(request, limits.maxBytes);
  return new Promise<void>((resolve, reject) => {
    let received = 0;
    const fail = (err: unknown) => {
      cleanup();
      payload.pause();
      // A decoder in between (gunzip) is ours to discard; the socket stays for the response.
      if (payload !== (request as Readable)) payload.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(new HttpError(408, 'body_timeout', `the request body did not arrive within ${limits.timeoutMs} ms`)), limits.timeoutMs);
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.maxBytes) {
        fail(new HttpError(413, 'body_too_large', `request body is larger than ${limits.maxBytes} bytes (after decoding)`));
        return;
      }
      try {
        onChunk(chunk);
      } catch (err) {
        fail(err);
      }
    };
    const onEnd = () => {
      cleanup();
      resolve();
    };
    const onError = (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      fail(
        err instanceof HttpError
          ? err
          : code.startsWith('Z_')
            ? new HttpError(400, 'invalid_gzip', `the gzip body could not be decoded: ${err.message}`)
            : new HttpError(400, 'incomplete_body', `the request body ended early: ${err.message}`),
      );
    };
    const onAborted = () => fail(new HttpError(400, 'incomplete_body', 'the client closed the connection before the body ended'));
    function cleanup() {
      clearTimeout(timer);
      payload.off('data', onData);
      payload.off('end', onEnd);
      payload.off('error', onError);
      request.off('aborted', onAborted);
    }
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
    request.on('aborted', onAborted);
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A whole JSON body, parsed. JSON.parse keeps `__proto__` as a plain own key; the strict schemas reject it. */
export async function readJsonBody(request: IncomingMessage, payload: Readable, limits: BodyLimits): Promise<unknown> {
  return parseJsonBytes(await readJsonBytes(request, payload, limits));
}

/** A whole JSON body's bytes, within the limits, not yet decoded (so that a worker can parse it). */
export async function readJsonBytes(request: IncomingMessage, payload: Readable, limits: BodyLimits): Promise<Buffer> {
  assertUtf8Charset(request.headers['content-type']);
  const chunks: Buffer[] = [];
  await readBody(request, payload, limits, (chunk) => chunks.push(chunk));
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** Strict UTF-8, then JSON; each failure is the documented 400. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new HttpError(400, 'invalid_encoding', 'the body is not valid UTF-8');
  if (text.trim() === '') throw new HttpError(400, 'invalid_json', 'the body is empty');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, 'invalid_json', `the body is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
  }
}

/**
 * Streams an NDJSON body line by line: `onItem` receives each non-blank line parsed (or an
 * UnparseableLine marker) with its index among non-blank lines. Stops with 413 past `maxItems`.
 */
export async function readNdjsonBody(
  request: IncomingMessage,
  payload: Readable,
  limits: BodyLimits & { maxItems: number },
  onItem: (item: unknown, index: number) => void,
): Promise<number> {
  assertUtf8Charset(request.headers['content-type']);
  let carry: Buffer | undefined;
  let index = 0;
  const line = (bytes: Buffer) => {
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0d) end -= 1;
    const text = decodeUtf8(bytes.subarray(0, end));
    if (text !== undefined && text.trim() === '') return;
    if (index >= limits.maxItems) {
      throw new HttpError(413, 'batch_too_large', `an NDJSON batch holds at most ${limits.maxItems} events`);
    }
    let item: unknown;
    if (text === undefined) item = new UnparseableLine('not valid UTF-8');
    else {
      try {
        item = JSON.parse(text);
      } catch (err) {
        item = new UnparseableLine(`invalid JSON: ${(err as Error).message.slice(0, 200)}`);
      }
    }
    onItem(item, index++);
  };
  await readBody(request, payload, limits, (chunk) => {
    let start = 0;
    let nl = chunk.indexOf(0x0a);
    if (nl !== -1 && carry) {
      line(Buffer.concat([carry, chunk.subarray(0, nl)]));
      carry = undefined;
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    while (nl !== -1) {
      line(chunk.subarray(start, nl));
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) carry = carry ? Buffer.concat([carry, chunk.subarray(start)]) : Buffer.from(chunk.subarray(start));
  });
  if (carry) line(carry);
  return index;
}
