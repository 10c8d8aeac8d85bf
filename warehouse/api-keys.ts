// Ingest and read keys. A key is `wp_<scope>_<id>_<secret>`; only sha256(secret) is stored, and the
// comparison is constant-time. The org always comes from the key, never from the request.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Warehouse } from './client.ts';
import { formatDateTime } from './row-values.ts';
import { sql } from './sql.ts';

export const KEY_SCOPES = ['ingest', 'read'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

export interface VerifiedKey {
  org: string;
  id: string;
  scope: KeyScope;
}

const KEY_PATTERN = /^wp_(ingest|read)_([a-f0-9]{12})_([A-Za-z0-9_-]{32,64})$/;

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

const keyRow = z.object({
  org: z.string(),
  id: z.string(),
  scope: z.enum(KEY_SCOPES),
  secret_hash: z.string(),
  created_at: z.string(),
  revoked: z.coerce.number(),
});

/** Creates a key and returns it in full; this is the only time the secret exists outside the caller. */
export async function createApiKey(warehouse: Warehouse, org: string, scope: KeyScope): Promise<{ id: string; key: string }> {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const now = formatDateTime(Date.now());
  await warehouse.insert('api_keys', [
    { org, id, scope, secret_hash: hashSecret(secret), created_at: now, revoked: 0, updated_at: now },
  ]);
  return { id, key: `wp_${scope}_${id}_${secret}` };
}

export async function listApiKeys(warehouse: Warehouse, org: string) {
  const rows = await warehouse.query(
    sql`SELECT org, id, scope, secret_hash, created_at, revoked FROM api_keys FINAL WHERE org = ${org} ORDER BY created_at, id`,
    keyRow,
    { org },
  );
  const lastUse = await keyLastUse(warehouse, org);
  return rows.map(({ secret_hash: _hash, ...rest }) => ({ ...rest, revoked: rest.revoked === 1, lastUsedAt: lastUse.get(rest.id) ?? null }));
}

export async function revokeApiKey(warehouse: Warehouse, org: string, id: string): Promise<boolean> {
  const rows = await warehouse.query(
    sql`SELECT org, id, scope, secret_hash, created_at, revoked FROM api_keys FINAL WHERE org = ${org} AND id = ${id}`,
    keyRow,
    { org },
  );
  const row = rows[0];
  if (!row) return false;
  await warehouse.insert('api_keys', [{ ...row, revoked: 1, updated_at: formatDateTime(Date.now() + 1000) }]);
  return true;
}

/** Resolves a presented key to its org and scope, or undefined for anything not a live key. */
export async function verifyApiKey(warehouse: Warehouse, presented: string, scope: KeyScope): Promise<VerifiedKey | undefined> {
  const match = KEY_PATTERN.exec(presented);
  if (!match || match[1] !== scope) return undefined;
  const [, , id, secret] = match as unknown as [string, KeyScope, string, string];
  const rows = await warehouse.query(
    sql`SELECT org, id, scope, secret_hash, created_at, revoked FROM api_keys FINAL WHERE id = ${id}`,
    keyRow,
    'system',
  );
  const row = rows[0];
  if (!row || row.revoked === 1 || row.scope !== scope) return undefined;
  const expected = Buffer.from(row.secret_hash, 'hex');
  const actual = Buffer.from(hashSecret(secret), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
  const verified = { org: row.org, id: row.id, scope: row.scope };
  noteKeyUse(warehouse, verified);
  return verified;
}

/** Last use is kept to the minute: one write per key per minute per process, never one per request. */
const USE_RESOLUTION_MS = 60_000;
const lastNoted = new Map<string, number>();

function noteKeyUse(warehouse: Warehouse, key: VerifiedKey, now = Date.now()): void {
  if (now - (lastNoted.get(key.id) ?? 0) < USE_RESOLUTION_MS) return;
  lastNoted.set(key.id, now);
  // Best effort: a failed write must not fail the request the key authorised.
  warehouse.insert('key_usage', [{ org: key.org, key_id: key.id, last_used_at: formatDateTime(now) }]).catch(() => lastNoted.delete(key.id));
}

const usageRow = z.object({ key_id: z.string(), last_used: z.string() });

/** When each of the organisation's keys was last used (to the minute), by key id. */
export async function keyLastUse(warehouse: Warehouse, org: string): Promise<Map<string, string>> {
  const rows = await warehouse.query(
    sql`SELECT key_id, toString(max(last_used_at)) AS last_used FROM key_usage WHERE org = ${org} GROUP BY key_id`,
    usageRow,
    { org },
  );
  return new Map(rows.map((r) => [r.key_id, r.last_used]));
}
