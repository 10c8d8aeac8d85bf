// Sign-in lockout per email and per address, on a controlled clock.
import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../../dashboard/src/lib/server/security/login-throttle.ts';

const policy = { maxFailuresPerEmail: 3, maxFailuresPerAddress: 5, windowMs: 60_000, lockoutMs: 300_000 };

function throttle() {
  let now = 1_000_000;
  const t = new LoginThrottle(policy, () => now);
  return { t, advance: (ms: number) => (now += ms) };
}

describe('LoginThrottle', () => {
  it('locks an email after the limit, for the lockout time, whatever the case or spacing of the email', () => {
    const { t, advance } = throttle();
    t.recordFailure('Ann@a.test', '10.0.0.1');
    t.recordFailure('ann@a.test ', '10.0.0.2');
    expect(t.check('ann@a.test', '10.0.0.3')).toEqual({ allowed: true });
    t.recordFailure('ann@a.test', '10.0.0.3');
    expect(t.check('ANN@a.test', '10.9.9.9')).toEqual({ allowed: false, by: 'email', retryAfterMs: 300_000 });
    advance(299_999);
    expect(t.check('ann@a.test', '10.9.9.9').allowed).toBe(false);
    advance(1);
    expect(t.check('ann@a.test', '10.9.9.9').allowed).toBe(true);
  });

  it('forgets failures outside the window, and a success clears the email', () => {
    const { t, advance } = throttle();
    t.recordFailure('bo@a.test', 'ip');
    t.recordFailure('bo@a.test', 'ip');
    advance(60_001);
    t.recordFailure('bo@a.test', 'ip');
    expect(t.check('bo@a.test', 'ip').allowed).toBe(true);
    t.recordFailure('bo@a.test', 'ip');
    t.recordSuccess('bo@a.test');
    t.recordFailure('bo@a.test', 'ip');
    expect(t.check('bo@a.test', 'other').allowed).toBe(true);
  });

  it('blocks an address spraying many emails, but not other addresses', () => {
    const { t } = throttle();
    for (let i = 0; i < 5; i++) t.recordFailure(`u${i}@a.test`, '203.0.113.9');
    expect(t.check('fresh@a.test', '203.0.113.9')).toMatchObject({ allowed: false, by: 'address' });
    expect(t.check('fresh@a.test', '198.51.100.1').allowed).toBe(true);
  });
});
