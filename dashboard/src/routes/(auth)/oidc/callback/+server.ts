// OIDC sign-in, step 2: the provider sends the browser back here with a code (or an error). auth.ts
// checks it against the transaction cookie, redeems it and verifies the ID token; a verified e-mail
// of an enabled account starts a session. Any refusal goes back to the login page, which names it.
import { redirect } from '@sveltejs/kit';
import { finishOidcSignIn, oidcConfig, safeRedirectTarget } from '$lib/server/auth.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ cookies, url, getClientAddress }) => {
  const config = oidcConfig();
  if (!config) redirect(303, '/login');
  const result = await finishOidcSignIn(config, cookies, url, getClientAddress());
  if (!result.ok) redirect(303, `/login?${new URLSearchParams({ 'sso-error': result.problem }).toString()}`);
  redirect(303, safeRedirectTarget(result.next));
};
