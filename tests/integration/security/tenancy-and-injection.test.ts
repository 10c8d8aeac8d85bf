// Tenancy and SQL injection through the built dashboard. An acme principal (every role, and a read
// token) tries to reach globex through every route in the matrix, with org and department
// parameters; then hostile strings go through every query parameter, the path and the headers of
// every route. Nothing may answer 5xx, leak SQL or ClickHouse errors, or show globex's data, and the
// warehouse must be intact afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { API_ROUTES, PAGES, ROLES, canOpenPage } from '../../../dashboard/src/lib/access.ts';
import { createApiKey } from '../../../warehouse/api-keys.ts';
import { sql } from '../../../warehouse/sql.ts';
import { createTestWarehouse, type TestWarehouse } from '../../support/test-warehouse.ts';
import { GLOBEX_MARKERS, emailFor, get, seedTwoOrgs, signIn, startDashboardProcess, stopDashboardProcess, type Dashboard } from './harness.ts';

let db: TestWarehouse;
let dashboard: Dashboard;
const cookies = new Map<string, string>();
let readToken = '';

beforeAll(async () => {
  db = await createTestWarehouse();
  await seedTwoOrgs(db);
  await db.warehouse.command(sql`CREATE TABLE canary (x UInt8) ENGINE = Memory`, 'system');
  await db.warehouse.command(sql`INSERT INTO canary VALUES (1)`, 'system');
  readToken = (await createApiKey(db.warehouse, 'acme', 'read')).key;
  dashboard = await startDashboardProcess(db);
  for (const role of ROLES) cookies.set(role, await signIn(dashboard.url, emailFor('acme', role)));
});

afterAll(async () => {
  await stopDashboardProcess(dashboard);
  await db?.drop();
});

/** Every principal an acme caller can be, with the headers that carry it. */
function principals(): { name: string; headers: Record<string, string>; api: boolean }[] {
  return [
    ...ROLES.map((role) => ({ name: role, headers: { cookie: cookies.get(role)! }, api: false })),
    { name: 'read token', headers: { authorization: `Bearer ${readToken}`, accept: 'application/json' }, api: true },
  ];
}

function routes(): { path: string; api: boolean; pageId?: (typeof PAGES)[number]['id'] }[] {
  return [...PAGES.map((p) => ({ path: p.path, api: false, pageId: p.id })), ...API_ROUTES.map((r) => ({ path: r.path, api: true }))];
}

function withQuery(path: string, params: Record<string, string>): string {
  return `${path}?${new URLSearchParams(params).toString()}`;
}

const LEAKS = /DB::Exception|Code: \d+\.|Syntax error|SqlValueError|WarehouseError|node_modules|\bat .+\(.+:\d+:\d+\)/;

describe('tenancy: the organisation comes from the session or token', () => {
  it('refuses ?org= naming another organisation on every route, for every principal', async () => {
    for (const route of routes()) {
      for (const who of principals()) {
        if (who.api !== route.api) continue;
        for (const org of ['globex', 'GLOBEX', ' globex']) {
          const response = await get(dashboard.url, withQuery(route.path, { org }), who.headers);
          const body = await response.text();
          if (response.status === 404) continue; // route not built yet
          expect([401, 403, 405], `${who.name} ${route.path}?org=${org}`).toContain(response.status);
          for (const marker of GLOBEX_MARKERS) expect(body).not.toContain(marker);
        }
      }
    }
  });

  it("never shows another organisation's departments or figures through any filter", async () => {
    for (const route of routes()) {
      for (const who of principals()) {
        if (who.api !== route.api) continue;
        const filters: Record<string, string>[] = [{ department: 'gx-lab' }, { department: 'gx-lab', groupBy: 'department' }, { wave: 'gx-lab' }, {}];
        for (const params of filters) {
          const response = await get(dashboard.url, withQuery(route.path, params), who.headers);
          const body = await response.text();
          expect(response.status, `${who.name} ${route.path}`).toBeLessThan(500);
          for (const marker of [...GLOBEX_MARKERS, '777 of 800']) expect(body, `${who.name} ${route.path} ${JSON.stringify(params)}`).not.toContain(marker);
        }
      }
    }
  });

  it("keeps a department manager inside their subtree (fin, fin-ap, fin-ar) and out of ops", async () => {
    const cookie = cookies.get('department_manager')!;
    for (const page of PAGES.filter((p) => canOpenPage('department_manager', p.id) && p.menu)) {
      const outside = await get(dashboard.url, withQuery(page.path, { department: 'ops' }), { cookie });
      await outside.arrayBuffer();
      if (outside.status === 404) continue;
      expect(outside.status, page.path).toBe(403);
      const inside = await get(dashboard.url, withQuery(page.path, { department: 'fin-ap' }), { cookie });
      await inside.arrayBuffer();
      expect(inside.status, page.path).toBe(200);
    }
  });
});

const HOSTILE = [
  "'",
  "' OR '1'='1",
  "acme' OR org != 'acme",
  "') ; DROP TABLE canary; --",
  "\\' UNION ALL SELECT 1, 2, 3 --",
  '" OR ""="',
  '`canary`',
  '1; SELECT sleep(3)',
  '%27%20OR%201%3D1',
  '\u0000',
  '\\',
  '\n; DROP TABLE canary',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../../etc/passwd',
  '2025-03-10\' OR 1=1 --',
  'x'.repeat(5000),
  '\ud83d\ude00\u202e',
  '-1',
  '9999999999999999999999',
];

