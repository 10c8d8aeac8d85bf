// Caches key checks for a short time so a busy client does not cost one ClickHouse lookup per
// request; a revoked key stops working within `ttlMs`.
import { verifyApiKey, type KeyScope, type VerifiedKey } from '../warehouse/api-keys.ts';
import type { Warehouse } from '../warehouse/client.ts';

export interface KeyVerifier {
  verify(presented: string): Promise<VerifiedKey | undefined>;
}

export function createKeyVerifier(warehouse: Warehouse, scope: KeyScope, ttlMs = 30_000, maxEntries = 10_000): KeyVerifier {
  const cache = new Map<string, { result: VerifiedKey | undefined; expires: number }>();
  return {
    async verify(presented) {
      const now = Date.now();
      const hit = cache.get(presented);
      if (hit && hit.expires > now) return hit.result;
      const result = await verifyApiKey(warehouse, presented, scope);
      if (cache.size >= maxEntries) cache.clear();
      cache.set(presented, { result, expires: now + ttlMs });
      return result;
    },
  };
}
