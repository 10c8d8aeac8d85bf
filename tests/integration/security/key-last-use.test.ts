// Keys are listed with their last use: set when a key authorises a request, absent for a key never used.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, listApiKeys, verifyApiKey } from '../../../warehouse/api-keys.ts';
import { createTestCollector, type TestCollector } from '../../support/collector.ts';
import { makeEvent } from '../../support/events.ts';

let c: TestCollector;
beforeAll(async () => {
  c = await createTestCollector('acme', 'UTC');
});
afterAll(async () => {
  await c.close();
});

describe('key last use', () => {
  it('records the ingest key used by the collector and leaves an unused read token at never', async () => {
    const read = await createApiKey(c.warehouse, 'acme', 'read');
    const before = Date.now() - 1000;
    expect((await c.post('/v1/events', { events: [makeEvent()] })).statusCode).toBe(202);
    await new Promise((r) => setTimeout(r, 300)); // the usage write is fire-and-forget
    const keys = await listApiKeys(c.warehouse, 'acme');
    const ingest = keys.find((k) => k.scope === 'ingest')!;
    expect(ingest.lastUsedAt).not.toBeNull();
    expect(Date.parse(`${ingest.lastUsedAt!.replace(' ', 'T')}Z`)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(keys.find((k) => k.id === read.id)?.lastUsedAt).toBeNull();
  });

  it('records a read token once it authorises a request', async () => {
    const read = await createApiKey(c.warehouse, 'acme', 'read');
    expect(await verifyApiKey(c.warehouse, read.key, 'read')).toMatchObject({ org: 'acme', id: read.id });
    await new Promise((r) => setTimeout(r, 300));
    expect((await listApiKeys(c.warehouse, 'acme')).find((k) => k.id === read.id)?.lastUsedAt).not.toBeNull();
  });

  it('keeps another organisation\'s key use out of the list', async () => {
    const other = await createApiKey(c.warehouse, 'globex', 'read');
    await verifyApiKey(c.warehouse, other.key, 'read');
    await new Promise((r) => setTimeout(r, 300));
    expect((await listApiKeys(c.warehouse, 'acme')).some((k) => k.id === other.id)).toBe(false);
  });
});
