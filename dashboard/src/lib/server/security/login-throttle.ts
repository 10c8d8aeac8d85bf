// Sign-in rate limiting and lockout, per email and per client address. Failures are counted in a
// sliding window; reaching the limit locks that email (or address) out for a fixed time, during
// which even the right password is refused, so guessing cannot continue at any speed. A success
// clears the email's failures (not the address's: one good account must not launder an address
// that is guessing at others).
//
// The dashboard uses SharedLoginThrottle: every attempt is appended to ClickHouse
// (login-attempts.ts) and the window replayed from there, so N dashboard replicas share one count
// instead of multiplying the limit by N. LoginThrottle is the same rule in one process's memory
// (for a single process without a shared store, and the reference the replay is tested against).

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

/**
 * One row of the shared store. An attempt is written *before* its password is checked and counts as
 * a failure until a success clears the e-mail's count and releases that attempt from the address's.
 * Writing first is what bounds concurrent guessing: a burst of parallel attempts each see the others.
 */
export interface Attempt {
  kind: 'email' | 'address';
  key: string;
  outcome: 'attempt' | 'success' | 'release';
  /** Ties a success or release to its attempt. */
  id: string;
  atMs: number;
}

/** Where attempts are shared between processes (ClickHouse in production: login-attempts.ts). */
export interface AttemptStore {
  append(attempts: readonly Attempt[]): Promise<void>;
  /** Attempts for these keys at or after `sinceMs`, oldest first. */
  since(keys: readonly { kind: Attempt['kind']; key: string }[], sinceMs: number): Promise<Attempt[]>;
}

/**
 * When the key is locked out until, replaying its rows (oldest first) with the same rule as
 * LoginThrottle: attempts during a lockout do not count (they were refused before checking), a
 * success clears the failures so far and, like a release, takes back its own attempt. 0 when not locked.
 */
export function replayLockout(attempts: readonly Attempt[], limit: number, policy: ThrottlePolicy): number {
  // A successful or refused attempt never counted: drop it wholesale, so that an attempt which
  // would have reached the limit while its password was being checked cannot lock anyone once it
  // turned out right. Attempts not (yet) taken back count as failures.
  const takenBack = new Set(attempts.filter((a) => a.outcome !== 'attempt').map((a) => a.id));
  let failures: number[] = [];
  let lockedUntil = 0;
  for (const attempt of attempts) {
    if (attempt.outcome === 'success') {
      failures = [];
      continue;
    }
    if (attempt.outcome === 'release' || takenBack.has(attempt.id)) continue;
    if (attempt.atMs < lockedUntil) continue;
    failures = failures.filter((at) => attempt.atMs - at < policy.windowMs);
    failures.push(attempt.atMs);
    if (failures.length >= limit) {
      lockedUntil = attempt.atMs + policy.lockoutMs;
      failures = [];
    }
  }
  return lockedUntil;
}

export type SharedVerdict = (ThrottleVerdict & { allowed: false }) | { allowed: true; attempt: string };

/**
 * The lockout every replica agrees on. `begin` writes the attempt, then replays every row of its
 * keys from the last window + lockout except its own (only a lockout that began in that span can
 * still hold, and only attempts in it can start one). Attempts of other requests still being
 * checked count as failures, so N parallel guesses cannot all pass a check that saw none of them.
 * `succeeded` then clears the e-mail and releases the attempt from the address; a failure needs no
 * second write. Lockouts found are remembered in memory until they end, so a flood against a
 * locked key costs one insert and no query; counts are not cached, since a success elsewhere
 * clears them and nothing lifts a lockout early.
 */
export class SharedLoginThrottle {
  private readonly knownLocks = new Map<string, number>();
  private sequence = 0;

  constructor(
    private readonly store: AttemptStore,
    private readonly policy: ThrottlePolicy = DEFAULT_POLICY,
    private readonly now: () => number = Date.now,
    private readonly newId: () => string = () => `${process.pid}-${Date.now().toString(36)}-${(this.sequence++).toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
  ) {}

  async begin(email: string, address: string): Promise<SharedVerdict> {
    const t = this.now();
    const keys = [
      { kind: 'email' as const, key: normalise(email) },
      { kind: 'address' as const, key: address },
    ];
    for (const k of keys) {
      const until = this.knownLocks.get(`${k.kind}\0${k.key}`) ?? 0;
      if (until > t) return { allowed: false, by: k.kind, retryAfterMs: until - t };
    }
    const id = this.newId();
    await this.store.append(keys.map((k) => ({ ...k, outcome: 'attempt' as const, id, atMs: t })));
    const rows = (await this.store.since(keys, t - this.policy.windowMs - this.policy.lockoutMs)).filter((r) => r.id !== id);
    for (const k of keys) {
      const limit = k.kind === 'email' ? this.policy.maxFailuresPerEmail : this.policy.maxFailuresPerAddress;
      const until = replayLockout(rows.filter((r) => r.kind === k.kind), limit, this.policy);
      if (until > t) {
        this.remember(`${k.kind}\0${k.key}`, until, t);
        // A refused attempt was never checked: like LoginThrottle, it must not count toward the
        // other key (retrying a locked account must not block the office's address).
        await this.store.append(keys.map((key) => ({ ...key, outcome: 'release' as const, id, atMs: t })));
        return { allowed: false, by: k.kind, retryAfterMs: until - t };
      }
    }
    return { allowed: true, attempt: id };
  }

  async succeeded(attempt: string, email: string, address: string): Promise<void> {
    const atMs = this.now();
    await this.store.append([
      { kind: 'email', key: normalise(email), outcome: 'success', id: attempt, atMs },
      { kind: 'address', key: address, outcome: 'release', id: attempt, atMs },
    ]);
  }

  private remember(key: string, until: number, t: number): void {
    this.knownLocks.set(key, until);
    if (this.knownLocks.size <= MAX_TRACKED) return;
    for (const [k, u] of this.knownLocks) if (u <= t) this.knownLocks.delete(k);
    // Still full of live locks: forgetting one only costs a round trip on its next attempt.
    while (this.knownLocks.size > MAX_TRACKED) {
      const oldest = this.knownLocks.keys().next().value;
      if (oldest === undefined) break;
      this.knownLocks.delete(oldest);
    }
  }
}
