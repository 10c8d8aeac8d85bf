// The read API handler: token and organisation checks, parameter errors, CSV, k-anonymity, the
// raw-events fallback before jobs have run, and the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../warehouse/api-keys.ts';
import { handleMetricRequest } from '../../../warehouse/read-api/handle-metric-request.ts';
import { METRICS } from '../../../warehouse/read-api/catalogue.ts';
import { buildOpenApiDocument } from '../../../warehouse/read-api/openapi.ts';
import { makeEvent } from '../../support/events.ts';
import { createMetricFixture, type MetricFixture } from './metric-fixture.ts';

let f: MetricFixture;
const RANGE = { from: '2024-05-01', to: '2024-05-02' };

beforeAll(async () => {
  f = await createMetricFixture('acme', 'Asia/Hong_Kong', {
    departments: [
      { id: 'big', name: 'Big team' },
      { id: 'small', name: 'Small team' },
    ],
    people: ['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => ({ id, department: 'big' })).concat(['s1', 's2'].map((id) => ({ id, department: 'small' }))),
  });
  await f.send(['p1', 'p2', 'p3', 'p4', 'p5', 's1', 's2'].map((actor) => makeEvent({ actor, time: '2024-05-01T10:00:00+08:00' })));
});
afterAll(async () => {
  await f.close();
});

async function get(path: string, headers: Record<string, string> = {}) {
  const url = new URL(`http://waypoint.test${path}`);
  const metricId = url.pathname.split('/').at(-1) ?? '';
  return handleMetricRequest({ warehouse: f.warehouse, k: 5, now: f.clock.now }, { metricId, url, headers: new Headers({ authorization: `Bearer ${f.readKey}`, ...headers }) });
}

describe('before the jobs have run', () => {
  it('computes a short range from raw events, with the values the rollup gives later', async () => {
    const raw = await f.read('active_users', { ...RANGE, groupBy: 'department' });
    expect(raw.body.source).toBe('events');
    await f.run({ range: { from: '2024-04-25', to: '2024-05-05' } });
    const rolled = await f.read('active_users', { ...RANGE, groupBy: 'department' });
    expect(rolled.body.source).toBe('rollup');
    expect(rolled.body.points).toEqual(raw.body.points);
  });
});

describe('authentication and scope', () => {
  it('refuses a missing, malformed, unknown or ingest token with 401', async () => {
    const url = new URL('http://waypoint.test/api/v1/metrics/active_users');
    const none = await handleMetricRequest({ warehouse: f.warehouse, k: 5 }, { metricId: 'active_users', url, headers: new Headers() });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await get('/api/v1/metrics/active_users', { authorization: 'Bearer nonsense' })).status).toBe(401);
    expect((await get('/api/v1/metrics/active_users', { authorization: `Bearer ${f.key}` })).status).toBe(401); // the ingest key
    const other = await createApiKey(f.warehouse, 'acme', 'read');
    expect((await get('/api/v1/metrics/active_users?from=2024-05-01&to=2024-05-01', { authorization: `Bearer ${other.key}` })).status).toBe(200);
  });

  it('takes the organisation from the token: a different org parameter is 403, the same one is fine', async () => {
    const forbidden = await get('/api/v1/metrics/active_users?org=other&from=2024-05-01&to=2024-05-01');
    expect(forbidden.status).toBe(403);
    expect(JSON.parse(forbidden.body)).toMatchObject({ error: 'wrong_org', message: expect.stringMatching(/reads organisation acme, not other/) });
    expect((await get('/api/v1/metrics/active_users?org=acme&from=2024-05-01&to=2024-05-01')).status).toBe(200);
  });
});

