// The one ClickHouse client module. Statements are SqlFragments (values rendered by sql.ts), rows are
// validated with zod at the boundary, and every statement can be recorded for the conformance check.
import { appendFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import type { ClickHouseConfig } from '../config/env.ts';
import { databaseIdent, ident, sql, SqlFragment } from './sql.ts';

export class WarehouseError extends Error {
  override name = 'WarehouseError';
}

/**
 * Whose data a statement touches. Org-scoped statements must filter on that org; the check is
 * textual (the literal `org = '<org>'` must appear), which catches a forgotten filter at the call site.
 */
export type Scope = { org: string } | 'system';

export interface Warehouse {
  readonly database: string;
  /** Runs a SELECT and validates every row; a row that does not match the schema throws. */
  query<S extends z.ZodType>(statement: SqlFragment, row: S, scope: Scope): Promise<z.output<S>[]>;
  /** Runs DDL or a mutation. */
  command(statement: SqlFragment, scope: Scope): Promise<void>;
  /** Inserts rows (every column present: 18.16 does not fill DEFAULTs for JSONEachRow). */
  insert(table: string, rows: readonly object[]): Promise<void>;
  /**
   * Inserts rows already serialised as JSON lines (the collector's hot path). Chunks are streamed
   * to the server as they are, so a caller holding many buffers never joins them into one copy.
   */
  insertJsonLines(table: string, lines: string | Buffer | readonly (string | Buffer)[], rowCount: number): Promise<void>;
  /** Creates the database if missing (runs against `default`). */
  ensureDatabase(): Promise<void>;
  ping(): Promise<boolean>;
  serverVersion(): Promise<string>;
  close(): Promise<void>;
}

function assertScoped(statement: SqlFragment, scope: Scope): void {
  if (scope === 'system') return;
  const needle = sql`org = ${scope.org}`.text;
  if (!statement.text.includes(needle)) {
    throw new WarehouseError(`statement is not scoped to organisation ${scope.org}: missing ${needle}`);
  }
}

type Recorder = (entry: Record<string, unknown>) => void;

function createRecorder(file: string | undefined): Recorder | undefined {
  if (!file) return undefined;
  return (entry) => appendFileSync(file, JSON.stringify(entry) + '\n');
}

export function createWarehouse(config: ClickHouseConfig): Warehouse {
  const common = {
    url: config.url,
    username: config.user,
    password: config.password,
    request_timeout: 300_000,
    // 18.16 closes idle keep-alive sockets after 3 s; reusing one later fails with EPIPE.
    keep_alive: { idle_socket_ttl: 2500 },
    compression: { request: false, response: false },
    clickhouse_settings: {},
    // Errors surface as exceptions to our callers, who log them with context; the client's own logging would double them.
    log: { level: ClickHouseLogLevel.OFF },
  };
  const client: ClickHouseClient = createClient({ ...common, database: config.database });
  const record = createRecorder(config.recordFile);
  const database = config.database;

  async function queryRows(statement: SqlFragment, row: z.ZodType, scope: Scope): Promise<unknown[]> {
    assertScoped(statement, scope);
    const result = await client.query({ query: statement.text, format: 'JSONEachRow' });
    const raw = await result.json<Record<string, unknown>>();
    record?.({ kind: 'query', database, sql: statement.text, rows: raw });
    return raw.map((r, i) => {
      const parsed = row.safeParse(r);
      if (!parsed.success) {
        throw new WarehouseError(`row ${i} does not match its schema: ${parsed.error.message}\nSQL: ${statement.text}`);
      }
      return parsed.data;
    });
  }

  return {
    database,
    query: queryRows as Warehouse['query'],
    async command(statement, scope) {
      assertScoped(statement, scope);
      await client.command({ query: statement.text });
      record?.({ kind: 'command', database, sql: statement.text });
    },
    async insert(table, rows) {
      if (rows.length === 0) return;
      await client.insert({ table: ident(table).text, values: rows as object[], format: 'JSONEachRow' });
      record?.({ kind: 'insert', database, table, rows });
    },
    async insertJsonLines(table, lines, rowCount) {
      if (rowCount === 0) return;
      // exec streams the text as-is; insert() would JSON-encode each chunk again.
      const result = await client.exec({
        query: `INSERT INTO ${ident(table).text} FORMAT JSONEachRow`,
        values: Readable.from(typeof lines === 'string' || Buffer.isBuffer(lines) ? [lines] : lines),
      });
      result.stream.resume();
      record?.({ kind: 'insert', database, table, lines: typeof lines === 'string' || Buffer.isBuffer(lines) ? lines.toString() : lines.join('') });
    },
    async ensureDatabase() {
      const admin = createClient({ ...common, database: 'default' });
      try {
        const statement = sql`CREATE DATABASE IF NOT EXISTS ${databaseIdent(database)}`;
        await admin.command({ query: statement.text });
        record?.({ kind: 'command', database: 'default', sql: statement.text });
      } finally {
        await admin.close();
      }
    },
    async ping() {
      const result = await client.ping();
      return result.success;
    },
    async serverVersion() {
      const rows = await queryRows(new SqlFragment('SELECT version() AS version'), z.object({ version: z.string() }), 'system');
      return (rows[0] as { version: string }).version;
    },
    close: () => client.close(),
  };
}
