// A corpus of malformed and hostile requests. Each gets its documented status and error code (or,
// for a bad event inside a batch, its documented rejection while the valid event beside it is
// kept); afterwards the collector still serves, and only the valid events reached ClickHouse.
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApiKey, revokeApiKey } from '../../../warehouse/api-keys.ts';
import { sql } from '../../../warehouse/sql.ts';
import { makeEvent } from '../../support/events.ts';
import { createHarness, type Harness } from './harness.ts';

interface WholeRequestCase {
  name: string;
  body: string | Buffer | (() => string | Buffer);
  headers?: Record<string, string>;
  status: number;
  error: string;
}

interface EventCase {
  name: string;
  /** The hostile event, sent beside a valid one (or its raw JSON text, for what JSON.stringify cannot build). */
  event?: unknown;
  raw?: string;
  field: string;
  code: string;
}

const json = (value: unknown) => JSON.stringify(value);
const batch = (...events: unknown[]) => json({ events });
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

const WHOLE_REQUEST_CASES: WholeRequestCase[] = [
  { name: 'truncated JSON', body: '{"events": [{"id": "', status: 400, error: 'invalid_json' },
  { name: 'empty body', body: '', status: 400, error: 'invalid_json' },
  { name: 'whitespace-only body', body: ' \n\t ', status: 400, error: 'invalid_json' },
  { name: 'JSON null', body: 'null', status: 400, error: 'invalid_batch' },
  { name: 'top-level array', body: batch().replace(/^\{"events":/, '').replace(/\}$/, ''), status: 400, error: 'invalid_batch' },
  { name: 'top-level string', body: '"events"', status: 400, error: 'invalid_batch' },
  { name: 'events is an object', body: '{"events": {"0": {}}}', status: 400, error: 'invalid_batch' },
  { name: 'events is null', body: '{"events": null}', status: 400, error: 'invalid_batch' },
  { name: 'empty object', body: '{}', status: 400, error: 'invalid_batch' },
  { name: 'empty events list', body: '{"events": []}', status: 400, error: 'no_valid_events' },
  { name: '__proto__ beside events', body: '{"events": [], "__proto__": {"isAdmin": true}}', status: 400, error: 'invalid_batch' },
  { name: 'constructor.prototype beside events', body: '{"events": [], "constructor": {"prototype": {"isAdmin": true}}}', status: 400, error: 'invalid_batch' },
  { name: 'unknown top-level field', body: '{"events": [], "content": "secret"}', status: 400, error: 'invalid_batch' },
  { name: '100,000-deep nested arrays', body: () => deep(100_000), status: 400, error: 'invalid_batch' },
  { name: 'NaN literal', body: '{"events": [{"amount": NaN}]}', status: 400, error: 'invalid_json' },
  { name: 'Infinity literal', body: '{"events": [{"amount": Infinity}]}', status: 400, error: 'invalid_json' },
  { name: 'single quotes', body: "{'events': []}", status: 400, error: 'invalid_json' },
  { name: 'trailing comma', body: '{"events": [],}', status: 400, error: 'invalid_json' },
  { name: 'invalid UTF-8 bytes', body: Buffer.concat([Buffer.from('{"events": ["'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"]}')]), status: 400, error: 'invalid_encoding' },
  { name: 'overlong UTF-8 encoding of "/"', body: Buffer.concat([Buffer.from('{"events": ["'), Buffer.from([0xc0, 0xaf]), Buffer.from('"]}')]), status: 400, error: 'invalid_encoding' },
  { name: 'UTF-16 body', body: Buffer.from('\ufeff{"events": []}', 'utf16le'), status: 400, error: 'invalid_encoding' },
  { name: 'declared charset utf-16', body: '{"events": []}', headers: { 'content-type': 'application/json; charset=utf-16' }, status: 415, error: 'unsupported_charset' },
  { name: 'declared charset latin1', body: '{"events": []}', headers: { 'content-type': 'application/json; charset=iso-8859-1' }, status: 415, error: 'unsupported_charset' },
  { name: 'text/plain', body: '{"events": []}', headers: { 'content-type': 'text/plain' }, status: 415, error: 'unsupported_media_type' },
  { name: 'application/xml', body: '<events/>', headers: { 'content-type': 'application/xml' }, status: 415, error: 'unsupported_media_type' },
  { name: 'multipart form', body: '--x\r\n\r\n--x--', headers: { 'content-type': 'multipart/form-data; boundary=x' }, status: 415, error: 'unsupported_media_type' },
  { name: 'Content-Encoding br', body: '{"events": []}', headers: { 'content-encoding': 'br' }, status: 415, error: 'unsupported_encoding' },
  { name: 'gzip declared, plain body', body: batch(makeEvent()), headers: { 'content-encoding': 'gzip' }, status: 400, error: 'invalid_gzip' },
  { name: 'truncated gzip', body: () => gzipSync(batch(makeEvent(), makeEvent())).subarray(0, 40), headers: { 'content-encoding': 'gzip' }, status: 400, error: 'invalid_gzip' },
  { name: 'gzip bomb (64 MB of zeros)', body: () => gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 }), headers: { 'content-encoding': 'gzip' }, status: 413, error: 'body_too_large' },
  { name: 'JSON body over 5 MB', body: () => json({ events: [], pad: 'x'.repeat(6 * 1024 * 1024) }), status: 413, error: 'body_too_large' },
  { name: '10,001 events', body: () => json({ events: Array.from({ length: 10_001 }, () => ({})) }), status: 413, error: 'batch_too_large' },
  { name: 'NDJSON with 100,001 lines', body: () => '{}\n'.repeat(100_001), headers: { 'content-type': 'application/x-ndjson' }, status: 413, error: 'batch_too_large' },
  { name: 'NDJSON of garbage only', body: 'not json\n{"also": "not an event"}\n', headers: { 'content-type': 'application/x-ndjson' }, status: 400, error: 'no_valid_events' },
  { name: 'no Authorization header', body: batch(makeEvent()), headers: { authorization: '' }, status: 401, error: 'unauthorized' },
  { name: 'Basic instead of Bearer', body: batch(makeEvent()), headers: { authorization: 'Basic YWRtaW46YWRtaW4=' }, status: 401, error: 'unauthorized' },
  { name: 'malformed key', body: batch(makeEvent()), headers: { authorization: 'Bearer hunter2' }, status: 401, error: 'unauthorized' },
  { name: 'well-formed unknown key', body: batch(makeEvent()), headers: { authorization: `Bearer wp_ingest_0123456789ab_${'A'.repeat(43)}` }, status: 401, error: 'unauthorized' },
  { name: 'key with SQL in it', body: batch(makeEvent()), headers: { authorization: "Bearer wp_ingest_0123456789ab_'OR'1'='1'--aaaaaaaaaaaaaaaaaaaaaaaaaaaa" }, status: 401, error: 'unauthorized' },
  { name: '8 KB Authorization header', body: batch(makeEvent()), headers: { authorization: `Bearer ${'k'.repeat(8192)}` }, status: 401, error: 'unauthorized' },
];

const EVENT_CASES: EventCase[] = [
  { name: 'message content field', event: makeEvent({ content: 'the quarterly numbers are…' }), field: 'content', code: 'unknown_field' },
  { name: 'content smuggled in attrs', event: makeEvent({ attrs: { recipients: 2, text: 'hello' } }), field: 'attrs.text', code: 'unknown_field' },
  { name: '__proto__ key in an event', event: JSON.parse(`{"__proto__": {"polluted": true}, ${json(makeEvent()).slice(1)}`), field: '__proto__', code: 'unknown_field' },
  { name: 'constructor key in an event', event: { ...makeEvent(), constructor: { prototype: { polluted: true } } }, field: 'constructor', code: 'unknown_field' },
  { name: '__proto__ inside attrs', event: JSON.parse(`${json(makeEvent()).slice(0, -1)}, "attrs": {"__proto__": {"x": 1}}}`), field: 'attrs.__proto__', code: 'unknown_field' },
  { name: '1 MB actor string', event: makeEvent({ actor: 'a'.repeat(1024 * 1024) }), field: 'actor', code: 'invalid_value' },
  { name: 'actor with SQL injection', event: makeEvent({ actor: "x'); DROP TABLE events; --" }), field: 'actor', code: 'invalid_value' },
  { name: 'actor with a control character', event: makeEvent({ actor: 'p1\u0000' }), field: 'actor', code: 'invalid_value' },
  { name: 'actor with emoji', event: makeEvent({ actor: 'p😀' }), field: 'actor', code: 'invalid_value' },
  { name: 'id not a UUID', event: makeEvent({ id: 'not-a-uuid' }), field: 'id', code: 'invalid_value' },
  { name: 'id a number', event: makeEvent({ id: 12345 }), field: 'id', code: 'invalid_value' },
  { name: 'time without offset', event: makeEvent({ time: '2024-05-01T09:30:00' }), field: 'time', code: 'invalid_value' },
  { name: 'time as epoch number', event: makeEvent({ time: 1714527000000 }), field: 'time', code: 'invalid_value' },
  { name: 'time in 1970', event: makeEvent({ time: '1970-01-01T00:00:00Z' }), field: 'time', code: 'invalid_value' },
  { name: 'time in the year 9999', event: makeEvent({ time: '9999-12-31T23:59:59Z' }), field: 'time', code: 'invalid_value' },
  { name: 'time in month 13', event: makeEvent({ time: '2024-13-01T10:00:00Z' }), field: 'time', code: 'invalid_value' },
  { name: 'time with hour 25', event: makeEvent({ time: '2024-05-01T25:00:00Z' }), field: 'time', code: 'invalid_value' },
  { name: 'unknown event type', event: makeEvent({ type: 'message.deleted' }), field: 'type', code: 'unknown_type' },
  { name: 'missing type', event: (() => { const e = makeEvent() as Record<string, unknown>; delete e.type; return e; })(), field: 'type', code: 'unknown_type' },
  { name: 'missing actor', event: (() => { const e = makeEvent() as Record<string, unknown>; delete e.actor; return e; })(), field: 'actor', code: 'missing_field' },
  { name: 'org of another tenant', event: makeEvent({ org: 'other' }), field: 'org', code: 'wrong_org' },
  { name: 'unknown channel', event: makeEvent({ channel: 'fax' }), field: 'channel', code: 'invalid_value' },
  { name: 'attrs of another type', event: makeEvent({ type: 'message.read', attrs: { urgent: true } }), field: 'attrs.urgent', code: 'unknown_field' },
  { name: 'negative recipients', event: makeEvent({ attrs: { recipients: -1 } }), field: 'attrs.recipients', code: 'invalid_value' },
  { name: 'recipients as a string', event: makeEvent({ attrs: { recipients: '5' } }), field: 'attrs.recipients', code: 'invalid_value' },
  { name: 'amount 1e400 (Infinity)', event: JSON.parse(`${json(makeEvent({ type: 'approval.requested' })).slice(0, -1)}, "attrs": {"kind": "expense", "amount": 1e400}}`), field: 'attrs.amount', code: 'invalid_value' },
  { name: 'deeply nested attrs', raw: `${json(makeEvent()).slice(0, -1)}, "attrs": {"x": ${deep(100_000)}}}`, field: 'attrs.x', code: 'unknown_field' },
  { name: 'event is an array', event: [makeEvent()], field: '(event)', code: 'not_an_object' },
  { name: 'event is null', event: null, field: '(event)', code: 'not_an_object' },
  { name: 'event is a string', event: json(makeEvent()), field: '(event)', code: 'not_an_object' },
];

let h: Harness;
const validIds: string[] = [];

beforeAll(async () => {
  h = await createHarness({ limits: { bodyTimeoutMs: 1500 } });
});
afterAll(async () => {
  await h.close();
});

describe('whole-request refusals', () => {
  for (const c of WHOLE_REQUEST_CASES) {
    it(`${c.name} → ${c.status} ${c.error}`, async () => {
      const body = typeof c.body === 'function' ? c.body() : c.body;
      const headers = { ...c.headers };
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/events',
        payload: body,
        headers: {
          'content-type': 'application/json',
          ...(headers.authorization === '' ? {} : { authorization: `Bearer ${h.key}` }),
          ...Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== '')),
        },
      });
      expect(res.statusCode).toBe(c.status);
      expect(res.json().error).toBe(c.error);
      expect(typeof res.json().message === 'string' || res.json().rejected).toBeTruthy();
    });
  }
});

