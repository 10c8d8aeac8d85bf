// The built dashboard against its own database: sign-in, the session guard, CSRF on both loopback
// names, sign-out, and an overview page that shows the organisation's numbers and no one else's —
// computed by the real rollup jobs from events and a directory, and read through the metrics engine.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directorySchema } from '../../../contracts/directory.ts';
import { eventSchema } from '../../../contracts/events.ts';
import { runJobs } from '../../../jobs/run-jobs.ts';
import { upsertDirectory } from '../../../warehouse/directory.ts';
import { toEventRow } from '../../../warehouse/events.ts';
import { upsertOrg } from '../../../warehouse/orgs.ts';
import { createUser } from '../../../warehouse/users.ts';
import { makeEvent } from '../../support/events.ts';
import { createTestWarehouse, type TestWarehouse } from '../../support/test-warehouse.ts';
// The one way the integration tests run the built dashboard in a process of its own.
import { assertBuilt, cookieFrom, postLogin, startDashboardProcess, stopDashboardProcess, type Dashboard } from '../security/harness.ts';

async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await postLogin(baseUrl, email, password);
  expect(response.status).toBe(303);
  const cookie = cookieFrom(response, 'waypoint_session');
  expect(cookie).toBeDefined();
  return cookie!.split(';')[0]!;
}

function getPage(baseUrl: string, pathAndQuery: string, cookie?: string): Promise<Response> {
  return fetch(`${baseUrl}${pathAndQuery}`, {
    redirect: 'manual',
    headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) },
  });
}

/** fetch cannot set Host; this posts with the Host and Origin a browser at http://localhost:PORT sends. */
function postLoginAsLocalhost(baseUrl: string, email: string, password: string): Promise<{ status: number; setCookie: string[] }> {
  const { port } = new URL(baseUrl);
  const body = new URLSearchParams({ email, password }).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/login',
        method: 'POST',
        headers: {
          host: `localhost:${port}`,
          origin: `http://localhost:${port}`,
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie'] ?? [] }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const PASSWORD = 'correct horse battery';

/** Licensed people of a department, hired long before the test's days. */
const staff = (department: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `${department}-${i}`, department, hiredAt: '2024-01-01' }));

/** One message from each of the first `n` people of a department on a day (noon in Hong Kong / Taipei). */
const activity = (org: string, department: string, day: string, n: number) =>
  Array.from({ length: n }, (_, i) => toEventRow(eventSchema.parse(makeEvent({ org, actor: `${department}-${i}`, time: `${day}T12:00:00+08:00` })), Date.now()));

let db: TestWarehouse;
let dashboard: Dashboard;

beforeAll(async () => {
  assertBuilt();
  db = await createTestWarehouse();
  const { warehouse } = db;
  await upsertOrg(warehouse, { id: 'acme', name: 'Acme Holdings', timezone: 'Asia/Hong_Kong' });
  await upsertOrg(warehouse, { id: 'globex', name: 'Globex Trading', timezone: 'Asia/Taipei' });
  await createUser(warehouse, { org: 'acme', email: 'exec@acme.test', role: 'executive', password: PASSWORD });
  await createUser(warehouse, { org: 'globex', email: 'hr@globex.test', role: 'hr', password: PASSWORD });
  // Finance has 8 licensed people, Procurement 5, Globex Operations 6: every group reaches k = 5.
  await upsertDirectory(warehouse, directorySchema.parse({ org: 'acme', departments: [{ id: 'fin', name: 'Finance' }, { id: 'proc', name: 'Procurement' }], people: [...staff('fin', 8), ...staff('proc', 5)] }));
  await upsertDirectory(warehouse, directorySchema.parse({ org: 'globex', departments: [{ id: 'ops', name: 'Globex Operations' }], people: staff('ops', 6) }));
  await warehouse.insert('events', [
    ...activity('acme', 'fin', '2025-03-09', 2),
    ...activity('acme', 'fin', '2025-03-10', 6),
    ...activity('acme', 'proc', '2025-03-10', 4),
    // Outside the default range (the 28 days up to 2025-03-10): must not be shown by default.
    ...activity('acme', 'fin', '2025-01-05', 7),
    ...activity('globex', 'ops', '2025-03-10', 5),
  ]);
  await runJobs({ warehouse, clock: { now: () => Date.parse('2025-03-11T00:00:00Z') }, log: () => {} }, { range: { from: '2025-01-01', to: '2025-03-10' }, retries: 0 });
  dashboard = await startDashboardProcess(db);
});

afterAll(async () => {
  await stopDashboardProcess(dashboard);
  await db?.drop();
});

