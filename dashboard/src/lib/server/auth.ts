// Sign-in (password or OIDC), sign-out and session lookup for the dashboard, on top of
// warehouse/users.ts and warehouse/sessions.ts, plus read tokens for the API. The session cookie holds
// only the random token. Password sign-ins are rate limited across replicas
// (security/login-throttle.ts) and every outcome of either kind is audited.
import { error, type Cookies } from '@sveltejs/kit';
import type { OidcConfig } from '$config/env.ts';
import { verifyApiKey } from '$warehouse/api-keys.ts';
import { audit } from '$warehouse/audit-log.ts';
import { createSession, findSession, revokeSession, revokeUserSessions, SESSION_TTL_MS, type SignInMethod } from '$warehouse/sessions.ts';
import { accountExists, findUser, provisionUser, verifyLogin, type User } from '$warehouse/users.ts';
import { getServerContext } from './context.ts';
import { clickHouseAttemptStore } from './security/login-attempts.ts';
import { SharedLoginThrottle } from './security/login-throttle.ts';
import {
  beginOidcSignIn,
  completeOidcSignIn,
  decodeTransaction,
  encodeTransaction,
  OIDC_TRANSACTION_COOKIE,
  OidcError,
  TRANSACTION_TTL_SEC,
  type OidcProblem,
} from './security/oidc.ts';

export const SESSION_COOKIE = 'waypoint_session';

/**
 * Secure when the operator says the dashboard is behind TLS (WAYPOINT_SECURE_COOKIES=1) or the
 * request itself arrived over https (ORIGIN/PROTOCOL_HEADER tell adapter-node so); off otherwise so
 * plain-HTTP local use works.
 */
function cookieOptions(url?: URL) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: getServerContext().config.env.WAYPOINT_SECURE_COOKIES || url?.protocol === 'https:',
  };
}

let throttle: SharedLoginThrottle | undefined;
function loginThrottle(): SharedLoginThrottle {
  throttle ??= new SharedLoginThrottle(clickHouseAttemptStore(getServerContext().warehouse));
  return throttle;
}

async function startSession(cookies: Cookies, user: User, url: URL | undefined, signedInWith: SignInMethod): Promise<void> {
  const token = await createSession(getServerContext().warehouse, user, { signedInWith });
  cookies.set(SESSION_COOKIE, token, { ...cookieOptions(url), maxAge: Math.floor(SESSION_TTL_MS / 1000) });
}

/** The user behind the request's session cookie, if the session is live and the account enabled. */
export async function authenticate(cookies: Cookies, url?: URL): Promise<User | undefined> {
  const token = cookies.get(SESSION_COOKIE);
  if (!token) return undefined;
  const { warehouse } = getServerContext();
  const session = await findSession(warehouse, token);
  const user = session ? await findUser(warehouse, session.email) : undefined;
  // A user moved to another organisation must not keep a session opened in the old one.
  if (!session || !user || user.org !== session.org) {
    cookies.delete(SESSION_COOKIE, cookieOptions(url));
    return undefined;
  }
  return user;
}

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; problem: 'invalid' }
  | { ok: false; problem: 'locked'; retryAfterSec: number };

/**
 * Checks the credentials and, if they match, starts a session and sets its cookie. Refused without
 * checking while the email or the client address is locked out; every outcome goes to the audit log.
 */
export async function signIn(cookies: Cookies, email: string, password: string, address: string, url?: URL): Promise<SignInResult> {
  const { warehouse } = getServerContext();
  const claimed = email.trim().toLowerCase().slice(0, 254);
  const verdict = await loginThrottle().begin(claimed, address);
  if (!verdict.allowed) {
    const retryAfterSec = Math.ceil(verdict.retryAfterMs / 1000);
    const org = (await findUser(warehouse, claimed))?.org ?? '';
    await audit(warehouse, { org, actor: claimed, action: 'sign_in.locked', target: claimed, detail: { by: verdict.by, retryAfterSec }, ip: address });
    return { ok: false, problem: 'locked', retryAfterSec };
  }
  const user = await verifyLogin(warehouse, email, password);
  if (!user) {
    // Nothing more to write: the attempt begin() recorded stays a failure.
    // The org of a known email (so its admins see attempts on their accounts); '' for unknown ones.
    const org = (await findUser(warehouse, claimed))?.org ?? '';
    await audit(warehouse, { org, actor: claimed, action: 'sign_in.failure', target: claimed, ip: address });
    return { ok: false, problem: 'invalid' };
  }
  await loginThrottle().succeeded(verdict.attempt, claimed, address);
  await startSession(cookies, user, url, 'password');
  await audit(warehouse, { org: user.org, actor: user.email, action: 'sign_in.success', target: user.email, ip: address });
  return { ok: true, user };
}

/** The OIDC settings when OIDC sign-in is configured (the login page shows its button then). */
export function oidcConfig(): OidcConfig | undefined {
  return getServerContext().config.oidc;
}

function transactionCookieOptions(url: URL) {
  // Only the callback needs it. Lax, not Strict: the provider's redirect back is a cross-site
  // top-level navigation, which Strict cookies would miss.
  return { ...cookieOptions(url), path: '/oidc' };
}

