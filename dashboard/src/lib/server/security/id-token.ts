// Verifies an OpenID Connect ID token (a JWS in compact form) with node:crypto: the signature against
// the provider's published keys (JWKS), then iss, aud/azp, exp, iat and nonce (OIDC Core §3.1.3.7).
// Pure apart from the clock it is given, so every refusal has a unit test; oidc.ts fetches the keys.
import { createPublicKey, constants, timingSafeEqual, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/** Why a token was refused; the login page and the audit log show the code. */
export type IdTokenProblem =
  | 'malformed'
  | 'unsupported_algorithm'
  | 'unknown_key'
  | 'bad_signature'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'expired'
  | 'issued_in_future'
  | 'wrong_nonce';

export class IdTokenError extends Error {
  override name = 'IdTokenError';
  constructor(
    readonly problem: IdTokenProblem,
    message: string,
  ) {
    super(message);
  }
}

// Asymmetric algorithms only: 'none' and the HS* family (keyed with the client secret, which the
// relying party also holds) would let anyone holding that secret mint tokens.
const ALGORITHMS = {
  RS256: { hash: 'sha256', kty: 'RSA', padding: 'pkcs1' },
  RS384: { hash: 'sha384', kty: 'RSA', padding: 'pkcs1' },
  RS512: { hash: 'sha512', kty: 'RSA', padding: 'pkcs1' },
  PS256: { hash: 'sha256', kty: 'RSA', padding: 'pss' },
  PS384: { hash: 'sha384', kty: 'RSA', padding: 'pss' },
  PS512: { hash: 'sha512', kty: 'RSA', padding: 'pss' },
  ES256: { hash: 'sha256', kty: 'EC', padding: 'ecdsa' },
  ES384: { hash: 'sha384', kty: 'EC', padding: 'ecdsa' },
  ES512: { hash: 'sha512', kty: 'EC', padding: 'ecdsa' },
  EdDSA: { hash: null, kty: 'OKP', padding: 'eddsa' },
} as const;
type Algorithm = keyof typeof ALGORITHMS;

export const SUPPORTED_ALGORITHMS = Object.keys(ALGORITHMS) as Algorithm[];

export const jwkSchema = z.looseObject({
  kty: z.string(),
  kid: z.string().optional(),
  use: z.string().optional(),
  alg: z.string().optional(),
});
export const jwksSchema = z.object({ keys: z.array(jwkSchema) });
export type Jwks = z.output<typeof jwksSchema>;

const headerSchema = z.looseObject({ alg: z.string(), kid: z.string().optional(), typ: z.string().optional() });

const audienceSchema = z.union([z.string(), z.array(z.string()).min(1)]);
export const idTokenClaimsSchema = z.looseObject({
  iss: z.string(),
  sub: z.string().min(1).max(255),
  aud: audienceSchema,
  exp: z.number(),
  iat: z.number(),
  nonce: z.string().optional(),
  azp: z.string().optional(),
  email: z.string().optional(),
  email_verified: z.union([z.boolean(), z.literal('true'), z.literal('false')]).optional(),
});
export type IdTokenClaims = z.output<typeof idTokenClaimsSchema>;

export interface VerifyIdTokenOptions {
  issuer: string;
  clientId: string;
  nonce: string;
  jwks: Jwks;
  /** Seconds since the epoch. */
  now: number;
  /** Tolerated clock difference with the provider, in seconds (default 60). */
  clockSkewSec?: number;
}

function decodeSegment(segment: string, what: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) throw new IdTokenError('malformed', `the ID token's ${what} is not base64url`);
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new IdTokenError('malformed', `the ID token's ${what} is not JSON`);
  }
}

function findKey(jwks: Jwks, kid: string | undefined, alg: Algorithm): KeyObject {
  const { kty } = ALGORITHMS[alg];
  const candidates = jwks.keys.filter(
    (k) => k.kty === kty && (k.use === undefined || k.use === 'sig') && (k.alg === undefined || k.alg === alg) && (kid === undefined || k.kid === kid),
  );
  // Without a kid the key must be unambiguous; guessing among several would accept any of them.
  if (candidates.length !== 1) throw new IdTokenError('unknown_key', kid ? `the provider publishes no ${alg} key with kid ${kid}` : `no single ${alg} key to check the ID token with`);
  try {
    return createPublicKey({ key: candidates[0] as JsonWebKey, format: 'jwk' });
  } catch {
    throw new IdTokenError('unknown_key', 'the provider published a key that cannot be read');
  }
}

