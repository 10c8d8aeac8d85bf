// Sign-in rate limiting and lockout, per email and per client address, in this process's memory.
// Failures are counted in a sliding window; reaching the limit locks that email (or address) out
// for a fixed time, during which even the right password is refused, so guessing cannot continue
// at any speed. A success clears the email's failures (not the address's: one good account must not
// launder an address that is guessing at others).
//
// Per process: behind several dashboard replicas each counts alone (docs/security.md). The audit
// log has every failure, across replicas, for detection.

export interface ThrottlePolicy {
  /** Failures within `windowMs` that lock an email out. */
  maxFailuresPerEmail: number;
  /** Failures within `windowMs` that block an address (higher: an office shares one address). */
  maxFailuresPerAddress: number;
  windowMs: number;
  lockoutMs: number;
}

export const DEFAULT_POLICY: ThrottlePolicy = {
  maxFailuresPerEmail: 5,
  maxFailuresPerAddress: 20,
  windowMs: 15 * 60_000,
  lockoutMs: 15 * 60_000,
};

export type ThrottleVerdict = { allowed: true } | { allowed: false; by: 'email' | 'address'; retryAfterMs: number };

interface Counter {
  failures: number[];
  lockedUntil: number;
}

// Bounds memory under a spray of made-up emails: beyond this many tracked keys, the oldest go.
const MAX_TRACKED = 50_000;

export class LoginThrottle {
  private readonly emails = new Map<string, Counter>();
  private readonly addresses = new Map<string, Counter>();

  constructor(
    private readonly policy: ThrottlePolicy = DEFAULT_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a sign-in attempt may be checked at all. */
  check(email: string, address: string): ThrottleVerdict {
    const t = this.now();
    const byEmail = this.lockedFor(this.emails.get(normalise(email)), t);
    if (byEmail > 0) return { allowed: false, by: 'email', retryAfterMs: byEmail };
    const byAddress = this.lockedFor(this.addresses.get(address), t);
    if (byAddress > 0) return { allowed: false, by: 'address', retryAfterMs: byAddress };
    return { allowed: true };
  }

  recordFailure(email: string, address: string): void {
    const t = this.now();
    this.bump(this.emails, normalise(email), this.policy.maxFailuresPerEmail, t);
    this.bump(this.addresses, address, this.policy.maxFailuresPerAddress, t);
  }

  recordSuccess(email: string): void {
    this.emails.delete(normalise(email));
  }

  private lockedFor(counter: Counter | undefined, t: number): number {
    return counter && counter.lockedUntil > t ? counter.lockedUntil - t : 0;
  }

  private bump(map: Map<string, Counter>, key: string, limit: number, t: number): void {
    const counter = map.get(key) ?? { failures: [], lockedUntil: 0 };
    counter.failures = counter.failures.filter((at) => t - at < this.policy.windowMs);
    counter.failures.push(t);
    if (counter.failures.length >= limit) {
      counter.lockedUntil = t + this.policy.lockoutMs;
      counter.failures = [];
    }
    // Re-insert so Map order is least-recently-failed first, then trim from the front.
    map.delete(key);
    map.set(key, counter);
    while (map.size > MAX_TRACKED) {
      const oldest = map.keys().next().value;
      if (oldest === undefined) break;
      map.delete(oldest);
    }
  }
}

function normalise(email: string): string {
  return email.trim().toLowerCase();
}

/** The dashboard process's throttle. */
export const loginThrottle = new LoginThrottle();
