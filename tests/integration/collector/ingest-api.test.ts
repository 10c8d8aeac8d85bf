// The ingest API end to end on a real ClickHouse: what is accepted lands, what is wrong is named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_BODY_BYTES } from '../../../collector/app.ts';
import { sql } from '../../../warehouse/sql.ts';
import { createTestCollector, type TestCollector } from '../../support/collector.ts';
import { makeEvent } from '../../support/events.ts';

let c: TestCollector;
beforeAll(async () => {
  c = await createTestCollector();
});
afterAll(async () => {
  await c.close();
});

const countRow = z.object({ n: z.coerce.number() });
async function storedIds(ids: string[]): Promise<number> {
  const rows = await c.warehouse.query(
    sql`SELECT uniqExact(id) AS n FROM events WHERE org = ${'acme'} AND has(${ids}, toString(id))`,
    countRow,
    { org: 'acme' },
  );
  return rows[0]?.n ?? 0;
}

describe('POST /v1/events', () => {
  it('accepts a JSON batch and the events land in ClickHouse with UTC times', async () => {
    const events = [makeEvent({ time: '2024-05-01T09:30:00.250+08:00' }), makeEvent({ type: 'message.read' })];
    const res = await c.post('/v1/events', { events });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accepted: 2, rejectedCount: 0, rejected: [] });
    expect(await storedIds(events.map((e) => e.id))).toBe(2);
    const rows = await c.warehouse.query(
      sql`SELECT toString(time) AS t, time_ms AS ms FROM events WHERE org = ${'acme'} AND toString(id) = ${events[0]!.id}`,
      z.object({ t: z.string(), ms: z.coerce.number() }),
      { org: 'acme' },
    );
    expect(rows[0]).toEqual({ t: '2024-05-01 01:30:00', ms: 250 });
  });

  it('accepts NDJSON and rejects only the unparseable line', async () => {
    const good = [makeEvent(), makeEvent()];
    const body = `${JSON.stringify(good[0])}\n{"id": "broken\n${JSON.stringify(good[1])}\n`;
    const res = await c.post('/v1/events', body, { 'content-type': 'application/x-ndjson' });
    expect(res.statusCode).toBe(202);
    const json = res.json();
    expect(json.accepted).toBe(2);
    expect(json.rejected).toEqual([expect.objectContaining({ index: 1, field: '(line)' })]);
    expect(await storedIds(good.map((e) => e.id))).toBe(2);
  });

  it('answers malformed JSON with 400', async () => {
    const res = await c.post('/v1/events', '{"events": [');
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_json');
  });

  it('rejects prototype-pollution keys with 400', async () => {
    const res = await c.post('/v1/events', '{"events": [], "__proto__": {"admin": true}}');
    expect(res.statusCode).toBe(400);
  });

  it('names index and field for each invalid event and keeps the valid ones', async () => {
    const valid = makeEvent();
    const events = [
      makeEvent({ actor: 42 }),
      valid,
      makeEvent({ type: 'message.deleted' }),
      makeEvent({ time: '2024-05-01 09:30:00' }),
      (() => {
        const e = makeEvent() as Record<string, unknown>;
        delete e.actor;
        return e;
      })(),
      makeEvent({ content: 'hello' }),
      makeEvent({ type: 'approval.requested', attrs: { kind: 'procurement', text: 'x' } }),
      makeEvent({ org: 'other' }),
      makeEvent({ time: '1999-12-31T23:59:59Z' }),
    ];
    const res = await c.post('/v1/events', { events });
    expect(res.statusCode).toBe(202);
    const json = res.json();
    expect(json.accepted).toBe(1);
    expect(json.rejected.map((r: { index: number; field: string }) => [r.index, r.field])).toEqual([
      [0, 'actor'],
      [2, 'type'],
      [3, 'time'],
      [4, 'actor'],
      [5, 'content'],
      [6, 'attrs.text'],
      [7, 'org'],
      [8, 'time'],
    ]);
    expect(json.rejected[0].id).toBe(events[0]!.id);
    expect(await storedIds([valid.id])).toBe(1);
  });

  it('answers a batch with no valid event with 400 and the rejections', async () => {
    const res = await c.post('/v1/events', { events: [makeEvent({ channel: 'fax' })] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'no_valid_events', rejected: [{ index: 0, field: 'channel' }] });
  });

  it('answers a body that is not a batch with 400', async () => {
    const res = await c.post('/v1/events', { event: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_batch');
  });

  it('answers a body over the limit with 413', async () => {
    const res = await c.post('/v1/events', JSON.stringify({ events: [], pad: 'x'.repeat(MAX_BODY_BYTES) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toBe('body_too_large');
  });

  it('answers more than 10,000 events with 413', async () => {
    const res = await c.post('/v1/events', { events: Array.from({ length: 10_001 }, () => ({})) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toBe('batch_too_large');
  });

  it('answers a missing or wrong key with 401', async () => {
    const none = await c.app.inject({ method: 'POST', url: '/v1/events', payload: { events: [makeEvent()] } });
    expect(none.statusCode).toBe(401);
    const wrong = await c.post('/v1/events', { events: [makeEvent()] }, { authorization: 'Bearer wp_ingest_000000000000_' + 'a'.repeat(43) });
    expect(wrong.statusCode).toBe(401);
  });
});

describe('POST /v1/directory', () => {
  it('stores departments and people', async () => {
    const res = await c.post('/v1/directory', {
      org: 'acme',
      departments: [{ id: 'fin', name: 'Finance' }],
      people: [{ id: 'p1', department: 'fin', hiredAt: '2024-01-01' }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ departments: 1, people: 1 });
  });

  it('names the invalid field', async () => {
    const res = await c.post('/v1/directory', { org: 'acme', people: [{ id: 'p1', department: 'fin', hiredAt: '2024-02-30' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toEqual({ field: 'people.0.hiredAt', reason: 'is not a calendar date' });
  });

  it('refuses a directory for another organisation', async () => {
    const res = await c.post('/v1/directory', { org: 'other', departments: [], people: [] });
    expect(res.statusCode).toBe(403);
  });
});

describe('GET /healthz', () => {
  it('answers ok', async () => {
    const res = await c.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.json()).toEqual({ status: 'ok' });
  });
});