function signatureValid(alg: Algorithm, key: KeyObject, signingInput: Buffer, signature: Buffer): boolean {
  const spec = ALGORITHMS[alg];
  try {
    switch (spec.padding) {
      case 'pkcs1':
        return verify(spec.hash, signingInput, key, signature);
      case 'pss':
        return verify(spec.hash, signingInput, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
      case 'ecdsa':
        // JWS carries ECDSA signatures as raw r‖s, not DER.
        return verify(spec.hash, signingInput, { key, dsaEncoding: 'ieee-p1363' }, signature);
      case 'eddsa':
        return verify(null, signingInput, key, signature);
    }
  } catch {
    return false;
  }
}

/** Kid of the token's header, so the caller can refresh the JWKS once when the provider rotated keys. */
export function idTokenKeyId(token: string): string | undefined {
  const header = headerSchema.safeParse(decodeSegment(token.split('.')[0] ?? '', 'header'));
  return header.success ? header.data.kid : undefined;
}

/** The verified claims, or an IdTokenError naming the first check that failed. */
export function verifyIdToken(token: string, options: VerifyIdTokenOptions): IdTokenClaims {
  const parts = token.split('.');
  if (parts.length !== 3) throw new IdTokenError('malformed', 'the ID token is not a signed JWT (three dot-separated parts)');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = headerSchema.safeParse(decodeSegment(headerPart, 'header'));
  if (!header.success) throw new IdTokenError('malformed', 'the ID token header has no alg');
  const alg = header.data.alg;
  if (!Object.hasOwn(ALGORITHMS, alg)) throw new IdTokenError('unsupported_algorithm', `ID tokens signed with ${alg} are not accepted`);
  const key = findKey(options.jwks, header.data.kid, alg as Algorithm);
  if (!/^[A-Za-z0-9_-]+$/.test(signaturePart)) throw new IdTokenError('malformed', "the ID token's signature is not base64url");
  if (!signatureValid(alg as Algorithm, key, Buffer.from(`${headerPart}.${payloadPart}`), Buffer.from(signaturePart, 'base64url'))) {
    throw new IdTokenError('bad_signature', "the ID token's signature does not match the provider's key");
  }
  // Claims are read only after the signature holds, so nothing below trusts unsigned input.
  const parsed = idTokenClaimsSchema.safeParse(decodeSegment(payloadPart, 'payload'));
  if (!parsed.success) throw new IdTokenError('malformed', `the ID token lacks a required claim (${parsed.error.issues[0]?.path.join('.') ?? '?'})`);
  const claims = parsed.data;
  const skew = options.clockSkewSec ?? 60;
  if (claims.iss !== options.issuer) throw new IdTokenError('wrong_issuer', `the ID token was issued by ${claims.iss}, not ${options.issuer}`);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(options.clientId)) throw new IdTokenError('wrong_audience', 'the ID token was issued to another client');
  // With several audiences the authorised party must be us (OIDC Core §3.1.3.7, items 4–5).
  if ((audiences.length > 1 || claims.azp !== undefined) && claims.azp !== options.clientId) {
    throw new IdTokenError('wrong_audience', 'the ID token names another authorised party (azp)');
  }
  if (!(claims.exp > options.now - skew)) throw new IdTokenError('expired', 'the ID token has expired');
  if (claims.iat > options.now + skew) throw new IdTokenError('issued_in_future', 'the ID token is dated in the future');
  if (claims.nonce === undefined || !constantTimeEqual(claims.nonce, options.nonce)) {
    throw new IdTokenError('wrong_nonce', 'the ID token does not belong to this sign-in (nonce mismatch)');
  }
  return claims;
}

/** String equality whose time does not depend on where the strings differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
