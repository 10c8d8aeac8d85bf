// Dashboard sign-in sessions. The browser holds a random 32-byte token; only its sha256 is stored,
// so a leaked sessions table cannot be replayed. Sessions expire and can be revoked.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Warehouse } from './client.ts';
import { formatDateTime } from './row-values.ts';
import { sql } from './sql.ts';

export const SESSION_TTL_MS = 12 * 3600 * 1000;

/** How a session was signed in: a password here, or the organisation's OpenID provider. */
export type SignInMethod = 'password' | 'oidc';

export interface Session {
  email: string;
  org: string;
  expiresAt: Date;
  signedInWith: SignInMethod;
}

export interface SessionOptions {
  /** Defaults to Date.now(); tests pass their own clock. */
  now?: number;
  ttlMs?: number;
}

// 32 random bytes in base64url: exactly 43 characters.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const sessionRow = z.object({
  email: z.string(),
  org: z.string(),
  signed_in_with: z.enum(['password', 'oidc']).catch('password'),
  expires_at: z.string(),
  revoked: z.coerce.number(),
});
type SessionRow = z.output<typeof sessionRow>;

/** DateTime('UTC') comes back as `YYYY-MM-DD hh:mm:ss` without a zone. */
function parseUtc(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}Z`);
}

async function findSessionRow(warehouse: Warehouse, token: string): Promise<SessionRow | undefined> {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  // The token is the credential and the org is not known until it is found: a system read.
  const rows = await warehouse.query(
    sql`SELECT email, org, signed_in_with, toString(expires_at) AS expires_at, revoked FROM sessions FINAL WHERE id_hash = ${hashToken(token)} LIMIT 1`,
    sessionRow,
    'system',
  );
  return rows[0];
}

/** Starts a session for a user and returns its token; this is the only time the token exists in clear. */
export async function createSession(
  warehouse: Warehouse,
  user: { email: string; org: string },
  options: SessionOptions & { signedInWith?: SignInMethod } = {},
): Promise<string> {
  const now = options.now ?? Date.now();
  const token = randomBytes(32).toString('base64url');
  await warehouse.insert('sessions', [
    {
      id_hash: hashToken(token),
      email: user.email,
      org: user.org,
      signed_in_with: options.signedInWith ?? 'password',
      expires_at: formatDateTime(now + (options.ttlMs ?? SESSION_TTL_MS)),
      revoked: 0,
      updated_at: formatDateTime(now),
    },
  ]);
  return token;
}

/** The live session for a token, or undefined if it is unknown, expired or revoked. */
export async function findSession(
  warehouse: Warehouse,
  token: string,
  options: Pick<SessionOptions, 'now'> = {},
): Promise<Session | undefined> {
  const row = await findSessionRow(warehouse, token);
  if (!row || row.revoked === 1) return undefined;
  const expiresAt = parseUtc(row.expires_at);
  if (!(expiresAt.getTime() > (options.now ?? Date.now()))) return undefined;
  return { email: row.email, org: row.org, expiresAt, signedInWith: row.signed_in_with };
}

/** Ends a session (sign-out). Unknown tokens are ignored. */
export async function revokeSession(warehouse: Warehouse, token: string): Promise<void> {
  const row = await findSessionRow(warehouse, token);
  if (!row || row.revoked === 1) return;
  await warehouse.insert('sessions', [
    {
      id_hash: hashToken(token),
      email: row.email,
      org: row.org,
      signed_in_with: row.signed_in_with,
      expires_at: row.expires_at,
      revoked: 1,
      // One second ahead, so the revocation outranks a row written in the same second.
      updated_at: formatDateTime(Date.now() + 1000),
    },
  ]);
}

const liveSessionRow = z.object({ id_hash: z.string(), email: z.string(), org: z.string(), signed_in_with: z.string(), expires: z.string() });

/** Ends every live session of a user (sign-out everywhere, or after a password change); returns how many. */
export async function revokeUserSessions(warehouse: Warehouse, user: { email: string; org: string }, options: Pick<SessionOptions, 'now'> = {}): Promise<number> {
  const now = options.now ?? Date.now();
  // `expires`, not `expires_at`: an alias named like the column would shadow it in WHERE.
  const rows = await warehouse.query(
    sql`SELECT id_hash, email, org, signed_in_with, toString(expires_at) AS expires FROM sessions FINAL
        WHERE org = ${user.org} AND email = ${user.email} AND revoked = 0 AND expires_at > ${new Date(now)}`,
    liveSessionRow,
    { org: user.org },
  );
  if (rows.length === 0) return 0;
  const updatedAt = formatDateTime(now + 1000);
  await warehouse.insert('sessions', rows.map(({ expires, ...r }) => ({ ...r, expires_at: expires, revoked: 1, updated_at: updatedAt })));
  return rows.length;
}
