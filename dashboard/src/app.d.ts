// Types SvelteKit threads through every request.
import type { User } from '$warehouse/users.ts';

declare global {
  namespace App {
    interface Locals {
      /** Set by hooks.server.ts from the session cookie; undefined when not signed in. */
      user: User | undefined;
      /** Set by hooks.server.ts for /api/ requests that present a live read token instead of a session. */
      readToken: { org: string; keyId: string } | undefined;
      /**
       * Set by hooks.server.ts: the departments a department manager may see (their subtree);
       * undefined for every other role (the whole organisation).
       */
      allowedDepartments: ReadonlySet<string> | undefined;
    }
    interface Error {
      message: string;
    }
  }
}

export {};
