// Sign-out: only a POST (SvelteKit's origin check covers it), so a link or image elsewhere cannot
// sign anyone out. Revokes the session and clears the cookie.
import { redirect } from '@sveltejs/kit';
import { signOut } from '$lib/server/auth.ts';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ cookies }) => {
  await signOut(cookies);
  redirect(303, '/login?signed-out');
};
