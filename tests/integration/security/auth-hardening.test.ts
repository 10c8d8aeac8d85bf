// Sign-in hardening on the built dashboard: lockout per email and per address, session expiry,
// sign-out everywhere, CSRF on every state change, security headers on every response, and error
// responses that leak nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditLog } from '../../../warehouse/audit-log.ts';
import { createSession } from '../../../warehouse/sessions.ts';
import { createTestWarehouse, type TestWarehouse } from '../../support/test-warehouse.ts';
import {
  PASSWORD,
  cookieFrom,
  emailFor,
  get,
  postLogin,
  seedTwoOrgs,
  signIn,
  startDashboardProcess,
  stopDashboardProcess,
  type Dashboard,
} from './harness.ts';

let db: TestWarehouse;
let dashboard: Dashboard;

beforeAll(async () => {
  db = await createTestWarehouse();
  await seedTwoOrgs(db);
  dashboard = await startDashboardProcess(db);
});

afterAll(async () => {
  await stopDashboardProcess(dashboard);
  await db?.drop();
});

function postLogout(cookie: string, body: string, origin = dashboard.url): Promise<Response> {
  return fetch(`${dashboard.url}/logout`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
}

describe('sign-in rate limiting and lockout', () => {
  it('locks an email out after 5 failures, refusing even the right password, and audits it', async () => {
    const email = emailFor('acme', 'hr');
    for (let i = 0; i < 5; i++) expect((await postLogin(dashboard.url, email, `wrong ${i}`)).status).toBe(400);
    const locked = await postLogin(dashboard.url, email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(cookieFrom(locked)).toBeUndefined();
    expect(await locked.text()).toContain('Too many sign-in attempts');
    // Another account from the same address is unaffected (the address limit is higher).
    expect((await postLogin(dashboard.url, emailFor('acme', 'executive'), PASSWORD)).status).toBe(303);

    const entries = await listAuditLog(db.warehouse, 'acme', { actions: ['sign_in.failure', 'sign_in.locked'] });
    expect(entries.filter((e) => e.action === 'sign_in.failure' && e.target === email)).toHaveLength(5);
    expect(entries.some((e) => e.action === 'sign_in.locked' && e.target === email)).toBe(true);
  });

  it('blocks an address after 20 failures across many emails', async () => {
    // Its own database: the block is shared by every replica on a database (shared-lockout.test.ts),
    // so on this file's database it would block the later tests' sign-ins from the same address.
    const ownDb = await createTestWarehouse();
    await seedTwoOrgs(ownDb);
    const own = await startDashboardProcess(ownDb);
    try {
      for (let i = 0; i < 20; i++) expect((await postLogin(own.url, `nobody${i}@spray.test`, 'guess')).status).toBe(400);
      const blocked = await postLogin(own.url, emailFor('acme', 'admin'), PASSWORD);
      expect(blocked.status).toBe(429);
    } finally {
      await stopDashboardProcess(own);
      await ownDb.drop();
    }
  });
});

describe('sessions', () => {
  it('refuses an expired session', async () => {
    const token = await createSession(db.warehouse, { email: emailFor('acme', 'admin'), org: 'acme' }, { now: Date.now() - 13 * 3600_000 });
    const response = await get(dashboard.url, '/', { cookie: `waypoint_session=${token}` });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login');
  });

  it('signs out everywhere: every session of the user ends, other users keep theirs', async () => {
    const laptop = await signIn(dashboard.url, emailFor('acme', 'change_manager'));
    const phone = await signIn(dashboard.url, emailFor('acme', 'change_manager'));
    const colleague = await signIn(dashboard.url, emailFor('acme', 'admin'));
    expect((await get(dashboard.url, '/', { cookie: phone })).status).toBe(200);

    const out = await postLogout(laptop, 'everywhere=1');
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login?signed-out=everywhere');
    expect((await get(dashboard.url, '/', { cookie: laptop })).status).toBe(303);
    expect((await get(dashboard.url, '/', { cookie: phone })).status).toBe(303);
    expect((await get(dashboard.url, '/', { cookie: colleague })).status).toBe(200);
    const entries = await listAuditLog(db.warehouse, 'acme', { actions: ['sign_out.everywhere'] });
    expect(entries[0]?.detail).toContain('"sessions":2');
  });
});

describe('CSRF', () => {
  it('refuses state changes from another origin, or with no origin, even with a valid session', async () => {
    const cookie = await signIn(dashboard.url, emailFor('acme', 'admin'));
    expect((await postLogout(cookie, '', 'http://evil.example')).status).toBe(403);
    expect((await postLogin(dashboard.url, emailFor('acme', 'admin'), PASSWORD, 'http://evil.example')).status).toBe(403);
    const json = await fetch(`${dashboard.url}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(403);
    const preferences = await fetch(`${dashboard.url}/preferences`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'theme=dark',
    });
    expect(preferences.status).toBe(403);
    // The session survived all of that.
    expect((await get(dashboard.url, '/', { cookie })).status).toBe(200);
  });
});

describe('behind TLS', () => {
  it('marks the session cookie Secure and sends HSTS when the dashboard is served as https, without WAYPOINT_SECURE_COOKIES', async () => {
    // ORIGIN is how a TLS-terminating proxy tells adapter-node the public URL (docs/operations.md).
    const origin = 'https://waypoint.test';
    const tls = await startDashboardProcess(db, { ORIGIN: origin, WAYPOINT_SECURE_COOKIES: '0' });
    try {
      const response = await postLogin(tls.url, emailFor('acme', 'executive'), PASSWORD, origin);
      expect(response.status).toBe(303);
      const cookie = cookieFrom(response) ?? '';
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);
      expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    } finally {
      await stopDashboardProcess(tls);
    }
    // Plain http (this file's dashboard): no Secure flag, or the browser would drop the cookie.
    expect(cookieFrom(await postLogin(dashboard.url, emailFor('acme', 'executive'), PASSWORD)) ?? '').not.toMatch(/Secure/i);
  });
});

describe('response headers and errors', () => {
  const expectHardened = (response: Response, what: string) => {
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp, what).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options'), what).toBe('nosniff');
    expect(response.headers.get('referrer-policy'), what).toBe('same-origin');
    expect(response.headers.get('x-frame-options'), what).toBe('DENY');
  };

  it('puts CSP, framing, sniffing and referrer headers on pages, redirects, API answers and errors', async () => {
    const cookie = await signIn(dashboard.url, emailFor('acme', 'executive'));
    const page = await get(dashboard.url, '/', { cookie });
    expect(page.status).toBe(200);
    expectHardened(page, 'page');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
    // The page's inline start-up script carries the header's nonce.
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(await page.text()).toContain(`nonce="${nonce}"`);
    expect(page.headers.get('cache-control')).toContain('no-store');

    expectHardened(await get(dashboard.url, '/login'), 'login');
    expectHardened(await get(dashboard.url, '/executive'), 'redirect');
    expectHardened(await get(dashboard.url, '/data', { cookie }), '403');
    expectHardened(await get(dashboard.url, '/no-such-page', { cookie }), '404');
    expectHardened(await get(dashboard.url, '/api/v1/openapi.json', { authorization: 'Bearer nonsense' }), 'API 401');
  });

  it('answers errors without stack traces or internals', async () => {
    const cookie = await signIn(dashboard.url, emailFor('acme', 'admin'));
    for (const path of ['/no-such-page', '/api/v1/metrics/%E0%A4%A', '/api/v1/metrics/active_users?from=2025-02-30', '/?from=%00%ff']) {
      const response = await get(dashboard.url, path, { cookie, authorization: 'Bearer wp_read_000000000000_' + 'A'.repeat(43) });
      const body = await response.text();
      expect(response.status, path).toBeLessThan(500);
      expect(body, path).not.toMatch(/\bat .+\(.+:\d+:\d+\)|node_modules|DB::Exception|WarehouseError/);
    }
  });
});
