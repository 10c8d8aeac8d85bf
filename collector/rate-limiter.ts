// Per-key token bucket counted in events. A request is let in while the bucket is not in debt; its
// events are charged once they are counted, so one large batch may overdraw the bucket and the next
// request waits (429 + Retry-After) until the debt is repaid at the sustained rate.

export interface RateLimiter {
  /** Seconds to wait before retrying, or 0 when the request may proceed. */
  check(key: string): number;
  charge(key: string, events: number): void;
}

export function createRateLimiter({ eventsPerSec, burst, now = Date.now }: { eventsPerSec: number; burst: number; now?: () => number }): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();

  function refill(key: string): { tokens: number; at: number } {
    const t = now();
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = { tokens: burst, at: t };
      buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * eventsPerSec);
    bucket.at = t;
    return bucket;
  }

  return {
    check(key) {
      const bucket = refill(key);
      if (bucket.tokens > 0) return 0;
      return Math.max(1, Math.ceil((1 - bucket.tokens) / eventsPerSec));
    },
    charge(key, events) {
      refill(key).tokens -= events;
    },
  };
}
