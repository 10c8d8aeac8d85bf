// Sign-out: only a POST (the origin check covers it), so a link or image elsewhere cannot sign
// anyone out. Revokes this session, or with the form field `everywhere` every session of the user
// (a lost laptop, a shared computer), and clears the cookie.
import { redirect } from '@sveltejs/kit';
import { signOut } from '$lib/server/auth.ts';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ cookies, request, url, getClientAddress }) => {
  const type = request.headers.get('content-type') ?? '';
  const form = type.includes('form') ? await request.formData().catch(() => undefined) : undefined;
  const everywhere = form?.has('everywhere') ?? false;
  await signOut(cookies, { everywhere, address: getClientAddress(), url });
  redirect(303, everywhere ? '/login?signed-out=everywhere' : '/login?signed-out');
};
