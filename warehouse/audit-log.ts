// The audit log: who signed in (or failed to), opened which page, exported what, changed which
// setting or key, erased whom. Append-only (MergeTree, no updates); read per organisation.
import { z } from 'zod';
import type { Warehouse } from './client.ts';
import { formatDateTime } from './row-values.ts';
import { sql } from './sql.ts';

export const AUDIT_ACTIONS = [
  'sign_in.success',
  'sign_in.failure',
  'sign_in.locked',
  'sign_out',
  'sign_out.everywhere',
  'page.view',
  'api.read',
  'export',
  'access.denied',
  'settings.change',
  'key.create',
  'key.revoke',
  'user.create',
  'person.erase',
  'retention.set',
  'retention.purge',
  'pseudonymisation.enable',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  /** The organisation the action concerns; '' when unknown (a failed sign-in for an unknown email). */
  org: string;
  /** Who acted: a user's email, `key:<id>` for a read token, `cli` for the command line, `system` for jobs. */
  actor: string;
  action: AuditAction;
  /** What was acted on: a path, a key id, a settings section, an email. */
  target: string;
  /** Anything else worth keeping (filters, reason); never a password, token or message content. */
  detail?: string | Record<string, unknown>;
  /** The client address, when the action came over HTTP. */
  ip?: string;
  /** Defaults to now; tests pass their own. */
  time?: Date | number;
}

// Columns are bounded so a hostile path or header cannot bloat the log.
const MAX_FIELD = 512;
const MAX_DETAIL = 4096;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function toRow(entry: AuditEntry) {
  const detail = entry.detail === undefined ? '' : typeof entry.detail === 'string' ? entry.detail : JSON.stringify(entry.detail);
  return {
    org: clip(entry.org, MAX_FIELD),
    time: formatDateTime(entry.time ?? Date.now()),
    actor: clip(entry.actor, MAX_FIELD),
    action: entry.action,
    target: clip(entry.target, MAX_FIELD),
    detail: clip(detail, MAX_DETAIL),
    ip: clip(entry.ip ?? '', 64),
  };
}

/** Appends one entry. Awaited by callers: an action whose audit entry cannot be written should fail. */
export async function audit(warehouse: Warehouse, entry: AuditEntry): Promise<void> {
  await warehouse.insert('audit_log', [toRow(entry)]);
}

/** Appends several entries in one insert (the dashboard's page-view buffer). */
export async function auditMany(warehouse: Warehouse, entries: readonly AuditEntry[]): Promise<void> {
  await warehouse.insert('audit_log', entries.map(toRow));
}

export const auditRowSchema = z.object({
  org: z.string(),
  /** `YYYY-MM-DD hh:mm:ss` UTC. */
  time: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  detail: z.string(),
  ip: z.string(),
});
export type AuditRow = z.output<typeof auditRowSchema>;

export interface ListAuditOptions {
  /** Only these actions (default: all). */
  actions?: readonly AuditAction[];
  /** Inclusive UTC bounds. */
  since?: Date;
  until?: Date;
  /** Newest first, at most this many (default 200, at most 5000). */
  limit?: number;
}

/** An organisation's audit entries, newest first; for the admin view and tests. */
export async function listAuditLog(warehouse: Warehouse, org: string, options: ListAuditOptions = {}): Promise<AuditRow[]> {
  const limit = Math.max(1, Math.min(5000, Math.trunc(options.limit ?? 200)));
  const actions = options.actions ?? AUDIT_ACTIONS;
  const since = options.since ?? new Date(0);
  const until = options.until ?? new Date('2100-01-01T00:00:00Z');
  // The text column is `at`, not `time`: an alias named like the column would shadow it in WHERE.
  const rows = await warehouse.query(
    sql`SELECT org, toString(time) AS at, actor, action, target, detail, ip FROM audit_log
        WHERE org = ${org} AND has(${actions}, action) AND time >= ${since} AND time <= ${until}
        ORDER BY audit_log.time DESC, action, target, actor, detail, ip LIMIT ${limit}`,
    auditRowSchema.omit({ time: true }).extend({ at: z.string() }),
    { org },
  );
  return rows.map(({ at, ...rest }) => ({ ...rest, time: at }));
}
