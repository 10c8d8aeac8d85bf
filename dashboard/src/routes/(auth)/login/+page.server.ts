// Sign-in: the form posts email and password; a match starts a session and goes to `?next=` or home.
// Too many failures lock the email (or the address) out for a while: 429 with Retry-After.
import { fail, redirect } from '@sveltejs/kit';
import { oidcConfig, safeRedirectTarget, signIn } from '$lib/server/auth.ts';
import type { Actions, PageServerLoad } from './$types';

// The refusals the OIDC callback reports (security/oidc.ts OidcProblem), grouped into what the person can do about them.
const SSO_ERRORS: Record<string, 'retry' | 'account' | 'provider' | 'rejected'> = {
  no_transaction: 'retry',
  wrong_state: 'retry',
  expired: 'retry',
  token_exchange_failed: 'retry',
  unknown_user: 'account',
  email_missing: 'account',
  email_not_verified: 'account',
  provider_error: 'provider',
  provider_unreachable: 'provider',
};

export const load: PageServerLoad = ({ locals, url }) => {
  const next = safeRedirectTarget(url.searchParams.get('next'));
  if (locals.user) redirect(303, next);
  const oidc = oidcConfig();
  const ssoError = url.searchParams.get('sso-error');
  return {
    signedOut: url.searchParams.has('signed-out'),
    signedOutEverywhere: url.searchParams.get('signed-out') === 'everywhere',
    sso: oidc ? { name: oidc.providerName, href: next === '/' ? '/oidc/start' : `/oidc/start?${new URLSearchParams({ next }).toString()}` } : undefined,
    // Anything not listed (signature, audience, nonce, issuer…) is an answer we refused to trust.
    ssoError: ssoError === null ? undefined : { code: ssoError.slice(0, 40), kind: SSO_ERRORS[ssoError] ?? ('rejected' as const) },
  };
};

export const actions: Actions = {
  default: async ({ cookies, request, url, getClientAddress, setHeaders }) => {
    const form = await request.formData();
    const email = form.get('email');
    const password = form.get('password');
    if (typeof email !== 'string' || typeof password !== 'string' || email.trim() === '' || password === '') {
      return fail(400, { email: typeof email === 'string' ? email.slice(0, 254) : '', problem: 'missing' as const });
    }
    const result = await signIn(cookies, email, password, getClientAddress(), url);
    if (!result.ok && result.problem === 'locked') {
      setHeaders({ 'retry-after': String(result.retryAfterSec) });
      return fail(429, { email: email.slice(0, 254), problem: 'locked' as const, retryAfterMinutes: Math.ceil(result.retryAfterSec / 60) });
    }
    if (!result.ok) return fail(400, { email: email.slice(0, 254), problem: 'invalid' as const });
    redirect(303, safeRedirectTarget(url.searchParams.get('next')));
  },
};