describe('callers the dashboard already authenticated', () => {
  const call = (query: string, allowedDepartments?: ReadonlySet<string>) =>
    handleMetricRequest(
      { warehouse: f.warehouse, k: 5 },
      {
        metricId: 'active_users',
        url: new URL(`http://waypoint.test/api/v1/metrics/active_users?from=2024-05-01&to=2024-05-01&${query}`),
        headers: new Headers(),
        authenticatedOrg: 'acme',
        ...(allowedDepartments ? { allowedDepartments } : {}),
      },
    );

  it('serves a session without a token, for its own organisation', async () => {
    expect((await call('')).status).toBe(200);
    expect((await call('org=other')).status).toBe(403);
  });

  it('keeps a department manager to their subtree', async () => {
    const subtree = new Set(['big']);
    expect((await call('', subtree)).status).toBe(403); // the whole organisation
    expect((await call('department=small', subtree)).status).toBe(403);
    expect(JSON.parse((await call('department=big', subtree)).body).points).toEqual([{ period: '2024-05-01', value: 5, n: 5 }]);
    expect(JSON.parse((await call('groupBy=department', subtree)).body).points).toEqual([{ department: 'big', value: 5, n: 5 }]);
  });
});

describe('parameters', () => {
  it.each([
    ['/api/v1/metrics/nope', 404, /unknown metric nope/],
    ['/api/v1/metrics/active_users?from=2024-02-30', 400, /from: is not a calendar date/],
    ['/api/v1/metrics/active_users?from=2024-05-02&to=2024-05-01', 400, /is after to/],
    ['/api/v1/metrics/active_users?colour=red', 400, /colour/],
    ['/api/v1/metrics/active_users?stat=p90', 400, /stat applies to percentile metrics only/],
    ['/api/v1/metrics/stickiness?groupBy=day', 400, /groupBy=day is not available for stickiness/],
    ['/api/v1/metrics/reply_latency?stat=p99', 400, /stat/],
    ['/api/v1/metrics/dept_interactions?groupBy=day&from=2024-01-01&to=2024-02-01', 400, /dept_interactions by day spans at most 31 days across all departments; pass department=ID/],
    ['/api/v1/metrics/dept_interactions?groupBy=week&from=2024-01-01&to=2024-07-02', 400, /dept_interactions by week spans at most 183 days/],
  ])('%s → %i', async (path, status, message) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body).message).toMatch(message);
    expect(JSON.parse(res.body).error).toBe(status === 404 ? 'unknown_metric' : 'invalid_query');
  });
});

describe('range caps', () => {
  it('serves dept_interactions by day for 31 days and by week for 183, or for a year with a department', async () => {
    expect((await get('/api/v1/metrics/dept_interactions?groupBy=day&from=2024-01-01&to=2024-01-31')).status).toBe(200);
    expect((await get('/api/v1/metrics/dept_interactions?groupBy=week&from=2024-01-01&to=2024-07-01')).status).toBe(200);
    expect((await get('/api/v1/metrics/dept_interactions?groupBy=day&from=2024-01-01&to=2024-12-31&department=big')).status).toBe(200);
    expect((await get('/api/v1/metrics/dept_interactions?groupBy=month&from=2024-01-01&to=2024-12-31')).status).toBe(200);
  });
});

describe('responses', () => {
  it('returns metric, unit, definition and points', async () => {
    const res = await get('/api/v1/metrics/active_users?from=2024-05-01&to=2024-05-01');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({ metric: 'active_users', unit: 'users', points: [{ period: '2024-05-01', value: 7, n: 7 }] });
    expect(body.definition).toMatch(/non-automated/);
  });

  it('suppresses groups under k = 5 people instead of rounding them', async () => {
    const body = JSON.parse((await get('/api/v1/metrics/active_users?from=2024-05-01&to=2024-05-01&groupBy=department')).body);
    expect(body.points).toEqual([
      { department: 'big', value: 5, n: 5 },
      { department: 'small', value: null, n: null, suppressed: true },
    ]);
  });

  it('serves CSV for Accept: text/csv', async () => {
    const res = await get('/api/v1/metrics/active_users?from=2024-05-01&to=2024-05-01&groupBy=department', { accept: 'text/csv' });
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.body).toBe('department,value,n,suppressed\r\nbig,5,5,\r\nsmall,,,true\r\n');
  });
});

describe('OpenAPI', () => {
  it('documents every metric id of the catalogue', () => {
    const doc = buildOpenApiDocument('http://localhost:3000') as { paths: Record<string, { get: { parameters: { name: string; schema: { enum?: string[] } }[] } }> };
    const id = doc.paths['/api/v1/metrics/{id}']?.get.parameters.find((p) => p.name === 'id');
    expect(id?.schema.enum).toEqual(METRICS.map((m) => m.id));
  });
});
