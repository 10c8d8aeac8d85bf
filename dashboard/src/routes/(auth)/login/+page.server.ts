// Sign-in: the form posts email and password; a match starts a session and goes to `?next=` or home.
// Too many failures lock the email (or the address) out for a while: 429 with Retry-After.
import { fail, redirect } from '@sveltejs/kit';
import { safeRedirectTarget, signIn } from '$lib/server/auth.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.user) redirect(303, safeRedirectTarget(url.searchParams.get('next')));
  return { signedOut: url.searchParams.has('signed-out'), signedOutEverywhere: url.searchParams.get('signed-out') === 'everywhere' };
};

export const actions: Actions = {
  default: async ({ cookies, request, url, getClientAddress, setHeaders }) => {
    const form = await request.formData();
    const email = form.get('email');
    const password = form.get('password');
    if (typeof email !== 'string' || typeof password !== 'string' || email.trim() === '' || password === '') {
      return fail(400, { email: typeof email === 'string' ? email.slice(0, 254) : '', problem: 'missing' as const });
    }
    const result = await signIn(cookies, email, password, getClientAddress());
    if (!result.ok && result.problem === 'locked') {
      setHeaders({ 'retry-after': String(result.retryAfterSec) });
      return fail(429, { email: email.slice(0, 254), problem: 'locked' as const, retryAfterMinutes: Math.ceil(result.retryAfterSec / 60) });
    }
    if (!result.ok) return fail(400, { email: email.slice(0, 254), problem: 'invalid' as const });
    redirect(303, safeRedirectTarget(url.searchParams.get('next')));
  },
};
