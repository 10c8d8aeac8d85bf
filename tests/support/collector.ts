// A collector app on a test warehouse, with an org and an ingest key ready.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../collector/app.ts';
import { createApiKey } from '../../warehouse/api-keys.ts';
import { upsertOrg } from '../../warehouse/orgs.ts';
import { createTestWarehouse, type TestWarehouse } from './test-warehouse.ts';

export interface TestCollector extends TestWarehouse {
  app: FastifyInstance;
  key: string;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function createTestCollector(org = 'acme', timezone = 'Asia/Hong_Kong'): Promise<TestCollector> {
  const t = await createTestWarehouse();
  await upsertOrg(t.warehouse, { id: org, name: `${org} Ltd`, timezone });
  const { key } = await createApiKey(t.warehouse, org, 'ingest');
  const { app } = buildApp({ warehouse: t.warehouse, logLevel: 'silent', flushLingerMs: 20 });
  return {
    ...t,
    app,
    key,
    post(path, body, headers = {}) {
      const payload = typeof body === 'string' ? body : JSON.stringify(body);
      return app.inject({
        method: 'POST',
        url: path,
        payload,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      });
    },
    async close() {
      await app.close();
      await t.drop();
    },
  };
}
