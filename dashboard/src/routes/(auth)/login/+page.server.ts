// Sign-in: the form posts email and password; a match starts a session and goes to `?next=` or home.
import { fail, redirect } from '@sveltejs/kit';
import { safeRedirectTarget, signIn } from '$lib/server/auth.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.user) redirect(303, safeRedirectTarget(url.searchParams.get('next')));
  return { signedOut: url.searchParams.has('signed-out') };
};

export const actions: Actions = {
  default: async ({ cookies, request, url }) => {
    const form = await request.formData();
    const email = form.get('email');
    const password = form.get('password');
    if (typeof email !== 'string' || typeof password !== 'string' || email.trim() === '' || password === '') {
      return fail(400, { email: typeof email === 'string' ? email : '', problem: 'missing' as const });
    }
    const user = await signIn(cookies, email, password);
    if (!user) return fail(400, { email, problem: 'invalid' as const });
    redirect(303, safeRedirectTarget(url.searchParams.get('next')));
  },
};