/** Starts an OIDC sign-in: remembers state, nonce and PKCE verifier in a cookie, returns the provider URL. */
export async function startOidcSignIn(config: OidcConfig, cookies: Cookies, url: URL, next: string): Promise<string> {
  const begun = await beginOidcSignIn(config, { origin: url.origin, next });
  cookies.set(OIDC_TRANSACTION_COOKIE, encodeTransaction(begun.transaction), { ...transactionCookieOptions(url), maxAge: TRANSACTION_TTL_SEC });
  return begun.url;
}

export type OidcSignInResult = { ok: true; user: User; next: string } | { ok: false; problem: OidcProblem; message: string };

/**
 * Finishes an OIDC sign-in at the callback: the transaction cookie is spent whatever happens (a
 * callback can be used once), the provider's answer is verified, and the verified e-mail must belong
 * to an enabled Waypoint account, whose organisation and role apply; or, when the operator allows it,
 * a new account is made in the configured organisation with the configured role. Audited either way.
 */
export async function finishOidcSignIn(config: OidcConfig, cookies: Cookies, url: URL, address: string): Promise<OidcSignInResult> {
  const { warehouse } = getServerContext();
  const transaction = decodeTransaction(cookies.get(OIDC_TRANSACTION_COOKIE));
  cookies.delete(OIDC_TRANSACTION_COOKIE, transactionCookieOptions(url));
  let email = '';
  try {
    const identity = await completeOidcSignIn(config, { origin: url.origin, query: url.searchParams, transaction });
    email = identity.email;
    let user = await findUser(warehouse, identity.email);
    if (!user && config.autoProvision && !(await accountExists(warehouse, identity.email))) {
      // Never re-enables a disabled account: provisioning only ever creates one that did not exist.
      user = await provisionUser(warehouse, { email: identity.email, org: config.autoProvision.org, role: config.autoProvision.role });
      if (user) await audit(warehouse, { org: user.org, actor: `oidc:${config.issuer}`, action: 'user.create', target: user.email, detail: { method: 'oidc', role: user.role }, ip: address });
    }
    if (!user) throw new OidcError('unknown_user', 'no enabled Waypoint account has this e-mail address; ask an administrator');
    await startSession(cookies, user, url, 'oidc');
    await audit(warehouse, { org: user.org, actor: user.email, action: 'sign_in.success', target: user.email, detail: { method: 'oidc', subject: identity.subject }, ip: address });
    return { ok: true, user, next: transaction?.next ?? '/' };
  } catch (err) {
    if (!(err instanceof OidcError)) throw err;
    // The org of a known e-mail, so its admins see refused attempts on their accounts; '' otherwise.
    const org = email ? ((await findUser(warehouse, email))?.org ?? '') : '';
    await audit(warehouse, { org, actor: email || 'oidc', action: 'sign_in.failure', target: email, detail: { method: 'oidc', problem: err.problem, message: err.message }, ip: address });
    return { ok: false, problem: err.problem, message: err.message };
  }
}

/**
 * Ends this session (or, with `everywhere`, every session of the user) and clears the cookie; returns
 * how the ended session was signed in (undefined when there was none), so an OpenID provider's
 * session can be ended too.
 */
export async function signOut(cookies: Cookies, options: { everywhere?: boolean; address?: string; url?: URL } = {}): Promise<SignInMethod | undefined> {
  const { warehouse } = getServerContext();
  const token = cookies.get(SESSION_COOKIE);
  const session = token ? await findSession(warehouse, token) : undefined;
  // Everywhere includes this session; otherwise just this one.
  const revoked = session && options.everywhere ? await revokeUserSessions(warehouse, session) : 1;
  if (token) await revokeSession(warehouse, token);
  if (session) {
    await audit(warehouse, {
      org: session.org,
      actor: session.email,
      action: options.everywhere ? 'sign_out.everywhere' : 'sign_out',
      target: session.email,
      ...(options.everywhere ? { detail: { sessions: revoked } } : {}),
      ...(options.address ? { ip: options.address } : {}),
    });
  }
  cookies.delete(SESSION_COOKIE, cookieOptions(options.url));
  return session?.signedInWith;
}

/**
 * The organisation and key id behind `Authorization: Bearer <read token>`; undefined when the
 * header is absent. A header that is present but not a live read token is an error (401), never a
 * silent fallback to the cookie.
 */
export async function authenticateReadToken(request: Request): Promise<{ org: string; keyId: string } | undefined> {
  const header = request.headers.get('authorization');
  if (header === null) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const key = match?.[1] ? await verifyApiKey(getServerContext().warehouse, match[1], 'read') : undefined;
  if (!key) error(401, 'The read token is not valid or was revoked.');
  return { org: key.org, keyId: key.id };
}

/** The signed-in user in a load or action behind the hook's guard; narrows the type for the caller. */
export function requireUser(locals: App.Locals): User {
  if (!locals.user) error(401, 'Sign in to continue.');
  return locals.user;
}

/** Only same-site paths, so `?next=` cannot send someone to another site after sign-in. */
export function safeRedirectTarget(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
