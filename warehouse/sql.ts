// The one way values reach SQL. ClickHouse 18.16 has no server-side parameters, so every value is
// rendered here as a typed literal by the `sql` tag; the client accepts nothing but SqlFragments.
import { isKnownTimezone } from '../contracts/directory.ts';

const FRAGMENT = Symbol('SqlFragment');

export class SqlFragment {
  readonly [FRAGMENT] = true;
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export class SqlValueError extends Error {
  override name = 'SqlValueError';
}

/** A calendar day, rendered as toDate('YYYY-MM-DD'). */
export class SqlDay {
  constructor(readonly value: string) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      throw new SqlValueError(`not a day: ${JSON.stringify(value)}`);
    }
  }
}

/** An IANA timezone, checked against the runtime's list before it is quoted. */
export class SqlTimezone {
  constructor(readonly value: string) {
    if (!isKnownTimezone(value)) throw new SqlValueError(`unknown timezone: ${JSON.stringify(value)}`);
  }
}

export type SqlValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Date
  | SqlDay
  | SqlTimezone
  | SqlFragment
  | readonly SqlValue[];

/**
 * Tables and columns that may be named dynamically. Anything else passed to ident() is refused,
 * so a caller can never turn input into an identifier.
 */
const IDENTIFIER_ALLOWLIST = new Set([
  'events',
  'people',
  'departments',
  'orgs',
  'api_keys',
  'users',
  'sessions',
  'job_runs',
  'job_rebuilds',
  'job_rebuilds_done',
  'schema_migrations',
  'rollup_versions',
  'activity_daily',
  'headcount_daily',
  'response_daily',
  'message_daily',
  'response_stage',
  'response_kind_daily',
  'group_weekly',
  'activity_hourly',
  'activity_stage',
  'approval_daily',
  'task_daily',
  'meeting_daily',
  'doc_weekly',
  'adoption_people',
  'waves',
  'org_settings',
  'rollout_results',
  'key_usage',
  'ingest_stats',
  'job_locks',
  'audit_log',
  'org_privacy',
  'org_secrets',
  'login_attempts',
  // person-id columns that warehouse/people-erasure.ts names
  'actor',
  'id',
  'manager',
  'person',
]);

/** A table or column name from the allowlist, back-quoted. */
export function ident(name: string): SqlFragment {
  if (!IDENTIFIER_ALLOWLIST.has(name)) throw new SqlValueError(`identifier not allowed: ${JSON.stringify(name)}`);
  return new SqlFragment(`\`${name}\``);
}

/** A database name: only plain identifiers (validated config or generated test names). */
export function databaseIdent(name: string): SqlFragment {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) {
    throw new SqlValueError(`database name not allowed: ${JSON.stringify(name)}`);
  }
  return new SqlFragment(`\`${name}\``);
}

export function day(value: string): SqlDay {
  return new SqlDay(value);
}

export function timezone(value: string): SqlTimezone {
  return new SqlTimezone(value);
}

/** SQL text from a file we ship (migrations). Never call this with anything a user supplied. */
export function trustedSql(text: string): SqlFragment {
  return new SqlFragment(text);
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
  '\r': '\\r',
  '\n': '\\n',
  '\t': '\\t',
};

/** A string literal ClickHouse reads back byte for byte; no input can end it early. */
export function quoteString(value: string): string {
  if (!value.isWellFormed()) throw new SqlValueError('string contains a lone surrogate');
  // eslint-disable-next-line no-control-regex
  const body = value.replace(/[\\'\0\b\f\r\n\t\x01-\x1f\x7f]/g, (ch) => {
    return ESCAPES[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return `'${body}'`;
}

function formatDateTime(value: Date): string {
  const ms = value.getTime();
  if (Number.isNaN(ms)) throw new SqlValueError('invalid Date');
  const text = value.toISOString().slice(0, 19).replace('T', ' ');
  return `toDateTime('${text}', 'UTC')`;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new SqlValueError(`number must be finite, got ${value}`);
  if (Number.isInteger(value)) {
    if (!Number.isSafeInteger(value)) throw new SqlValueError(`integer ${value} is not exactly representable`);
    return String(value);
  }
  return String(value);
}

export function formatValue(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (value instanceof SqlFragment) return value.text;
  if (value instanceof SqlDay) return `toDate('${value.value}')`;
  if (value instanceof SqlTimezone) return quoteString(value.value);
  if (value instanceof Date) return formatDateTime(value);
  if (Array.isArray(value)) return `[${value.map((v: SqlValue) => formatValue(v)).join(', ')}]`;
  switch (typeof value) {
    case 'string':
      return quoteString(value);
    case 'number':
      return formatNumber(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? '1' : '0';
    default:
      throw new SqlValueError(`cannot format ${typeof value} as SQL`);
  }
}

/** Tagged template: sql`SELECT … WHERE org = ${org}` renders each value as a literal. */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): SqlFragment {
  let text = strings[0] ?? '';
  values.forEach((value, i) => {
    text += formatValue(value) + (strings[i + 1] ?? '');
  });
  return new SqlFragment(text);
}

/** Joins fragments (e.g. optional WHERE clauses) with a separator. */
export function joinSql(parts: readonly SqlFragment[], separator: string): SqlFragment {
  return new SqlFragment(parts.map((p) => p.text).join(separator));
}
