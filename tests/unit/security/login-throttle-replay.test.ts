// The shared lockout (SharedLoginThrottle) replays attempts from the store with replayLockout; on
// sequential attempts it must reach the same verdict as the in-memory LoginThrottle, on any sequence.
import { describe, expect, it } from 'vitest';
import { LoginThrottle, replayLockout, type Attempt } from '../../../dashboard/src/lib/server/security/login-throttle.ts';

const policy = { maxFailuresPerEmail: 3, maxFailuresPerAddress: 5, windowMs: 60_000, lockoutMs: 300_000 };

/** A small deterministic generator (mulberry32), so a failure names its seed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The verdict the shared throttle reaches from the rows before an attempt: email first, then address. */
function replayed(log: readonly Attempt[], now: number): { allowed: boolean; retryAfterMs: number } {
  for (const [kind, limit] of [['email', policy.maxFailuresPerEmail], ['address', policy.maxFailuresPerAddress]] as const) {
    const until = replayLockout(log.filter((a) => a.kind === kind), limit, policy);
    if (until > now) return { allowed: false, retryAfterMs: until - now };
  }
  return { allowed: true, retryAfterMs: 0 };
}

describe('replayLockout', () => {
  it('agrees with LoginThrottle on 300 random attempt sequences (e-mail and address limits, successes)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = rng(seed);
      let now = 1_000_000;
      const memory = new LoginThrottle(policy, () => now);
      const log: Attempt[] = [];
      for (let step = 0; step < 80; step++) {
        now += Math.floor(random() * 40_000);
        // Several e-mails from one address, so both limits come into play.
        const email = `user${Math.floor(random() * 3)}@a.test`;
        const id = `a${step}`;
        // The shared protocol: the attempt is written first, the verdict comes from the rows before it.
        const inMemory = memory.check(email, 'ip');
        const shared = replayed(log.filter((a) => a.kind === 'address' || a.key === email), now);
        log.push({ kind: 'email', key: email, outcome: 'attempt', id, atMs: now }, { kind: 'address', key: 'ip', outcome: 'attempt', id, atMs: now });
        expect(shared.allowed, `seed ${seed} step ${step}`).toBe(inMemory.allowed);
        if (!inMemory.allowed) {
          expect(shared.retryAfterMs, `seed ${seed} step ${step}`).toBe(inMemory.retryAfterMs);
          log.push({ kind: 'email', key: email, outcome: 'release', id, atMs: now }, { kind: 'address', key: 'ip', outcome: 'release', id, atMs: now });
          continue;
        }
        if (random() < 0.75) {
          memory.recordFailure(email, 'ip');
        } else {
          memory.recordSuccess(email);
          log.push({ kind: 'email', key: email, outcome: 'success', id, atMs: now }, { kind: 'address', key: 'ip', outcome: 'release', id, atMs: now });
        }
      }
    }
  });

  it('ignores attempts written during a lockout (refused, or another replica raced the check)', () => {
    const at = (atMs: number, id = String(atMs)): Attempt => ({ kind: 'address', key: 'ip', outcome: 'attempt', id, atMs });
    const five = [at(0), at(1), at(2), at(3), at(4)];
    expect(replayLockout(five, 5, policy)).toBe(300_004);
    // Attempts inside the lockout neither extend it nor count toward the next one.
    const raced = [...five, at(100), at(200), at(300_005), at(300_006), at(300_007), at(300_008)];
    expect(replayLockout(raced, 5, policy)).toBe(300_004);
  });

  it('takes back a released attempt: successful sign-ins from an office address do not block it', () => {
    const rows: Attempt[] = [];
    for (let i = 0; i < 30; i++) {
      rows.push({ kind: 'address', key: 'ip', outcome: 'attempt', id: `s${i}`, atMs: i * 10 });
      rows.push({ kind: 'address', key: 'ip', outcome: 'release', id: `s${i}`, atMs: i * 10 + 5 });
    }
    expect(replayLockout(rows, 5, policy)).toBe(0);
    // Unreleased (failed or still being checked) attempts do count.
    rows.push(...[1, 2, 3, 4, 5].map((i): Attempt => ({ kind: 'address', key: 'ip', outcome: 'attempt', id: `f${i}`, atMs: 400 + i })));
    expect(replayLockout(rows, 5, policy)).toBe(300_405);
  });

  it('is not locked below the limit or when the attempts are spread wider than the window', () => {
    const at = (atMs: number): Attempt => ({ kind: 'email', key: 'e', outcome: 'attempt', id: String(atMs), atMs });
    expect(replayLockout([at(0), at(1)], 3, policy)).toBe(0);
    expect(replayLockout([at(0), at(30_000), at(60_000)], 3, policy)).toBe(0);
    expect(replayLockout([at(0), at(30_000), at(59_999)], 3, policy)).toBe(359_999);
  });
});