describe('dashboard sign-in and overview', () => {
  it('redirects a request without a session to /login, keeping where it was going', async () => {
    const home = await getPage(dashboard.url, '/');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/login');

    const filtered = await getPage(dashboard.url, '/?from=2025-03-01&to=2025-03-10');
    expect(filtered.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/?from=2025-03-01&to=2025-03-10')}`);

    const forged = await getPage(dashboard.url, '/', 'waypoint_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(forged.status).toBe(303);
  });

  it('keeps a wrong password on the sign-in page with an error and no session', async () => {
    const response = await postLogin(dashboard.url, 'exec@acme.test', 'wrong password');
    expect(response.status).toBe(400);
    expect(cookieFrom(response, 'waypoint_session')).toBeUndefined();
    const html = await response.text();
    expect(html).toContain('That email and password do not match an account.');
    expect(html).toContain('name="password"');

    const unknown = await postLogin(dashboard.url, 'nobody@acme.test', PASSWORD);
    expect(unknown.status).toBe(400);
  });

  it('signs in with an httpOnly, SameSite=Lax session cookie that expires', async () => {
    const response = await postLogin(dashboard.url, 'Exec@Acme.test', PASSWORD);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    const cookie = cookieFrom(response, 'waypoint_session') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Max-Age=43200/);
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('shows the organisation, the user and the active rates of the last 28 days with data', async () => {
    const cookie = await signIn(dashboard.url, 'exec@acme.test', PASSWORD);
    const response = await getPage(dashboard.url, '/', cookie);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Acme Holdings');
    expect(html).toContain('exec@acme.test');
    expect(html).toContain('Finance');
    expect(html).toContain('Procurement');
    // The latest day, 2025-03-10: 6 + 4 of 13 licensed people were active = 76.9%.
    expect(html).toContain('10 of 13 licensed people on 2025-03-10');
    expect(html).toContain('76.9%');
    // Over the 28 days (person-days): Finance (2 + 6) / (8 × 28) = 3.6%, Procurement 4 / (5 × 28) = 2.9%,
    // everyone (2 + 6 + 4) / (13 × 28) = 3.3%.
    expect(html).toContain('3.6%');
    expect(html).toContain('2.9%');
    expect(html).toContain('3.3%');
    expect(html).toContain('value="2025-02-11"');
    expect(html).toContain('value="2025-03-10"');
    // January is outside the default range: 7 of 13 on 2025-01-05 would be 53.8%.
    expect(html).not.toContain('53.8%');
  });

  it('honours a date range in the URL', async () => {
    const cookie = await signIn(dashboard.url, 'exec@acme.test', PASSWORD);
    const html = await (await getPage(dashboard.url, '/?from=2025-01-01&to=2025-01-31', cookie)).text();
    // 2025-01-05: 7 of 13 = 53.8%; Finance over January: 7 / (8 × 31) = 2.8%.
    expect(html).toContain('53.8%');
    expect(html).toContain('2.8%');
    expect(html).not.toContain('76.9%');

    // Before anyone was hired: no headcount, nothing to show.
    const empty = await (await getPage(dashboard.url, '/?from=2023-06-01&to=2023-06-30', cookie)).text();
    expect(empty).toContain('No activity in this period');
  });

  it("shows only the signed-in user's organisation", async () => {
    const cookie = await signIn(dashboard.url, 'hr@globex.test', PASSWORD);
    const html = await (await getPage(dashboard.url, '/', cookie)).text();
    expect(html).toContain('Globex Trading');
    expect(html).toContain('5 of 6 licensed people on 2025-03-10');
    expect(html).not.toContain('Acme Holdings');
    expect(html).not.toContain('Finance');
  });

  it('refuses a sign-in form posted from another site (CSRF origin check)', async () => {
    const response = await postLogin(dashboard.url, 'exec@acme.test', PASSWORD, 'http://evil.example');
    expect(response.status).toBe(403);
    expect(cookieFrom(response, 'waypoint_session')).toBeUndefined();
  });

  it('accepts sign-in from http://localhost as well as http://127.0.0.1', async () => {
    const response = await postLoginAsLocalhost(dashboard.url, 'exec@acme.test', PASSWORD);
    expect(response.status).toBe(303);
    expect(response.setCookie.some((c) => c.startsWith('waypoint_session='))).toBe(true);
  });

  it('signs out by revoking the session, so the old cookie no longer works', async () => {
    const cookie = await signIn(dashboard.url, 'exec@acme.test', PASSWORD);
    const out = await fetch(`${dashboard.url}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: dashboard.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login?signed-out');
    const after = await getPage(dashboard.url, '/', cookie);
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/login');
  });
});

describe('page cache', () => {
  /** `cached` of a __data.json body (devalue: the root object's values are indexes into `data`). */
  function cachedOf(body: string): unknown {
    const nodes = (JSON.parse(body) as { nodes: ({ data?: unknown[] } | null)[] }).nodes;
    for (const node of nodes) {
      const root = node?.data?.[0] as Record<string, number> | undefined;
      if (root && 'cached' in root) return node!.data![root.cached!];
    }
    return undefined;
  }

  it('serves Responsiveness from memory until a job registers new rollup versions, and afresh on no-cache', async () => {
    const cookie = await signIn(dashboard.url, 'exec@acme.test', PASSWORD);
    const data = async (headers: Record<string, string> = {}) => {
      const response = await fetch(`${dashboard.url}/responsiveness/__data.json?from=2025-03-01&to=2025-03-10`, { headers: { cookie, ...headers } });
      expect(response.status).toBe(200);
      return cachedOf(await response.text());
    };
    expect(await data()).toBe(false);
    expect(await data()).toBe(true);
    expect(await data({ 'cache-control': 'no-cache' })).toBe(false);
    expect(await data()).toBe(true);
    await runJobs({ warehouse: db.warehouse, clock: { now: () => Date.parse('2025-03-11T00:05:00Z') }, log: () => {} }, { range: { from: '2025-03-10', to: '2025-03-10' }, retries: 0 });
    expect(await data()).toBe(false);
  });
});

describe('dashboard behind TLS', () => {
  it('marks the session cookie Secure when WAYPOINT_SECURE_COOKIES is set', async () => {
    const secure = await startDashboardProcess(db, { WAYPOINT_SECURE_COOKIES: '1' });
    try {
      const response = await postLogin(secure.url, 'exec@acme.test', PASSWORD);
      expect(response.status).toBe(303);
      expect(cookieFrom(response, 'waypoint_session')).toMatch(/; Secure/i);
    } finally {
      await stopDashboardProcess(secure);
    }
  });
});
