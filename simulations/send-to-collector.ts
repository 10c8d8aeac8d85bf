// Uploads a simulated company to a running collector: the directory first, then the events as NDJSON
// batches, several in flight, retrying throttling, server errors and network failures with backoff —
// always with the same bytes, so the same event ids (the collector's idempotency key).
import type { SimulatedCompany } from './generate-company.ts';

export interface SendResult {
  sent: number;
  accepted: number;
  rejected: number;
  batches: number;
}

export interface SendOptions {
  /** Collector base URL, e.g. http://127.0.0.1:8787 */
  url: string;
  key: string;
  company: SimulatedCompany;
  batchSize?: number;
  concurrency?: number;
  log?: (line: string) => void;
  /** Attempts per request before giving up (default 8). */
  maxAttempts?: number;
  /** First backoff delay in ms, doubled per attempt up to 10 s (default 200). */
  backoffMs?: number;
}

/** A request the collector refused for good (a 4xx other than 429), or retries ran out. */
export class CollectorError extends Error {
  override name = 'CollectorError';
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

interface CollectorAnswer {
  accepted: number;
  rejected: { index: number; field: string; reason: string }[];
}

function parseAnswer(body: unknown, count: number): CollectorAnswer {
  const obj = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const accepted = typeof obj.accepted === 'number' ? obj.accepted : count;
  const rejected = Array.isArray(obj.rejected)
    ? obj.rejected.map((r) => {
        const x = typeof r === 'object' && r !== null ? (r as Record<string, unknown>) : {};
        return { index: Number(x.index ?? -1), field: String(x.field ?? '?'), reason: String(x.reason ?? '?') };
      })
    : [];
  return { accepted, rejected };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isRetryable(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

async function postWithRetry(
  url: string,
  key: string,
  contentType: string,
  body: Buffer | string,
  opts: { maxAttempts: number; backoffMs: number; log?: (line: string) => void; what: string },
): Promise<unknown> {
  let lastProblem = '';
  for (let attempt = 1; attempt <= opts.maxAttempts; attempt++) {
    let retryAfterMs: number | undefined;
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${key}` }, body });
      const text = await response.text();
      if (response.ok) return text === '' ? {} : JSON.parse(text);
      lastProblem = `HTTP ${response.status}: ${text.slice(0, 300)}`;
      if (!isRetryable(response.status)) throw new CollectorError(`${opts.what} was refused: ${lastProblem}`, response.status);
      const retryAfter = Number(response.headers.get('retry-after'));
      if (Number.isFinite(retryAfter) && retryAfter > 0) retryAfterMs = Math.min(30_000, retryAfter * 1000);
    } catch (error) {
      if (error instanceof CollectorError) throw error;
      lastProblem = error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
    }
    if (attempt === opts.maxAttempts) break;
    const backoff = Math.min(10_000, opts.backoffMs * 2 ** (attempt - 1));
    const delay = retryAfterMs ?? backoff / 2 + Math.random() * (backoff / 2);
    opts.log?.(`${opts.what}: attempt ${attempt} failed (${lastProblem}); retrying in ${Math.round(delay)} ms`);
    await sleep(delay);
  }
  throw new CollectorError(`${opts.what} failed after ${opts.maxAttempts} attempts: ${lastProblem}`, undefined);
}

export async function sendToCollector(opts: SendOptions): Promise<SendResult> {
  const base = opts.url.replace(/\/+$/, '');
  const batchSize = opts.batchSize ?? 5000;
  const concurrency = opts.concurrency ?? 4;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  const retry = { maxAttempts: opts.maxAttempts ?? 8, backoffMs: opts.backoffMs ?? 200, ...(opts.log ? { log: opts.log } : {}) };
  const log = opts.log ?? (() => {});

  await postWithRetry(`${base}/v1/directory`, opts.key, 'application/json', JSON.stringify(opts.company.directory), { ...retry, what: 'directory upload' });
  log(`directory uploaded: ${opts.company.directory.people?.length ?? 0} people records, ${opts.company.directory.departments?.length ?? 0} departments`);

  const result: SendResult = { sent: 0, accepted: 0, rejected: 0, batches: 0 };
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let nextLog = 100_000;
  const started = performance.now();
  for (const batch of opts.company.ndjsonBatches(batchSize)) {
    if (failure) break;
    const number = ++result.batches;
    const task = postWithRetry(`${base}/v1/events`, opts.key, 'application/x-ndjson', batch.body, { ...retry, what: `batch ${number}` })
      .then((answer) => {
        const { accepted, rejected } = parseAnswer(answer, batch.count);
        result.sent += batch.count;
        result.accepted += accepted;
        result.rejected += rejected.length;
        for (const r of rejected.slice(0, 3)) log(`batch ${number}: event ${r.index} rejected: ${r.field} ${r.reason}`);
        if (result.sent >= nextLog) {
          const seconds = (performance.now() - started) / 1000;
          log(`${result.sent.toLocaleString('en')} events sent (${Math.round(result.sent / seconds).toLocaleString('en')}/s)`);
          nextLog += 100_000;
        }
      })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure) throw failure;
  log(`done: ${result.sent} sent, ${result.accepted} accepted, ${result.rejected} rejected in ${result.batches} batches`);
  return result;
}
