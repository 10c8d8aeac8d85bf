// One job: turn the session cookie into event.locals.user, and send anyone without a session to
// /login before any page, action or endpoint runs (layout guards alone would miss form actions).
import { redirect, type Handle } from '@sveltejs/kit';
import { authenticate } from '$lib/server/auth.ts';

/** Routes in the (auth) group — sign-in and sign-out — are the only ones open without a session. */
function isPublic(routeId: string | null): boolean {
  return routeId !== null && routeId.startsWith('/(auth)/');
}

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.user = await authenticate(event.cookies);
  if (!event.locals.user && !isPublic(event.route.id)) {
    const next = event.url.pathname + event.url.search;
    redirect(303, next === '/' ? '/login' : `/login?${new URLSearchParams({ next }).toString()}`);
  }
  return resolve(event);
};
