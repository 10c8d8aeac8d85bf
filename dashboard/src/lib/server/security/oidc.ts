// The relying-party half of OIDC sign-in: the authorization code flow with PKCE (S256), state and
// nonce. beginOidcSignIn builds the provider URL and the transaction kept in a short-lived cookie;
// completeOidcSignIn checks the callback against it, redeems the code at the token endpoint and
// verifies the ID token (id-token.ts) against the provider's JWKS. Which Waypoint account that is,
// is auth.ts's business: this module only answers "the provider vouches for this verified e-mail".
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { OidcConfig } from '$config/env.ts';
import { constantTimeEqual, IdTokenError, idTokenKeyId, jwksSchema, verifyIdToken, type IdTokenProblem, type Jwks } from './id-token.ts';

export type OidcProblem =
  | IdTokenProblem
  | 'no_transaction'
  | 'wrong_state'
  | 'provider_error'
  | 'provider_unreachable'
  | 'token_exchange_failed'
  | 'email_missing'
  | 'email_not_verified'
  | 'unknown_user';

export class OidcError extends Error {
  override name = 'OidcError';
  constructor(
    readonly problem: OidcProblem,
    message: string,
  ) {
    super(message);
  }
}

export const OIDC_TRANSACTION_COOKIE = 'waypoint_oidc';
/** Long enough to type a password and pass a second factor at the provider; short enough to be useless later. */
export const TRANSACTION_TTL_SEC = 600;
const FETCH_TIMEOUT_MS = 5000;
const DISCOVERY_TTL_MS = 10 * 60_000;
// After an unknown kid, refetch the keys at most this often (rotation), not on every forged token.
const JWKS_REFRESH_MIN_MS = 60_000;

const discoverySchema = z.looseObject({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  userinfo_endpoint: z.url().optional(),
  end_session_endpoint: z.url().optional(),
});
type Discovery = z.output<typeof discoverySchema>;

const transactionSchema = z.object({
  state: z.string().min(32),
  nonce: z.string().min(32),
  verifier: z.string().min(43).max(128),
  next: z.string(),
  /** Seconds since the epoch. */
  exp: z.number(),
});
export type OidcTransaction = z.output<typeof transactionSchema>;

const tokenResponseSchema = z.looseObject({ id_token: z.string().min(1), access_token: z.string().optional(), token_type: z.string().optional() });
const userinfoSchema = z.looseObject({
  sub: z.string(),
  email: z.string().optional(),
  email_verified: z.union([z.boolean(), z.literal('true'), z.literal('false')]).optional(),
});

/** What the provider vouched for, once every check passed. */
export interface OidcIdentity {
  subject: string;
  email: string;
}

interface ProviderCache {
  discovery?: { value: Discovery; until: number };
  jwks?: { value: Jwks; fetchedAt: number };
}
const caches = new Map<string, ProviderCache>();

function cacheFor(config: OidcConfig): ProviderCache {
  let cache = caches.get(config.issuer);
  if (!cache) {
    cache = {};
    caches.set(config.issuer, cache);
  }
  return cache;
}

async function fetchJson(url: string, init: RequestInit, what: string): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch {
    throw new OidcError('provider_unreachable', `the sign-in provider could not be reached (${what})`);
  }
  const body: unknown = await response.json().catch(() => undefined);
  return { status: response.status, body };
}

async function discover(config: OidcConfig): Promise<Discovery> {
  const cache = cacheFor(config);
  if (cache.discovery && cache.discovery.until > Date.now()) return cache.discovery.value;
  const { status, body } = await fetchJson(`${config.issuer}/.well-known/openid-configuration`, {}, 'discovery');
  const parsed = discoverySchema.safeParse(body);
  if (status !== 200 || !parsed.success) throw new OidcError('provider_unreachable', 'the sign-in provider published no usable configuration');
  // A document naming another issuer would let that issuer's tokens in (mix-up): refuse it.
  if (parsed.data.issuer.replace(/\/+$/, '') !== config.issuer) throw new OidcError('wrong_issuer', 'the provider configuration names another issuer');
  cache.discovery = { value: parsed.data, until: Date.now() + DISCOVERY_TTL_MS };
  return parsed.data;
}

async function keys(config: OidcConfig, discovery: Discovery, wantKid: string | undefined): Promise<Jwks> {
  const cache = cacheFor(config);
  const known = cache.jwks;
  const stale = !known || (wantKid !== undefined && !known.value.keys.some((k) => k.kid === wantKid) && Date.now() - known.fetchedAt > JWKS_REFRESH_MIN_MS);
  if (!stale) return known.value;
  const { status, body } = await fetchJson(discovery.jwks_uri, {}, 'keys');
  const parsed = jwksSchema.safeParse(body);
  if (status !== 200 || !parsed.success) throw new OidcError('provider_unreachable', "the sign-in provider's keys could not be read");
  cache.jwks = { value: parsed.data, fetchedAt: Date.now() };
  return parsed.data;
}

const random = (bytes: number) => randomBytes(bytes).toString('base64url');

export function redirectUri(origin: string): string {
  return `${origin}/oidc/callback`;
}

