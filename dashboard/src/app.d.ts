// Types SvelteKit threads through every request.
import type { User } from '$warehouse/users.ts';

declare global {
  namespace App {
    interface Locals {
      /** Set by hooks.server.ts from the session cookie; undefined when not signed in. */
      user: User | undefined;
    }
    interface Error {
      message: string;
    }
  }
}

export {};
