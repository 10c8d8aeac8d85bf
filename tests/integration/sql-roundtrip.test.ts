// Hostile strings go to a real ClickHouse and must come back byte for byte: proof the literal
// formatter cannot be escaped on the server we run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '../../warehouse/sql.ts';
import { createTestWarehouse, type TestWarehouse } from '../support/test-warehouse.ts';

const HOSTILE = [
  "'; DROP TABLE events; --",
  "\\'",
  "\\\\'",
  'x\\',
  "' OR '1'='1",
  'nul\0inside',
  'line\nbreak\r\ttab',
  '\x01\x02\x1f\x7f',
  '😀 𝒳 non-BMP',
  '中文 日本語 한국어',
  '{"json": "\\u0000"}',
  '`backtick` "double"',
  '$1 ${name} {x:String}',
];

let t: TestWarehouse;
beforeAll(async () => {
  t = await createTestWarehouse();
});
afterAll(async () => {
  await t.drop();
});

describe('literal formatter against ClickHouse', () => {
  it.each(HOSTILE)('round-trips %j unchanged', async (value) => {
    const rows = await t.warehouse.query(sql`SELECT ${value} AS v, length(${value}) AS n`, z.object({ v: z.string(), n: z.coerce.number() }), 'system');
    expect(rows[0]?.v).toBe(value);
    expect(rows[0]?.n).toBe(Buffer.byteLength(value, 'utf8'));
  });

  it('round-trips an array of hostile strings', async () => {
    const rows = await t.warehouse.query(sql`SELECT ${HOSTILE} AS v`, z.object({ v: z.array(z.string()) }), 'system');
    expect(rows[0]?.v).toEqual(HOSTILE);
  });

  it('refuses an org-scoped query that does not filter on the org', async () => {
    await expect(t.warehouse.query(sql`SELECT count() AS n FROM events`, z.object({ n: z.coerce.number() }), { org: 'acme' })).rejects.toThrow(
      /not scoped to organisation acme/,
    );
  });
});
