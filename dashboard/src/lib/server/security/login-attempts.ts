// The shared store behind SharedLoginThrottle: sign-in attempts appended to ClickHouse
// (login_attempts, migration 032) and read back per key for the lockout window. Keys are stored as
// sha256 of kind and value: the table needs equality, not the e-mail (people type passwords into the
// e-mail field) or the address.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Warehouse } from '$warehouse/client.ts';
import { formatDateTime } from '$warehouse/row-values.ts';
import { sql } from '$warehouse/sql.ts';
import type { Attempt, AttemptStore } from './login-throttle.ts';

function keyHash(kind: Attempt['kind'], key: string): string {
  return createHash('sha256').update(`${kind}\0${key}`).digest('hex');
}

// outcome: 0 an attempt (a failure unless taken back), 1 a success (clears the e-mail), 2 a release.
const OUTCOMES = ['attempt', 'success', 'release'] as const;

const attemptRow = z.object({
  kind: z.enum(['email', 'address']),
  key_hash: z.string(),
  outcome: z.coerce.number().int().min(0).max(2),
  attempt_id: z.string(),
  at_ms: z.coerce.number(),
});

export function clickHouseAttemptStore(warehouse: Warehouse): AttemptStore {
  return {
    async append(attempts) {
      await warehouse.insert(
        'login_attempts',
        attempts.map((a) => ({
          key_hash: keyHash(a.kind, a.key),
          kind: a.kind,
          outcome: OUTCOMES.indexOf(a.outcome),
          attempt_id: a.id,
          at: formatDateTime(a.atMs),
          at_ms: a.atMs,
        })),
      );
    },
    async since(keys, sinceMs) {
      if (keys.length === 0) return [];
      const hashes = keys.map((k) => keyHash(k.kind, k.key));
      // Attempts are not any organisation's (the e-mail may be unknown): a system read. `at` bounds
      // the partitions read; at_ms orders within a second.
      const rows = await warehouse.query(
        sql`SELECT kind, key_hash, outcome, attempt_id, at_ms FROM login_attempts
            WHERE has(${hashes}, key_hash) AND at >= ${new Date(Math.floor(sinceMs / 1000) * 1000)} AND at_ms >= ${sinceMs}
            ORDER BY at_ms, outcome, kind, key_hash, attempt_id`,
        attemptRow,
        'system',
      );
      return rows.map((r) => ({ kind: r.kind, key: r.key_hash, outcome: OUTCOMES[r.outcome] ?? 'attempt', id: r.attempt_id, atMs: r.at_ms }));
    },
  };
}
