// A body built in a worker thread must come back exactly as the main thread would build it —
// accepted rows, rejections, and the same HttpError for a body that is refused whole.
import { afterAll, describe, expect, it } from 'vitest';
import { createBatchPool } from '../../../collector/batch-pool.ts';
import { buildJsonBatch } from '../../../collector/json-batch.ts';
import { HttpError } from '../../../collector/http-error.ts';
import { realisticEvent } from '../../../bench/ingest-batches.ts';

const errors: Error[] = [];
const pool = createBatchPool({ workers: 1, onWorkerError: (err) => errors.push(err) });
afterAll(() => pool.close());

const stripReceivedAt = (payload: Buffer) => payload.toString('utf8').replace(/"received_at":"[^"]*"/g, '');

function bigBody(): Buffer {
  const events = Array.from({ length: 2000 }, (_, i) => {
    const e: Record<string, unknown> = { ...realisticEvent('acme', i, Date.parse('2024-05-01T00:00:00Z')), id: `4b1f6d0e-8c2a-4f3b-9d4e-${String(i).padStart(12, '0')}` };
    if (i % 97 === 0) e.content = 'hello';
    if (i % 101 === 0) e.org = 'other';
    if (i % 103 === 0) e.time = '2024-02-30T10:00:00Z';
    return e;
  });
  return Buffer.from(JSON.stringify({ events }));
}

async function outcome(fn: () => unknown): Promise<unknown> {
  try {
    const batch = (await fn()) as ReturnType<typeof buildJsonBatch>;
    return { ...batch, payload: stripReceivedAt(batch.payload) };
  } catch (err) {
    return err instanceof HttpError ? { status: err.statusCode, code: err.code, message: err.message } : err;
  }
}

describe('createBatchPool', () => {
  it('builds in a worker exactly what the main thread builds, refusals included', async () => {
    const padding = ' '.repeat(40_000); // over the inline threshold, so these go to the worker
    const bodies = [
      bigBody(),
      Buffer.from(`{"events": [1, 2${padding}`),
      Buffer.from(`${padding}[]`),
      Buffer.from(`{"events": [], "extra": 1}${padding}`),
      Buffer.concat([Buffer.from('{"events": ["'), Buffer.from([0xff, 0xfe]), Buffer.from(`"]}${padding}`)]),
      Buffer.from(padding),
    ];
    for (const body of bodies) {
      const inWorker = await outcome(() => pool.build(body, { org: 'acme' }));
      const inline = await outcome(() => buildJsonBatch(body, { org: 'acme' }));
      expect(inWorker).toEqual(inline);
      // A pseudonymised organisation's secret travels to the worker, which must replace actors alike.
      const secret = { org: 'acme', pseudonymSecret: Buffer.alloc(32, 7) };
      expect(await outcome(() => pool.build(body, secret))).toEqual(await outcome(() => buildJsonBatch(body, secret)));
    }
    const built = (await pool.build(bodies[0]!, { org: 'acme' })) as { payload: Buffer; accepted: number; rejectedCount: number };
    expect(Buffer.isBuffer(built.payload)).toBe(true);
    expect(built.accepted).toBeGreaterThan(1900);
    expect(built.rejectedCount).toBeGreaterThan(40);
    expect(errors.map((e) => e.stack)).toEqual([]);
  }, 30_000);
});