/** The strings most likely to break a literal, for the many page × parameter combinations. */
const HOSTILE_CORE = HOSTILE.filter((_, i) => [0, 1, 2, 3, 4, 6, 9, 10, 11, 16, 17].includes(i));

const PARAMS = ['from', 'to', 'department', 'wave', 'groupBy', 'stat', 'kind', 'compare', 'org', 'next', 'period'];

describe('SQL injection fuzz', () => {
  it('sends hostile strings through every query parameter of every route', async () => {
    // Pages as the widest role and the scoped one (different code paths); the API with a token.
    const callers = principals().filter((p) => p.name === 'admin' || p.name === 'department_manager' || p.api);
    for (const route of routes()) {
      const probe = await get(dashboard.url, route.path, route.api ? { authorization: `Bearer ${readToken}` } : { cookie: cookies.get('admin')! });
      await probe.arrayBuffer();
      if (probe.status === 404) continue; // not built yet
      for (const who of callers) {
        if (who.api !== route.api) continue;
        for (const param of PARAMS) {
          for (const value of route.api ? HOSTILE : HOSTILE_CORE) {
            const response = await get(dashboard.url, withQuery(route.path, { [param]: value }), who.headers);
            const body = await response.text();
            const what = `${who.name} ${route.path}?${param}=${JSON.stringify(value.slice(0, 40))}`;
            expect(response.status, what).toBeLessThan(500);
            expect(body, what).not.toMatch(LEAKS);
            for (const marker of GLOBEX_MARKERS) expect(body, what).not.toContain(marker);
          }
        }
      }
    }
  }, 600_000);

  it('sends hostile strings through the path and the headers', async () => {
    const admin = cookies.get('admin')!;
    for (const value of HOSTILE) {
      const encoded = encodeURIComponent(value.slice(0, 500));
      // Every path parameter of every declared API route (from the matrix, so new routes are fuzzed too).
      const apiPaths = API_ROUTES.filter((r) => r.routeId.includes('[')).map((r) => r.routeId.replace(/\[[^\]]+\]/g, encoded));
      for (const path of [...apiPaths, `/${encoded}`, `/executive/${encoded}`]) {
        const callers: Record<string, string>[] = [{ cookie: admin }, { authorization: `Bearer ${readToken}`, accept: 'application/json' }];
        for (const headers of callers) {
          const response = await get(dashboard.url, path, headers);
          const body = await response.text();
          expect(response.status, path).toBeLessThan(500);
          expect(body, path).not.toMatch(LEAKS);
        }
      }
      // Header values must be printable ASCII; replace the rest so the hostile shape survives.
      const headerValue = [...value].map((c) => (c >= ' ' && c <= '~' ? c : '?')).join('').slice(0, 1000);
      const hostileHeaders: Record<string, string>[] = [
        { cookie: `waypoint_session=${headerValue}` },
        { cookie: `${admin}; waypoint_locale=${headerValue}; waypoint_theme=${headerValue}` },
        { cookie: admin, 'accept-language': headerValue, 'x-forwarded-for': headerValue, 'user-agent': headerValue, referer: headerValue },
        { authorization: `Bearer ${headerValue}`, accept: 'application/json' },
        { authorization: headerValue, accept: 'application/json' },
        { authorization: `Bearer ${readToken}`, accept: `text/csv, ${headerValue}` },
      ];
      for (const headers of hostileHeaders) {
        for (const path of ['/', '/api/v1/metrics/active_users', '/api/v1/openapi.json']) {
          const response = await get(dashboard.url, path, headers);
          const body = await response.text();
          expect(response.status, `${path} ${JSON.stringify(headers).slice(0, 80)}`).toBeLessThan(500);
          expect(body).not.toMatch(LEAKS);
        }
      }
    }
  }, 600_000);

  it('sends hostile strings through the sign-in form', async () => {
    // Its own database: the lockout is shared through the database (login_attempts), so these
    // failures would otherwise count against the address the other tests sign in from.
    const ownDb = await createTestWarehouse();
    await seedTwoOrgs(ownDb);
    await ownDb.warehouse.command(sql`CREATE TABLE canary (x UInt8) ENGINE = Memory`, 'system');
    await ownDb.warehouse.command(sql`INSERT INTO canary VALUES (1)`, 'system');
    const own = await startDashboardProcess(ownDb);
    try {
      for (const value of HOSTILE.slice(0, 18)) {
        const response = await fetch(`${own.url}/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { origin: own.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ email: value, password: value }).toString(),
        });
        const body = await response.text();
        expect(response.status, value.slice(0, 40)).toBeLessThan(500);
        expect(response.headers.getSetCookie().some((c) => c.startsWith('waypoint_session='))).toBe(false);
        expect(body).not.toMatch(LEAKS);
      }
      const canary = await ownDb.warehouse.query(sql`SELECT count() AS n FROM canary`, z.object({ n: z.coerce.number() }), 'system');
      expect(canary[0]?.n).toBe(1);
    } finally {
      await stopDashboardProcess(own);
      await ownDb.drop();
    }
  });

  it('left the warehouse as it was: no table dropped, no user or session added', async () => {
    const canary = await db.warehouse.query(sql`SELECT count() AS n FROM canary`, z.object({ n: z.coerce.number() }), 'system');
    expect(canary[0]?.n).toBe(1);
    const users = await db.warehouse.query(sql`SELECT count() AS n FROM users FINAL`, z.object({ n: z.coerce.number() }), 'system');
    expect(users[0]?.n).toBe(ROLES.length * 2);
  });
});
