// OIDC sign-in end to end: the built dashboard in its own process, a real OpenID provider
// (oidc-provider) on another loopback port, and a cookie-jar browser driving the redirects, the
// provider's login and consent screens and the callback. Every way the answer can be wrong is
// refused with a named reason on the login page, no session cookie, and an audit entry.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditLog, type AuditRow } from '../../../warehouse/audit-log.ts';
import { upsertOrg } from '../../../warehouse/orgs.ts';
import { createUser, findUser } from '../../../warehouse/users.ts';
import { createTestWarehouse, type TestWarehouse } from '../../support/test-warehouse.ts';
import { PASSWORD, startDashboardProcess, stopDashboardProcess, type Dashboard } from './harness.ts';
import { Browser, decodeJwtPayload, startTestProvider, throughProvider, type TestProvider } from './oidc-provider.ts';

const SECRET = 'waypoint-test-client-secret-0123456789';
const ACCOUNTS = {
  alice: { email: 'Executive@Acme.test', email_verified: true },
  mallory: { email: 'mallory@elsewhere.test', email_verified: true },
  eve: { email: 'hr@acme.test', email_verified: false },
  newbie: { email: 'newbie@acme.test', email_verified: true },
};

let db: TestWarehouse;
let provider: TestProvider;
let dashboard: Dashboard;
let provisioning: Dashboard;
let secretDir: string;

beforeAll(async () => {
  db = await createTestWarehouse();
  await upsertOrg(db.warehouse, { id: 'acme', name: 'Acme Holdings', timezone: 'Asia/Hong_Kong' });
  for (const [email, role] of [
    ['executive@acme.test', 'executive'],
    ['hr@acme.test', 'hr'],
    ['admin@acme.test', 'admin'],
  ] as const) {
    await createUser(db.warehouse, { org: 'acme', email, role, password: PASSWORD });
  }
  secretDir = mkdtempSync(path.join(tmpdir(), 'waypoint-oidc-'));
  const secretFile = path.join(secretDir, 'client-secret');
  writeFileSync(secretFile, `${SECRET}\n`);
  chmodSync(secretFile, 0o600);
  provider = await startTestProvider(ACCOUNTS);
  const oidcEnv = {
    WAYPOINT_OIDC_ISSUER: provider.issuer,
    WAYPOINT_OIDC_CLIENT_SECRET_FILE: secretFile,
    WAYPOINT_OIDC_PROVIDER_NAME: 'Test IdP',
  };
  dashboard = await startDashboardProcess(db, { ...oidcEnv, WAYPOINT_OIDC_CLIENT_ID: 'waypoint' });
  provisioning = await startDashboardProcess(db, {
    ...oidcEnv,
    WAYPOINT_OIDC_CLIENT_ID: 'waypoint-provisioning',
    WAYPOINT_OIDC_AUTO_PROVISION_ORG: 'acme',
    WAYPOINT_OIDC_DEFAULT_ROLE: 'hr',
  });
  provider.configure([
    { client_id: 'waypoint', client_secret: SECRET, redirect_uris: [`${dashboard.url}/oidc/callback`], post_logout_redirect_uris: [`${dashboard.url}/login?signed-out`] },
    { client_id: 'waypoint-provisioning', client_secret: SECRET, redirect_uris: [`${provisioning.url}/oidc/callback`] },
  ]);
});

afterAll(async () => {
  await stopDashboardProcess(dashboard);
  await stopDashboardProcess(provisioning);
  await provider?.close();
  if (secretDir) rmSync(secretDir, { recursive: true, force: true });
  await db?.drop();
});

function sessionCookie(browser: Browser, origin: string): string | undefined {
  return browser.cookies(origin).get('waypoint_session');
}

/** Follows the callback and expects a refusal naming `problem`, with no session. */
async function expectRefused(browser: Browser, callbackUrl: string, problem: string): Promise<void> {
  const origin = new URL(callbackUrl).origin;
  const response = await browser.request(callbackUrl);
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe(`/login?sso-error=${problem}`);
  expect(sessionCookie(browser, origin)).toBeUndefined();
  // The login page says what happened in words.
  const page = await browser.request(`${origin}/login?sso-error=${problem}`);
  expect(await page.text()).toMatch(new RegExp(`data-testid="sso-error" data-code="${problem}"`));
}

