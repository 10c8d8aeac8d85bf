// Sign-in, sign-out and session lookup for the dashboard, on top of warehouse/users.ts and
// warehouse/sessions.ts. The session cookie holds only the random token.
import { error, type Cookies } from '@sveltejs/kit';
import { createSession, findSession, revokeSession, SESSION_TTL_MS } from '$warehouse/sessions.ts';
import { findUser, verifyLogin, type User } from '$warehouse/users.ts';
import { getServerContext } from './context.ts';

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

/** Checks the credentials and, if they match, starts a session and sets its cookie. */
export async function signIn(cookies: Cookies, email: string, password: string): Promise<User | undefined> {
  const { warehouse } = getServerContext();
  const user = await verifyLogin(warehouse, email, password);
  if (!user) return undefined;
  const token = await createSession(warehouse, user);
  cookies.set(SESSION_COOKIE, token, { ...cookieOptions(), maxAge: Math.floor(SESSION_TTL_MS / 1000) });
  return user;
}

export async function signOut(cookies: Cookies): Promise<void> {
  const token = cookies.get(SESSION_COOKIE);
  if (token) await revokeSession(getServerContext().warehouse, token);
  cookies.delete(SESSION_COOKIE, cookieOptions());
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