describe('hostile events inside a batch', () => {
  for (const c of EVENT_CASES) {
    it(`${c.name} → rejected (${c.field}, ${c.code}), the valid event beside it kept`, async () => {
      const valid = makeEvent();
      validIds.push(valid.id);
      const res = await h.send(`{"events": [${c.raw ?? JSON.stringify(c.event)}, ${JSON.stringify(valid)}]}`);
      expect(res.statusCode).toBe(202);
      const body = res.json();
      expect(body.accepted).toBe(1);
      expect(body.rejected).toEqual([expect.objectContaining({ index: 0, field: c.field, code: c.code })]);
    });
  }

  it('10,000 invalid events in one batch → 400 with the total and the first 1,000 listed', async () => {
    const res = await h.send(JSON.stringify({ events: Array.from({ length: 10_000 }, (_, i) => makeEvent({ id: `bad-${i}` })) }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'no_valid_events', rejectedCount: 10_000 });
    expect(res.json().rejected).toHaveLength(1000);
  });

  it('9,999 invalid events and one valid one → 202 keeping the valid one', async () => {
    const valid = makeEvent();
    validIds.push(valid.id);
    const events = [...Array.from({ length: 9_999 }, () => makeEvent({ channel: 'telex' })), valid];
    const res = await h.send(JSON.stringify({ events }));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accepted: 1, rejectedCount: 9_999 });
  });

  it('NDJSON with a torn last line and an invalid UTF-8 line keeps the whole lines', async () => {
    const good = [makeEvent(), makeEvent()];
    validIds.push(...good.map((e) => e.id));
    const body = Buffer.concat([
      Buffer.from(`${json(good[0])}\n`),
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]),
      Buffer.from(`${json(good[1])}\n{"id": "${randomUUID()}", "ty`),
    ]);
    const res = await h.send(body, { 'content-type': 'application/x-ndjson' });
    expect(res.statusCode).toBe(202);
    expect(res.json().rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [1, 'invalid_json'],
      [3, 'invalid_json'],
    ]);
  });
});

