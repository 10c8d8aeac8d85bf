// OIDC sign-in, step 1: a plain link from the login page lands here; we remember state, nonce and the
// PKCE verifier in a cookie and send the browser to the provider. 404 when OIDC is not configured.
import { error, redirect } from '@sveltejs/kit';
import { oidcConfig, safeRedirectTarget, startOidcSignIn } from '$lib/server/auth.ts';
import { OidcError } from '$lib/server/security/oidc.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ cookies, url, locals }) => {
  const config = oidcConfig();
  if (!config) error(404, 'Single sign-on is not configured.');
  const next = safeRedirectTarget(url.searchParams.get('next'));
  if (locals.user) redirect(303, next);
  let location: string;
  try {
    location = await startOidcSignIn(config, cookies, url, next);
  } catch (err) {
    // The provider is down or misconfigured: back to the form, which says so, rather than a 500.
    if (err instanceof OidcError) redirect(303, `/login?${new URLSearchParams({ 'sso-error': err.problem }).toString()}`);
    throw err;
  }
  redirect(303, location);
};
