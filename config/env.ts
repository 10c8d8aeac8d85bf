// Every environment variable Waypoint reads, parsed once with zod. Deployables call loadConfig() in
// their main() and pass the parts down; no other module reads process.env. Documented in docs/operations.md.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .default('0')
  .transform((v) => v === '1' || v === 'true');

export const envSchema = z.object({
  CLICKHOUSE_URL: z.url().optional(),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  /** Instead of CLICKHOUSE_PASSWORD: a file holding it, readable only by its owner (and group). */
  CLICKHOUSE_PASSWORD_FILE: z.string().optional(),
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be a plain identifier')
    .default('waypoint'),
  WAYPOINT_DATA_DIR: z.string().default('.data'),
  WAYPOINT_CLICKHOUSE_HTTP_PORT: port.default(18123),
  WAYPOINT_CLICKHOUSE_TCP_PORT: port.default(19000),
  COLLECTOR_HOST: z.string().default('127.0.0.1'),
  COLLECTOR_PORT: port.default(8787),
  // The collector (docs/operations.md, "Collector"): spool, flusher, limits at the edge.
  /** Where acknowledged events wait for ClickHouse; default <WAYPOINT_DATA_DIR>/spool. */
  COLLECTOR_SPOOL_DIR: z.string().optional(),
  /** Above this many spooled bytes new batches get 503 + Retry-After (ClickHouse is behind or down). */
  COLLECTOR_SPOOL_MAX_BYTES: positiveInt.default(2 * 1024 ** 3),
  COLLECTOR_SEGMENT_MAX_BYTES: positiveInt.default(64 * 1024 ** 2),
  /** At most one insert per interval unless a full batch (COLLECTOR_FLUSH_MAX_ROWS) is waiting. */
  COLLECTOR_FLUSH_INTERVAL_MS: positiveInt.default(1000),
  COLLECTOR_FLUSH_MAX_ROWS: positiveInt.default(60_000),
  /** Worker threads that parse and validate request bodies (0: all on the main thread). */
  COLLECTOR_PARSE_WORKERS: z.coerce.number().int().min(0).max(16).default(1),
  COLLECTOR_RETRY_MAX_MS: positiveInt.default(10_000),
  COLLECTOR_DRAIN_TIMEOUT_MS: positiveInt.default(30_000),
  /** How often the collector writes its ingestion counters to ingest_stats (0: never); best-effort, never delays a 202. */
  COLLECTOR_STATS_INTERVAL_MS: z.coerce.number().int().min(0).default(15_000),
  /** Per ingest key: sustained events per second and the burst above it. */
  COLLECTOR_RATE_LIMIT_EVENTS_PER_SEC: positiveInt.default(100_000),
  COLLECTOR_RATE_LIMIT_BURST: positiveInt.default(200_000),
  /** Decoded (after gzip) body limits: a {"events":[…]} body is held whole, NDJSON is streamed. */
  COLLECTOR_MAX_BODY_BYTES: positiveInt.default(5 * 1024 ** 2),
  COLLECTOR_MAX_NDJSON_BYTES: positiveInt.default(64 * 1024 ** 2),
  /** A request body must arrive within this time (slow-loris guard). */
  COLLECTOR_BODY_TIMEOUT_MS: positiveInt.default(30_000),
  DASHBOARD_HOST: z.string().default('127.0.0.1'),
  DASHBOARD_PORT: port.default(3000),
  WAYPOINT_K_ANONYMITY: z.coerce.number().int().min(5).default(5),
  WAYPOINT_SECURE_COOKIES: flag,
  // Optional OIDC sign-in (docs/security.md, "OIDC sign-in"); on when WAYPOINT_OIDC_ISSUER is set.
  WAYPOINT_OIDC_ISSUER: z.url().optional(),
  WAYPOINT_OIDC_CLIENT_ID: z.string().min(1).max(256).optional(),
  /** A file holding the client secret (not the secret itself: it would show in `ps` and crash dumps). */
  WAYPOINT_OIDC_CLIENT_SECRET_FILE: z.string().optional(),
  /** Shown on the login page as "Sign in with <name>". */
  WAYPOINT_OIDC_PROVIDER_NAME: z.string().trim().min(1).max(60).default('single sign-on'),
  /** When set, a verified e-mail with no account gets one in this organisation with WAYPOINT_OIDC_DEFAULT_ROLE. */
  WAYPOINT_OIDC_AUTO_PROVISION_ORG: z.string().optional(),
  /** Never admin (too much to hand out by default) nor department manager (needs a department). */
  WAYPOINT_OIDC_DEFAULT_ROLE: z.enum(['executive', 'change_manager', 'hr']).optional(),
  WAYPOINT_RECORD_SQL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.output<typeof envSchema>;

export interface ClickHouseConfig {
  /** Set when the user points Waypoint at their own server; otherwise the local one is managed. */
  url: string;
  managed: boolean;
  user: string;
  password: string;
  database: string;
  /** A file to append every statement and its result to (see docs/clickhouse.md); off when unset. */
  recordFile?: string;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  providerName: string;
  /** Accounts for unknown verified e-mails: the organisation and role are the operator's, never a claim. */
  autoProvision?: { org: string; role: 'executive' | 'change_manager' | 'hr' };
}

export interface Config {
  env: Env;
  dataDir: string;
  clickhouse: ClickHouseConfig;
  /** Present when OIDC sign-in is configured. */
  oidc?: OidcConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration in the environment:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.WAYPOINT_DATA_DIR);
  if (env.CLICKHOUSE_PASSWORD_FILE !== undefined && env.CLICKHOUSE_PASSWORD !== '') {
    throw new ConfigError('set CLICKHOUSE_PASSWORD or CLICKHOUSE_PASSWORD_FILE, not both');
  }
  const oidc = oidcConfig(env);
  return {
    env,
    dataDir,
    ...(oidc ? { oidc } : {}),
    clickhouse: {
      url: env.CLICKHOUSE_URL ?? `http://127.0.0.1:${env.WAYPOINT_CLICKHOUSE_HTTP_PORT}`,
      managed: env.CLICKHOUSE_URL === undefined,
      user: env.CLICKHOUSE_USER,
      password: env.CLICKHOUSE_PASSWORD_FILE === undefined ? env.CLICKHOUSE_PASSWORD : readSecretFile(env.CLICKHOUSE_PASSWORD_FILE, 'CLICKHOUSE_PASSWORD_FILE'),
      database: env.CLICKHOUSE_DATABASE,
      ...(env.WAYPOINT_RECORD_SQL ? { recordFile: path.resolve(env.WAYPOINT_RECORD_SQL) } : {}),
    },
  };
}

function oidcConfig(env: Env): OidcConfig | undefined {
  const issuer = env.WAYPOINT_OIDC_ISSUER;
  if (issuer === undefined) {
    if (env.WAYPOINT_OIDC_CLIENT_ID !== undefined) throw new ConfigError('WAYPOINT_OIDC_CLIENT_ID is set but WAYPOINT_OIDC_ISSUER is not');
    return undefined;
  }
  if (env.WAYPOINT_OIDC_CLIENT_ID === undefined) throw new ConfigError('WAYPOINT_OIDC_ISSUER is set: WAYPOINT_OIDC_CLIENT_ID is required too');
  if (env.WAYPOINT_OIDC_CLIENT_SECRET_FILE === undefined) throw new ConfigError('WAYPOINT_OIDC_ISSUER is set: WAYPOINT_OIDC_CLIENT_SECRET_FILE is required too');
  const org = env.WAYPOINT_OIDC_AUTO_PROVISION_ORG;
  const role = env.WAYPOINT_OIDC_DEFAULT_ROLE;
  if ((org === undefined) !== (role === undefined)) {
    throw new ConfigError('WAYPOINT_OIDC_AUTO_PROVISION_ORG and WAYPOINT_OIDC_DEFAULT_ROLE go together: set both or neither');
  }
  return {
    // Compared byte for byte with the ID token's `iss`, which never carries a trailing slash added by URL parsing.
    issuer: issuer.replace(/\/+$/, ''),
    clientId: env.WAYPOINT_OIDC_CLIENT_ID,
    clientSecret: readSecretFile(env.WAYPOINT_OIDC_CLIENT_SECRET_FILE, 'WAYPOINT_OIDC_CLIENT_SECRET_FILE'),
    providerName: env.WAYPOINT_OIDC_PROVIDER_NAME,
    ...(org !== undefined && role !== undefined ? { autoProvision: { org, role } } : {}),
  };
}

/**
 * A secret from a file (Docker/Kubernetes secrets, a file only the service user can read). Refused
 * when others can read it or anyone but the owner can write it: a secret that the rest of the machine
 * can read is no longer one, and a writable one can be swapped. Trailing newlines are dropped.
 */
export function readSecretFile(file: string, variable: string): string {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    throw new ConfigError(`${variable}: cannot read ${file}`);
  }
  if (!stat.isFile()) throw new ConfigError(`${variable}: ${file} is not a file`);
  if ((stat.mode & 0o027) !== 0) {
    throw new ConfigError(`${variable}: ${file} is readable by others or writable by its group (mode ${(stat.mode & 0o777).toString(8)}); run chmod 600 (or 640) on it`);
  }
  const secret = readFileSync(file, 'utf8').replace(/[\r\n]+$/, '');
  if (secret === '') throw new ConfigError(`${variable}: ${file} is empty`);
  return secret;
}
