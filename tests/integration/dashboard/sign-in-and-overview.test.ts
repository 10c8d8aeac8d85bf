// The built dashboard against its own database: sign-in, the session guard, CSRF on both loopback
// names, sign-out, and an overview page that shows the organisation's numbers and no one else's.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrg } from '../../../warehouse/orgs.ts';
import { formatDateTime } from '../../../warehouse/row-values.ts';
import { createUser } from '../../../warehouse/users.ts';
import { createTestWarehouse, type TestWarehouse } from '../../support/test-warehouse.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SERVE = path.join(import.meta.dirname, 'serve-dashboard.ts');

interface Dashboard {
  url: string;
  child: ChildProcess;
}

async function startDashboardProcess(db: TestWarehouse, extraEnv: Record<string, string> = {}): Promise<Dashboard> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLICKHOUSE_URL: db.config.url,
    CLICKHOUSE_USER: db.config.user,
    CLICKHOUSE_PASSWORD: db.config.password,
    CLICKHOUSE_DATABASE: db.config.database,
    WAYPOINT_SECURE_COOKIES: '0',
    ...extraEnv,
  };
  delete env.ORIGIN;
  delete env.PROTOCOL_HEADER;
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    process.stderr.write(chunk);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`dashboard exited with ${code} before listening:\n${stderr}`)));
  });
  return { url, child };
}

async function stopDashboardProcess(dashboard: Dashboard | undefined): Promise<void> {
  if (!dashboard || dashboard.child.exitCode !== null) return;
  const exited = new Promise((resolve) => dashboard.child.once('exit', resolve));
  dashboard.child.kill('SIGTERM');
  await exited;
}

function cookieFrom(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

/** Posts the sign-in form the way a browser does (form encoding, Origin, Accept: text/html). */
function postLogin(baseUrl: string, email: string, password: string, origin = baseUrl): Promise<Response> {
  return fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }).toString(),
  });
}

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
const now = formatDateTime(Date.now());

let db: TestWarehouse;
let dashboard: Dashboard;

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dashboard/build/handler.js'))) {
    throw new Error('dashboard/build is missing: run `npm run build` before the integration tests');
  }
  db = await createTestWarehouse();
  const { warehouse } = db;
  await upsertOrg(warehouse, { id: 'acme', name: 'Acme Holdings', timezone: 'Asia/Hong_Kong' });
  await upsertOrg(warehouse, { id: 'globex', name: 'Globex Trading', timezone: 'Asia/Taipei' });
  await createUser(warehouse, { org: 'acme', email: 'exec@acme.test', role: 'executive', password: PASSWORD });
  await createUser(warehouse, { org: 'globex', email: 'hr@globex.test', role: 'hr', password: PASSWORD });
  await warehouse.insert('departments', [
    { org: 'acme', id: 'fin', name: 'Finance', parent: '', updated_at: now },
    { org: 'acme', id: 'proc', name: 'Procurement', parent: '', updated_at: now },
    { org: 'globex', id: 'ops', name: 'Globex Operations', parent: '', updated_at: now },
  ]);
  await warehouse.insert('daily_active', [
    { org: 'acme', day: '2025-03-09', department: 'fin', active_users: 11, licensed: 40, computed_at: now },
    { org: 'acme', day: '2025-03-10', department: 'fin', active_users: 23, licensed: 40, computed_at: now },
    { org: 'acme', day: '2025-03-10', department: 'proc', active_users: 9, licensed: 12, computed_at: now },
    // Outside the default range (the 28 days up to 2025-03-10): must not be shown by default.
    { org: 'acme', day: '2025-01-05', department: 'fin', active_users: 39, licensed: 40, computed_at: now },
    { org: 'globex', day: '2025-03-10', department: 'ops', active_users: 77, licensed: 80, computed_at: now },
  ]);
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
    // Finance on 2025-03-10: 23 of 40 = 57.5%; Procurement: 9 of 12 = 75%.
    expect(html).toContain('57.5%');
    expect(html).toContain('75%');
    expect(html).toContain('23 of 40');
    expect(html).toContain('9 of 12');
    // Finance over the range: (11 + 23) / (40 + 40) = 42.5%.
    expect(html).toContain('42.5%');
    expect(html).toContain('value="2025-02-11"');
    expect(html).toContain('value="2025-03-10"');
    // January is outside the default range.
    expect(html).not.toContain('39 of 40');
  });

  it('honours a date range in the URL', async () => {
    const cookie = await signIn(dashboard.url, 'exec@acme.test', PASSWORD);
    const html = await (await getPage(dashboard.url, '/?from=2025-01-01&to=2025-01-31', cookie)).text();
    expect(html).toContain('39 of 40');
    expect(html).not.toContain('23 of 40');

    const empty = await (await getPage(dashboard.url, '/?from=2024-06-01&to=2024-06-30', cookie)).text();
    expect(empty).toContain('No activity in this period');
  });

  it("shows only the signed-in user's organisation", async () => {
    const cookie = await signIn(dashboard.url, 'hr@globex.test', PASSWORD);
    const html = await (await getPage(dashboard.url, '/', cookie)).text();
    expect(html).toContain('Globex Trading');
    expect(html).toContain('77 of 80');
    expect(html).not.toContain('Acme Holdings');
    expect(html).not.toContain('23 of 40');
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