/** The provider URL to send the browser to, and the transaction to keep in its cookie until the callback. */
export async function beginOidcSignIn(config: OidcConfig, options: { origin: string; next: string; now?: number }): Promise<{ url: string; transaction: OidcTransaction }> {
  const discovery = await discover(config);
  const transaction: OidcTransaction = {
    state: random(32),
    nonce: random(32),
    verifier: random(48),
    next: options.next,
    exp: Math.floor((options.now ?? Date.now()) / 1000) + TRANSACTION_TTL_SEC,
  };
  const url = new URL(discovery.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri(options.origin));
  url.searchParams.set('scope', 'openid email');
  url.searchParams.set('state', transaction.state);
  url.searchParams.set('nonce', transaction.nonce);
  url.searchParams.set('code_challenge', createHash('sha256').update(transaction.verifier).digest('base64url'));
  url.searchParams.set('code_challenge_method', 'S256');
  return { url: url.toString(), transaction };
}

/** Where the provider sends the browser after ending its session: register it at the provider. */
export function postLogoutRedirectUri(origin: string): string {
  return `${origin}/login?signed-out`;
}

/**
 * The provider's end-session URL (OpenID Connect RP-Initiated Logout 1.0) that ends the provider's
 * session too and comes back to the login page; undefined when the provider publishes none or cannot
 * be reached (signing out of Waypoint never waits on the provider).
 */
export async function oidcSignOutUrl(config: OidcConfig, origin: string): Promise<string | undefined> {
  const discovery = await discover(config).catch(() => undefined);
  if (!discovery?.end_session_endpoint) return undefined;
  const url = new URL(discovery.end_session_endpoint);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri(origin));
  return url.toString();
}

export function encodeTransaction(transaction: OidcTransaction): string {
  return Buffer.from(JSON.stringify(transaction)).toString('base64url');
}

export function decodeTransaction(cookie: string | undefined): OidcTransaction | undefined {
  if (!cookie || cookie.length > 2048) return undefined;
  try {
    const parsed = transactionSchema.safeParse(JSON.parse(Buffer.from(cookie, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function isVerified(value: boolean | 'true' | 'false' | undefined): boolean {
  // Some providers send the string "true"; anything else (missing included) is not a verified address.
  return value === true || value === 'true';
}

/**
 * Checks the provider's redirect back against the transaction, redeems the code and verifies the
 * ID token. Throws OidcError naming the first check that failed.
 */
export async function completeOidcSignIn(
  config: OidcConfig,
  options: { origin: string; query: URLSearchParams; transaction: OidcTransaction | undefined; now?: number },
): Promise<OidcIdentity> {
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const { transaction, query } = options;
  if (!transaction || transaction.exp < now) throw new OidcError('no_transaction', 'this sign-in was not started here or took too long; start again');
  const state = query.get('state');
  if (state === null || !constantTimeEqual(state, transaction.state)) throw new OidcError('wrong_state', 'the provider answered for another sign-in (state mismatch)');
  // RFC 9207: when the provider names itself, it must be ours (mix-up defence).
  const iss = query.get('iss');
  if (iss !== null && iss.replace(/\/+$/, '') !== config.issuer) throw new OidcError('wrong_issuer', 'the answer came from another provider');
  const providerError = query.get('error');
  if (providerError !== null) throw new OidcError('provider_error', `the provider refused the sign-in (${providerError.slice(0, 64)})`);
  const code = query.get('code');
  if (!code) throw new OidcError('provider_error', 'the provider sent no authorization code');

  const discovery = await discover(config);
  const { status, body } = await fetchJson(
    discovery.token_endpoint,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        // client_secret_basic: both parts form-encoded first (RFC 6749 §2.3.1).
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri(options.origin), code_verifier: transaction.verifier }).toString(),
    },
    'token',
  );
  const tokens = tokenResponseSchema.safeParse(body);
  if (status !== 200 || !tokens.success) {
    const reason = z.object({ error: z.string() }).safeParse(body);
    throw new OidcError('token_exchange_failed', `the provider would not redeem the code (${reason.success ? reason.data.error.slice(0, 64) : `HTTP ${status}`})`);
  }

  const idToken = tokens.data.id_token;
  let claims;
  try {
    const jwks = await keys(config, discovery, idTokenKeyId(idToken));
    claims = verifyIdToken(idToken, { issuer: config.issuer, clientId: config.clientId, nonce: transaction.nonce, jwks, now });
  } catch (err) {
    if (err instanceof IdTokenError) throw new OidcError(err.problem, err.message);
    throw err;
  }

  let email = claims.email;
  let verified = isVerified(claims.email_verified);
  // Providers that keep the ID token small (OIDC Core §5.4) give the e-mail only at userinfo.
  if (email === undefined && discovery.userinfo_endpoint && tokens.data.access_token) {
    const info = await fetchJson(discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.data.access_token}`, accept: 'application/json' } }, 'userinfo');
    const parsed = userinfoSchema.safeParse(info.body);
    // The userinfo answer must be about the same person the signed ID token names (§5.3.2).
    if (info.status === 200 && parsed.success && parsed.data.sub === claims.sub) {
      email = parsed.data.email;
      verified = isVerified(parsed.data.email_verified);
    }
  }
  if (email === undefined || email === '') throw new OidcError('email_missing', 'the provider did not share an e-mail address');
  if (!verified) throw new OidcError('email_not_verified', 'the provider has not verified this e-mail address');
  return { subject: claims.sub, email: email.trim().toLowerCase() };
}

/** For tests: forget cached discovery documents and keys. */
export function clearOidcCaches(): void {
  caches.clear();
}
