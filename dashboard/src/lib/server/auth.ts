// Sign-in, sign-out and session lookup for the dashboard, on top of warehouse/users.ts and
// warehouse/sessions.ts, plus read tokens for the API. The session cookie holds only the random
// token. Sign-ins are rate limited (security/login-throttle.ts) and every outcome is audited.
import { error, type Cookies } from '@sveltejs/kit';
import { verifyApiKey } from '$warehouse/api-keys.ts';
import { audit } from '$warehouse/audit-log.ts';
import { createSession, findSession, revokeSession, revokeUserSessions, SESSION_TTL_MS } from '$warehouse/sessions.ts';
import { findUser, verifyLogin, type User } from '$warehouse/users.ts';
import { getServerContext } from './context.ts';
import { loginThrottle } from './security/login-throttle.ts';

export const SESSION_COOKIE = 'waypoint_session';

function cookieOptions() {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    // Off by default so plain-HTTP local use works; set WAYPOINT_SECURE_COOKIES=1 behind TLS.
    secure: getServerContext().config.env.WAYPOINT_SECURE_COOKIES,
  };
}

/** The user behind the request's session cookie, if the session is live and the account enabled. */
export async function authenticate(cookies: Cookies): Promise<User | undefined> {
  const token = cookies.get(SESSION_COOKIE);
  if (!token) return undefined;
  const { warehouse } = getServerContext();
  const session = await findSession(warehouse, token);
  const user = session ? await findUser(warehouse, session.email) : undefined;
  // A user moved to another organisation must not keep a session opened in the old one.
  if (!session || !user || user.org !== session.org) {
    cookies.delete(SESSION_COOKIE, cookieOptions());
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
export async function signIn(cookies: Cookies, email: string, password: string, address: string): Promise<SignInResult> {
  const { warehouse } = getServerContext();
  const claimed = email.trim().toLowerCase().slice(0, 254);
  const verdict = loginThrottle.check(claimed, address);
  if (!verdict.allowed) {
    const retryAfterSec = Math.ceil(verdict.retryAfterMs / 1000);
    const org = (await findUser(warehouse, claimed))?.org ?? '';
    await audit(warehouse, { org, actor: claimed, action: 'sign_in.locked', target: claimed, detail: { by: verdict.by, retryAfterSec }, ip: address });
    return { ok: false, problem: 'locked', retryAfterSec };
  }
  const user = await verifyLogin(warehouse, email, password);
  if (!user) {
    loginThrottle.recordFailure(claimed, address);
    // The org of a known email (so its admins see attempts on their accounts); '' for unknown ones.
    const org = (await findUser(warehouse, claimed))?.org ?? '';
    await audit(warehouse, { org, actor: claimed, action: 'sign_in.failure', target: claimed, ip: address });
    return { ok: false, problem: 'invalid' };
  }
  loginThrottle.recordSuccess(claimed);
  const token = await createSession(warehouse, user);
  await audit(warehouse, { org: user.org, actor: user.email, action: 'sign_in.success', target: user.email, ip: address });
  cookies.set(SESSION_COOKIE, token, { ...cookieOptions(), maxAge: Math.floor(SESSION_TTL_MS / 1000) });
  return { ok: true, user };
}

/** Ends this session (or, with `everywhere`, every session of the user) and clears the cookie. */
export async function signOut(cookies: Cookies, options: { everywhere?: boolean; address?: string } = {}): Promise<void> {
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
  cookies.delete(SESSION_COOKIE, cookieOptions());
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