async function failuresFor(org: string, problem: string): Promise<AuditRow[]> {
  const rows = await listAuditLog(db.warehouse, org, { actions: ['sign_in.failure'] });
  return rows.filter((r) => r.detail.includes(`"problem":"${problem}"`));
}

describe('OIDC sign-in against a real provider', () => {
  it('shows "Sign in with <provider>" on the login page', async () => {
    const page = await new Browser().request(`${dashboard.url}/login?next=%2Fmeetings`);
    const html = await page.text();
    expect(html).toContain('Sign in with Test IdP');
    expect(html).toContain('href="/oidc/start?next=%2Fmeetings"');
  });

  it('signs an existing account in by its verified e-mail, with PKCE, state and nonce, and audits it', async () => {
    const browser = new Browser();
    const callback = await throughProvider(browser, dashboard.url, 'alice', '/oidc/start?next=%2Fmeetings');
    // What the provider was asked for, and what came back.
    const callbackUrl = new URL(callback);
    expect(callbackUrl.searchParams.get('code')).toBeTruthy();
    expect(callbackUrl.searchParams.get('iss')).toBe(provider.issuer);

    const done = await browser.request(callback);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/meetings');
    expect(sessionCookie(browser, dashboard.url)).toBeTruthy();
    // The transaction cookie is spent.
    expect(browser.cookies(dashboard.url).has('waypoint_oidc')).toBe(false);
    const home = await browser.request(`${dashboard.url}/`);
    expect(home.status).toBe(200);

    const [entry] = (await listAuditLog(db.warehouse, 'acme', { actions: ['sign_in.success'] })).filter((r) => r.detail.includes('"method":"oidc"'));
    expect(entry?.actor).toBe('executive@acme.test');
    expect(entry?.detail).toContain('"subject":"alice"');
  });

  it('signs an OIDC session out at the provider too (RP-initiated logout), and a password session only here', async () => {
    const browser = new Browser();
    const callback = await throughProvider(browser, dashboard.url, 'alice');
    expect((await browser.request(callback)).status).toBe(303);
    // Pages let the sign-out form's redirect continue to the provider (CSP form-action).
    const home = await browser.request(`${dashboard.url}/`);
    expect(home.headers.get('content-security-policy')).toContain(`form-action 'self' ${provider.issuer}`);

    const out = await browser.request(`${dashboard.url}/logout`, { form: {} });
    expect(out.status).toBe(303);
    const atProvider = new URL(out.headers.get('location') ?? '');
    expect(`${atProvider.origin}${atProvider.pathname}`).toBe(`${provider.issuer}/session/end`);
    expect(atProvider.searchParams.get('client_id')).toBe('waypoint');
    expect(atProvider.searchParams.get('post_logout_redirect_uri')).toBe(`${dashboard.url}/login?signed-out`);
    expect(sessionCookie(browser, dashboard.url)).toBeUndefined();
    // The provider asks to confirm, then ends its session and sends the browser back to the login page.
    const confirm = await browser.request(atProvider.toString());
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    expect(action && xsrf, html.slice(0, 400)).toBeTruthy();
    const done = await browser.follow(
      (await browser.request(new URL(action!, atProvider).toString(), { form: { xsrf: xsrf!, logout: 'yes' } })).headers.get('location') ?? '',
      (location) => location.startsWith(dashboard.url),
    );
    expect(done.url).toBe(`${dashboard.url}/login?signed-out`);
    // Signing in again goes through the provider's login screen, not straight back.
    const again = await browser.follow(`${dashboard.url}/oidc/start`, (location) => location.startsWith(`${dashboard.url}/oidc/callback`));
    expect(again.response && (await again.response.text())).toMatch(/name="prompt" value="login"/);

    // A password session signs out here only.
    const local = new Browser();
    const signedIn = await local.request(`${dashboard.url}/login`, { form: { email: 'admin@acme.test', password: PASSWORD } });
    expect(signedIn.status).toBe(303);
    const localOut = await local.request(`${dashboard.url}/logout`, { form: {} });
    expect(localOut.headers.get('location')).toBe('/login?signed-out');
  });

  it('sends the PKCE challenge, state and nonce to the provider', async () => {
    const start = await new Browser().request(`${dashboard.url}/oidc/start`);
    expect(start.status).toBe(303);
    const url = new URL(start.headers.get('location') ?? '');
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')?.length).toBeGreaterThanOrEqual(43);
    expect(url.searchParams.get('nonce')?.length).toBeGreaterThanOrEqual(43);
    expect(url.searchParams.get('redirect_uri')).toBe(`${dashboard.url}/oidc/callback`);
    const cookie = start.headers.getSetCookie().find((c) => c.startsWith('waypoint_oidc='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/oidc/);
  });

  it('refuses a callback whose state is not the one this browser started', async () => {
    const browser = new Browser();
    const callback = new URL(await throughProvider(browser, dashboard.url, 'alice'));
    callback.searchParams.set('state', 'A'.repeat(43));
    await expectRefused(browser, callback.toString(), 'wrong_state');
    expect(await failuresFor('', 'wrong_state')).not.toHaveLength(0);
  });

  it('refuses a replayed code: once without the spent transaction, once with a copy of it (the provider refuses the code)', async () => {
    const browser = new Browser();
    const callback = await throughProvider(browser, dashboard.url, 'alice');
    const transaction = browser.cookies(dashboard.url).get('waypoint_oidc') ?? '';
    expect(transaction).not.toBe('');
    expect((await browser.request(callback)).headers.get('location')).toBe('/');

    const replay = new Browser();
    await expectRefused(replay, callback, 'no_transaction');
    // An attacker who also copied the transaction cookie: the provider has already redeemed the code.
    replay.cookies(dashboard.url).set('waypoint_oidc', transaction);
    await expectRefused(replay, callback, 'token_exchange_failed');
    const [entry] = await failuresFor('', 'token_exchange_failed');
    expect(entry?.detail).toContain('invalid_grant');
  });

  describe('ID tokens the dashboard must not trust', () => {
    const resign = (change: (claims: Record<string, unknown>) => void) => (idToken: string) => {
      const claims = decodeJwtPayload(idToken);
      change(claims);
      return provider.signWithProviderKey(claims);
    };

    const cases: { name: string; problem: string; rewrite: () => (idToken: string) => string }[] = [
      { name: 'a nonce from another sign-in', problem: 'wrong_nonce', rewrite: () => resign((c) => (c.nonce = 'n'.repeat(43))) },
      { name: 'an audience that is another client', problem: 'wrong_audience', rewrite: () => resign((c) => (c.aud = 'some-other-app')) },
      {
        name: 'an expired token',
        problem: 'expired',
        rewrite: () =>
          resign((c) => {
            const now = Math.floor(Date.now() / 1000);
            c.iat = now - 7200;
            c.exp = now - 3600;
          }),
      },
      {
        name: 'a tampered payload (e-mail changed to the admin, signature kept)',
        problem: 'bad_signature',
        rewrite: () => (idToken: string) => {
          const [header, payload, signature] = idToken.split('.') as [string, string, string];
          const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
          claims.email = 'admin@acme.test';
          claims.email_verified = true;
          return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
        },
      },
    ];

    for (const c of cases) {
      it(`refuses ${c.name}`, async () => {
        const browser = new Browser();
        const callback = await throughProvider(browser, dashboard.url, 'alice');
        provider.rewriteIdToken = c.rewrite();
        try {
          await expectRefused(browser, callback, c.problem);
        } finally {
          provider.rewriteIdToken = undefined;
        }
        expect(await failuresFor('', c.problem)).not.toHaveLength(0);
      });
    }
  });

  it('refuses a verified e-mail with no Waypoint account, and audits the e-mail', async () => {
    const browser = new Browser();
    await expectRefused(browser, await throughProvider(browser, dashboard.url, 'mallory'), 'unknown_user');
    const [entry] = await failuresFor('', 'unknown_user');
    expect(entry?.target).toBe('mallory@elsewhere.test');
    expect(await findUser(db.warehouse, 'mallory@elsewhere.test')).toBeUndefined();
  });

  it('refuses an e-mail the provider has not verified, even when it matches an account', async () => {
    const browser = new Browser();
    await expectRefused(browser, await throughProvider(browser, dashboard.url, 'eve'), 'email_not_verified');
  });

  it('refuses hostile callback parameters and transaction cookies with a named reason, never an error', async () => {
    const hostile = ["' OR 1=1 --", '\u0000', 'x'.repeat(5000), '<script>alert(1)</script>', '../../etc/passwd', '{"state":1}', '\ud83d\ude00\u202e'];
    for (const value of hostile) {
      const browser = new Browser();
      const start = await browser.request(`${dashboard.url}/oidc/start`);
      const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
      const queries: Record<string, string>[] = [{ state: value, code: value }, { state, code: value }, { state, iss: value, code: 'c' }, { state, error: value }];
      for (const query of queries) {
        const response = await browser.request(`${dashboard.url}/oidc/callback?${new URLSearchParams(query).toString()}`);
        const what = JSON.stringify(query).slice(0, 80);
        expect(response.status, what).toBe(303);
        expect(response.headers.get('location'), what).toMatch(/^\/login\?sso-error=[a-z_]+$/);
        expect(sessionCookie(browser, dashboard.url), what).toBeUndefined();
        // The transaction was spent by the first try; start again for the next.
        await browser.request(`${dashboard.url}/oidc/start`);
      }
      // A forged transaction cookie (header-safe characters only) is no transaction at all.
      const forged = new Browser();
      forged.cookies(dashboard.url).set('waypoint_oidc', encodeURIComponent(value).slice(0, 3000));
      const response = await forged.request(`${dashboard.url}/oidc/callback?state=${encodeURIComponent(value.slice(0, 100))}&code=x`);
      expect(response.headers.get('location')).toBe('/login?sso-error=no_transaction');
    }
  }, 120_000);

  it('sends people back to the form, saying so, when the provider cannot be reached', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'waypoint-oidc-down-'));
    const secretFile = path.join(dir, 'client-secret');
    writeFileSync(secretFile, SECRET);
    chmodSync(secretFile, 0o600);
    // Port 9 (discard) on loopback: nothing listens there.
    const down = await startDashboardProcess(db, { WAYPOINT_OIDC_ISSUER: 'http://127.0.0.1:9', WAYPOINT_OIDC_CLIENT_ID: 'waypoint', WAYPOINT_OIDC_CLIENT_SECRET_FILE: secretFile });
    try {
      const response = await new Browser().request(`${down.url}/oidc/start`);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/login?sso-error=provider_unreachable');
    } finally {
      await stopDashboardProcess(down);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('auto-provisions an unknown verified e-mail only where configured, in the configured org and role', async () => {
    const browser = new Browser();
    const done = await browser.request(await throughProvider(browser, provisioning.url, 'newbie'));
    expect(done.headers.get('location')).toBe('/');
    expect(sessionCookie(browser, provisioning.url)).toBeTruthy();
    expect(await findUser(db.warehouse, 'newbie@acme.test')).toEqual({ email: 'newbie@acme.test', org: 'acme', role: 'hr', department: '' });
    const created = await listAuditLog(db.warehouse, 'acme', { actions: ['user.create'] });
    expect(created.some((r) => r.target === 'newbie@acme.test' && r.detail.includes('"method":"oidc"'))).toBe(true);
    // An existing account keeps its own org and role.
    const alice = new Browser();
    expect((await alice.request(await throughProvider(alice, provisioning.url, 'alice'))).headers.get('location')).toBe('/');
    expect((await findUser(db.warehouse, 'executive@acme.test'))?.role).toBe('executive');
  });
});
