// An in-process collector on its own test database, with options the shared test helper does not
// expose (limits, log capture, spool directory). Requests go through app.inject().
import { randomBytes } from 'node:crypto';
import { buildApp, type Collector, type CollectorOptions } from '../../../collector/app.ts';
import { createApiKey } from '../../../warehouse/api-keys.ts';
import { upsertOrg } from '../../../warehouse/orgs.ts';
import { sql } from '../../../warehouse/sql.ts';
import { z } from 'zod';
import { createTestWarehouse, type TestWarehouse } from '../../support/test-warehouse.ts';

export interface Harness extends TestWarehouse, Collector {
  key: string;
  org: string;
  send(body: string | Buffer, headers?: Record<string, string>, url?: string): ReturnType<Collector['app']['inject']>;
  storedIds(ids: string[]): Promise<number>;
  close(): Promise<void>;
}

export async function createHarness(options: Partial<CollectorOptions> = {}, org = 'acme'): Promise<Harness> {
  const t = await createTestWarehouse();
  await upsertOrg(t.warehouse, { id: org, name: `${org} Ltd`, timezone: 'Asia/Hong_Kong' });
  const { key } = await createApiKey(t.warehouse, org, 'ingest');
  const collector = buildApp({ warehouse: t.warehouse, logLevel: 'silent', flushLingerMs: 20, ...options });
  const countRow = z.object({ n: z.coerce.number() });
  return {
    ...t,
    ...collector,
    key,
    org,
    send(body, headers = {}, url = '/v1/events') {
      return collector.app.inject({
        method: 'POST',
        url,
        payload: body,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      }) as ReturnType<Collector['app']['inject']>;
    },
    async storedIds(ids) {
      const rows = await t.warehouse.query(
        sql`SELECT uniqExact(id) AS n FROM events WHERE org = ${org} AND has(${ids}, toString(id))`,
        countRow,
        { org },
      );
      return rows[0]?.n ?? 0;
    },
    async close() {
      await collector.app.close();
      await t.drop();
    },
  };
}

export const randomHex = (bytes: number) => randomBytes(bytes).toString('hex');
