// Every environment variable Waypoint reads, parsed once with zod. Deployables call loadConfig() in
// their main() and pass the parts down; no other module reads process.env. Documented in docs/operations.md.
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

export interface Config {
  env: Env;
  dataDir: string;
  clickhouse: ClickHouseConfig;
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
  return {
    env,
    dataDir,
    clickhouse: {
      url: env.CLICKHOUSE_URL ?? `http://127.0.0.1:${env.WAYPOINT_CLICKHOUSE_HTTP_PORT}`,
      managed: env.CLICKHOUSE_URL === undefined,
      user: env.CLICKHOUSE_USER,
      password: env.CLICKHOUSE_PASSWORD,
      database: env.CLICKHOUSE_DATABASE,
      ...(env.WAYPOINT_RECORD_SQL ? { recordFile: path.resolve(env.WAYPOINT_RECORD_SQL) } : {}),
    },
  };
}
