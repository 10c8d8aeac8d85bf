// Sign-out: only a POST (the origin check covers it), so a link or image elsewhere cannot sign
// anyone out. Revokes this session, or with the form field `everywhere` every session of the user
// (a lost laptop, a shared computer), and clears the cookie. A session signed in through the
// organisation's OpenID provider is then sent to the provider's end-session endpoint, so the
// provider's session ends too and the next "Sign in with …" asks for credentials again.
import { redirect } from '@sveltejs/kit';
import { oidcConfig, signOut } from '$lib/server/auth.ts';
import { oidcSignOutUrl } from '$lib/server/security/oidc.ts';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ cookies, request, url, getClientAddress }) => {
  const type = request.headers.get('content-type') ?? '';
  const form = type.includes('form') ? await request.formData().catch(() => undefined) : undefined;
  const everywhere = form?.has('everywhere') ?? false;
  const signedInWith = await signOut(cookies, { everywhere, address: getClientAddress(), url });
  const config = signedInWith === 'oidc' ? oidcConfig() : undefined;
  const atProvider = config ? await oidcSignOutUrl(config, url.origin) : undefined;
  redirect(303, atProvider ?? (everywhere ? '/login?signed-out=everywhere' : '/login?signed-out'));
};
