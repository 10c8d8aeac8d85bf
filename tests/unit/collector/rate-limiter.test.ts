// The per-key limit: a burst is allowed, debt makes the next request wait, keys do not share buckets.
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../../collector/rate-limiter.ts';

describe('rate limiter', () => {
  it('lets a burst through, then asks to wait until the debt is repaid', () => {
    let now = 0;
    const limiter = createRateLimiter({ eventsPerSec: 100, burst: 200, now: () => now });
    expect(limiter.check('k')).toBe(0);
    limiter.charge('k', 500); // one large batch overdraws the bucket by 300
    expect(limiter.check('k')).toBe(4); // (300 + 1) / 100 → 4 s
    now += 3000;
    expect(limiter.check('k')).toBe(1);
    now += 1000;
    expect(limiter.check('k')).toBe(0);
  });

  it('keeps keys apart', () => {
    const limiter = createRateLimiter({ eventsPerSec: 10, burst: 10, now: () => 0 });
    limiter.charge('a', 50);
    expect(limiter.check('a')).toBeGreaterThan(0);
    expect(limiter.check('b')).toBe(0);
  });

  it('never refills above the burst', () => {
    let now = 0;
    const limiter = createRateLimiter({ eventsPerSec: 10, burst: 20, now: () => now });
    now += 3_600_000;
    limiter.charge('k', 21);
    expect(limiter.check('k')).toBe(1);
  });
});
