// Caches key checks for a short time so a busy client does not cost one ClickHouse lookup per
// request; a revoked key stops working within `ttlMs`. Concurrent checks of one key share a lookup.
// When ClickHouse cannot be asked, a key that was valid keeps working from the stale entry: the
// spool accepts events while ClickHouse is down, and the key check must not be what refuses them.
import { verifyApiKey, type KeyScope, type VerifiedKey } from '../warehouse/api-keys.ts';
import type { Warehouse } from '../warehouse/client.ts';

export interface KeyVerifier {
  /** Resolves to the key's org, or undefined for a key that is not live; rejects when it cannot tell. */
  verify(presented: string): Promise<VerifiedKey | undefined>;
}

type Lookup = (presented: string) => Promise<VerifiedKey | undefined>;

export function createKeyVerifier(warehouse: Warehouse, scope: KeyScope, ttlMs = 30_000, maxEntries = 10_000): KeyVerifier {
  return createCachedVerifier((presented) => verifyApiKey(warehouse, presented, scope), ttlMs, maxEntries);
}

export function createCachedVerifier(lookup: Lookup, ttlMs: number, maxEntries = 10_000): KeyVerifier {
  const cache = new Map<string, { result: VerifiedKey | undefined; expires: number }>();
  const inFlight = new Map<string, Promise<VerifiedKey | undefined>>();

  async function refresh(presented: string): Promise<VerifiedKey | undefined> {
    const stale = cache.get(presented);
    try {
      const result = await lookup(presented);
      if (cache.size >= maxEntries && !cache.has(presented)) cache.clear();
      cache.set(presented, { result, expires: Date.now() + ttlMs });
      return result;
    } catch (err) {
      if (stale?.result) return stale.result;
      throw err;
    }
  }

  return {
    verify(presented) {
      const hit = cache.get(presented);
      if (hit && hit.expires > Date.now()) return Promise.resolve(hit.result);
      let pending = inFlight.get(presented);
      if (!pending) {
        pending = refresh(presented).finally(() => inFlight.delete(presented));
        inFlight.set(presented, pending);
      }
      return pending;
    },
  };
}
