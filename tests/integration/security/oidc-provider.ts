// A real OpenID provider for the OIDC sign-in tests: panva's oidc-provider (the certified
// implementation) on a free loopback port, with its development login/consent screens, accounts the
// test defines, and a signing key the test holds. Holding the key lets a test stand in for a provider
// that misbehaves (an expired token, one issued to another client) while everything else — discovery,
// JWKS, PKCE, one-time codes — is the real provider's.
import { generateKeyPairSync, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestAccount {
  email: string;
  email_verified: boolean;
}

export interface TestClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  /** Where the provider may send the browser after ending its session (RP-initiated logout). */
  post_logout_redirect_uris?: string[];
}

/** Changes the ID token the token endpoint is about to return (undefined: leave it). */
export type IdTokenRewrite = (idToken: string) => string;

export interface TestProvider {
  issuer: string;
  /** Registers the clients and starts answering (the dashboard's URL is known only after it started). */
  configure(clients: TestClient[]): void;
  /** Makes the next token responses carry a different ID token, until set back to undefined. */
  rewriteIdToken: IdTokenRewrite | undefined;
  /** Signs a JWT with the provider's own key and kid, as the provider would. */
  signWithProviderKey(payload: Record<string, unknown>): string;
  close(): Promise<void>;
}

export function decodeJwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function signRs256(payload: Record<string, unknown>, key: KeyObject, kid: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid })).toString('base64url');
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const signature = sign('sha256', Buffer.from(`${header}.${body}`), key).toString('base64url');
  return `${header}.${body}.${signature}`;
}

export async function startTestProvider(accounts: Record<string, TestAccount>): Promise<TestProvider> {
  const server: Server = createServer((_req, res) => {
    res.statusCode = 503;
    res.end('provider not configured yet');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kid = 'waypoint-test-key';
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateJwk: JsonWebKey = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };

  const handle: TestProvider = {
    issuer,
    rewriteIdToken: undefined,
    configure(clients) {
      const provider = new Provider(issuer, {
        clients: clients.map((c) => ({ ...c, grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' })),
        jwks: { keys: [privateJwk] },
        cookies: { keys: ['waypoint-test-provider-cookie-key'] },
        claims: { openid: ['sub'], email: ['email', 'email_verified'] },
        pkce: { required: () => true },
        // Explicit lifetimes (seconds), which also keeps the provider from printing a notice per default.
        ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
        async findAccount(_ctx, id) {
          const account = accounts[id];
          if (!account) return undefined;
          return { accountId: id, claims: () => ({ sub: id, ...account }) };
        },
      });
      // Post-processing on the token endpoint: where a test swaps in a misbehaving ID token.
      provider.use(async (ctx, next) => {
        await next();
        const rewrite = handle.rewriteIdToken;
        const body = ctx.body as { id_token?: unknown } | undefined;
        if (rewrite && ctx.path === '/token' && ctx.status === 200 && body && typeof body.id_token === 'string') {
          ctx.body = { ...body, id_token: rewrite(body.id_token) };
        }
      });
      server.removeAllListeners('request');
      server.on('request', provider.callback());
    },
    signWithProviderKey(payload) {
      return signRs256(payload, privateKey, kid);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return handle;
}

/**
 * A minimal browser: one cookie jar per origin, redirects followed by hand so the test can stop at
 * the callback (to replay or tamper with it).
 */
export class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  cookies(origin: string): Map<string, string> {
    let jar = this.jars.get(origin);
    if (!jar) {
      jar = new Map();
      this.jars.set(origin, jar);
    }
    return jar;
  }

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const target = new URL(url);
    const jar = this.cookies(target.origin);
    const headers: Record<string, string> = { accept: 'text/html' };
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin = target.origin;
    }
    const response = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers,
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now()));
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  }

  /** Follows redirects from `url` until a non-redirect answer or a location `stop` accepts (returned unvisited). */
  async follow(url: string, stop: (location: string) => boolean = () => false): Promise<{ response?: Response; url: string }> {
    let current = url;
    for (let hop = 0; hop < 20; hop++) {
      if (stop(current)) return { url: current };
      const response = await this.request(current);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { response, url: current };
      current = new URL(location, current).toString();
    }
    throw new Error(`too many redirects from ${url}`);
  }
}

/**
 * From the dashboard's "Sign in with …" link through the provider's login and consent screens, up to
 * (not including) the redirect back to the dashboard's callback, whose URL is returned.
 */
export async function throughProvider(browser: Browser, dashboardUrl: string, accountId: string, startPath = '/oidc/start'): Promise<string> {
  const atCallback = (location: string) => location.startsWith(`${dashboardUrl}/oidc/callback`);
  let step = await browser.follow(`${dashboardUrl}${startPath}`, atCallback);
  for (let screen = 0; screen < 4 && step.response; screen++) {
    const html = await step.response.text();
    if (step.response.status !== 200) throw new Error(`provider answered ${step.response.status} at ${step.url}: ${html.slice(0, 300)}`);
    const prompt = /name="prompt" value="(login|consent)"/.exec(html)?.[1];
    if (!prompt) throw new Error(`no login or consent form at ${step.url}: ${html.slice(0, 300)}`);
    const submitted = await browser.request(step.url, { form: prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt } });
    const location = submitted.headers.get('location');
    if (!location) throw new Error(`the ${prompt} form answered ${submitted.status} without a redirect`);
    step = await browser.follow(new URL(location, step.url).toString(), atCallback);
  }
  if (step.response) throw new Error(`never reached the callback; stopped at ${step.url}`);
  return step.url;
}