describe('other routes and methods', () => {
  it('GET /v1/events → 404 not_found', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/events' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('not_found');
  });

  it('a path probe (/../../etc/passwd) → 404 not_found', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/../../etc/passwd' });
    expect(res.statusCode).toBe(404);
  });

  it('a revoked key → 401 unauthorized', async () => {
    const { id, key } = await createApiKey(h.warehouse, h.org, 'ingest');
    await revokeApiKey(h.warehouse, h.org, id);
    const res = await h.send(batch(makeEvent()), { authorization: `Bearer ${key}` });
    expect(res.statusCode).toBe(401);
  });

  it('a read-scope key → 401 unauthorized', async () => {
    const { key } = await createApiKey(h.warehouse, h.org, 'read');
    const res = await h.send(batch(makeEvent()), { authorization: `Bearer ${key}` });
    expect(res.statusCode).toBe(401);
  });
});

describe('slow bodies on a real socket', () => {
  it('a slow-loris body → 408 body_timeout and the connection closed', async () => {
    const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(address);
    const started = Date.now();
    const response = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.write(
        `POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${h.key}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"events": [`,
      );
      const drip = setInterval(() => socket.write(' '), 200);
      socket.on('close', () => clearInterval(drip));
    });
    expect(response).toMatch(/^HTTP\/1.1 408/);
    expect(response).toContain('"error":"body_timeout"');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('after the corpus', () => {
  it('still serves, and exactly the valid events reached ClickHouse', async () => {
    const last = makeEvent();
    validIds.push(last.id);
    expect((await h.send(batch(last))).statusCode).toBe(202);
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect(await h.storedIds(validIds)).toBe(validIds.length);
    const total = await h.warehouse.query(sql`SELECT uniqExact(id) AS n FROM events WHERE org = ${h.org}`, z.object({ n: z.coerce.number() }), { org: h.org });
    expect(total[0]!.n).toBe(validIds.length);
  });

  it('holds at least 50 hostile cases', () => {
    expect(WHOLE_REQUEST_CASES.length + EVENT_CASES.length + 8).toBeGreaterThanOrEqual(50);
  });
});
