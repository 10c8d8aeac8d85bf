// Security headers on every dashboard response. Pages get their Content-Security-Policy from
// SvelteKit (kit.csp in svelte.config.js, which adds a nonce for its own inline start-up script);
// every other response (API JSON, CSV, redirects, errors) gets the strict fallback below.

/** For responses SvelteKit did not give a policy: nothing may load, nothing may frame it. */
export const FALLBACK_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const ALWAYS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  // Legacy twin of frame-ancestors for old browsers.
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

export interface SecurityHeaderOptions {
  secure: boolean;
  signedIn: boolean;
  /**
   * Origins a form on the page may end up at besides this one: the OpenID provider, where signing out
   * of an OIDC session continues (browsers apply form-action to the redirects after a form post).
   */
  formTargets?: readonly string[];
}

/** Sets the headers in place (on a response SvelteKit may have made immutable, a copy is returned). */
export function withSecurityHeaders(response: Response, options: SecurityHeaderOptions): Response {
  let target = response;
  try {
    applyTo(target.headers, options);
  } catch {
    // Responses from fetch() or Response.redirect() have immutable headers.
    target = new Response(response.body, response);
    applyTo(target.headers, options);
  }
  return target;
}

function applyTo(headers: Headers, options: SecurityHeaderOptions): void {
  for (const [name, value] of Object.entries(ALWAYS)) headers.set(name, value);
  if (!headers.has('content-security-policy')) headers.set('content-security-policy', FALLBACK_CSP);
  const targets = options.formTargets ?? [];
  if (targets.length > 0) {
    const csp = headers.get('content-security-policy') ?? '';
    headers.set('content-security-policy', csp.replace(/form-action 'self'/, `form-action 'self' ${targets.join(' ')}`));
  }
  if (options.secure) headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
  // Figures about people must not sit in shared caches or the back/forward cache of a shared machine.
  if (options.signedIn && !headers.has('cache-control')) headers.set('cache-control', 'private, no-store');
}
