// ID token verification (OIDC Core §3.1.3.7) with keys made here: every check that can refuse a token
// has a case, and tokens a careless verifier would accept (alg none, HS256 keyed with a public key,
// a second audience, an unknown key) are refused.
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IdTokenError, verifyIdToken, type Jwks } from '../../../dashboard/src/lib/server/security/id-token.ts';

const ISSUER = 'https://idp.example';
const CLIENT = 'waypoint';
const NONCE = 'n'.repeat(43);
const NOW = 1_760_000_000;

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks: Jwks = {
  keys: [
    { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', use: 'sig', alg: 'RS256' },
    { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', use: 'sig', alg: 'ES256' },
  ] as Jwks['keys'],
};

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: ISSUER, sub: 'alice', aud: CLIENT, exp: NOW + 300, iat: NOW - 10, nonce: NONCE, email: 'a@x.test', email_verified: true, ...overrides };
}

function jwt(payload: Record<string, unknown>, options: { alg?: string; kid?: string; key?: KeyObject } = {}): string {
  const alg = options.alg ?? 'RS256';
  const input = `${b64({ alg, kid: options.kid ?? (alg === 'ES256' ? 'ec-1' : 'rsa-1') })}.${b64(payload)}`;
  const key = options.key ?? (alg === 'ES256' ? ec.privateKey : rsa.privateKey);
  const signature = alg === 'ES256' ? sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }) : sign('sha256', Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}

const verify = (token: string) => verifyIdToken(token, { issuer: ISSUER, clientId: CLIENT, nonce: NONCE, jwks, now: NOW });

function problemOf(token: string): string {
  try {
    verify(token);
    return 'accepted';
  } catch (err) {
    if (err instanceof IdTokenError) return err.problem;
    throw err;
  }
}

describe('verifyIdToken', () => {
  it('accepts a well-formed token signed with RS256 or ES256 and returns its claims', () => {
    expect(verify(jwt(claims())).email).toBe('a@x.test');
    expect(verify(jwt(claims(), { alg: 'ES256' })).sub).toBe('alice');
    expect(verify(jwt(claims({ aud: [CLIENT, 'api'], azp: CLIENT }))).sub).toBe('alice');
  });

  it.each([
    ['a payload changed after signing', () => {
      const [h, , s] = jwt(claims()).split('.');
      return `${h}.${b64(claims({ email: 'admin@x.test' }))}.${s}`;
    }, 'bad_signature'],
    ['a signature by another key under our kid', () => jwt(claims(), { key: other.privateKey }), 'bad_signature'],
    ['alg none', () => `${b64({ alg: 'none' })}.${b64(claims())}.`, 'unsupported_algorithm'],
    ['HS256 keyed with the public key', () => {
      const input = `${b64({ alg: 'HS256', kid: 'rsa-1' })}.${b64(claims())}`;
      const mac = createHmac('sha256', rsa.publicKey.export({ format: 'pem', type: 'spki' })).update(input).digest('base64url');
      return `${input}.${mac}`;
    }, 'unsupported_algorithm'],
    ['an unknown kid', () => jwt(claims(), { kid: 'rotated-away' }), 'unknown_key'],
    ['another issuer', () => jwt(claims({ iss: 'https://evil.example' })), 'wrong_issuer'],
    ['another audience', () => jwt(claims({ aud: 'other-app' })), 'wrong_audience'],
    ['two audiences without azp', () => jwt(claims({ aud: [CLIENT, 'other-app'] })), 'wrong_audience'],
    ['azp naming another client', () => jwt(claims({ azp: 'other-app' })), 'wrong_audience'],
    ['an expired token (beyond the 60 s skew)', () => jwt(claims({ exp: NOW - 61 })), 'expired'],
    ['a token issued in the future', () => jwt(claims({ iat: NOW + 600 })), 'issued_in_future'],
    ['another nonce', () => jwt(claims({ nonce: 'm'.repeat(43) })), 'wrong_nonce'],
    ['no nonce', () => jwt(claims({ nonce: undefined })), 'wrong_nonce'],
    ['no sub', () => jwt(claims({ sub: undefined })), 'malformed'],
    ['two parts', () => jwt(claims()).split('.').slice(0, 2).join('.'), 'malformed'],
  ])('refuses %s', (_name, make, problem) => {
    expect(problemOf(make())).toBe(problem);
  });

  it('tolerates 60 s of clock difference on exp, and no more', () => {
    expect(problemOf(jwt(claims({ exp: NOW - 59 })))).toBe('accepted');
    expect(problemOf(jwt(claims({ exp: NOW - 60 })))).toBe('expired');
  });
});
