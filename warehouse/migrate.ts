// Applies the numbered, forward-only migrations in warehouse/migrations. Every statement is
// idempotent (IF NOT EXISTS), so two processes migrating at once, or a rerun, are harmless.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Warehouse } from './client.ts';
import { ddlFeatures, parseAddColumnIfNotExists, renderDdl, type DdlFeatures } from './ddl-variant.ts';
import { formatDateTime } from './row-values.ts';
import { sql, trustedSql } from './sql.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

/** Reads `NNN_name.sql` files in order; a file is split into statements at `;` line ends. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const body = text
        .split('\n')
        .filter((line) => !line.trimStart().startsWith('--'))
        .join('\n');
      return {
        version: Number(file.slice(0, 3)),
        name: file.replace(/\.sql$/, ''),
        statements: body
          .split(/;\s*(?:\n|$)/)
          .map((s) => s.trim())
          .filter(Boolean),
      };
    });
}

const appliedRow = z.object({ version: z.coerce.number() });
const countRow = z.object({ n: z.coerce.number() });

/**
 * Runs one statement. 18.16 cannot parse `ADD COLUMN IF NOT EXISTS`: there it looks the column up
 * first, and a concurrent migrator that added it in between is not an error either.
 */
async function apply(warehouse: Warehouse, statement: string, features: DdlFeatures): Promise<void> {
  const rendered = renderDdl(statement, features);
  const addColumn = features.addColumnIfNotExists ? undefined : parseAddColumnIfNotExists(rendered);
  if (!addColumn) {
    await warehouse.command(trustedSql(rendered), 'system');
    return;
  }
  const exists = async () =>
    ((
      await warehouse.query(
        sql`SELECT count() AS n FROM system.columns WHERE database = currentDatabase() AND table = ${addColumn.table} AND name = ${addColumn.column}`,
        countRow,
        'system',
      )
    )[0]?.n ?? 0) > 0;
  if (await exists()) return;
  try {
    await warehouse.command(trustedSql(addColumn.plain), 'system');
  } catch (err) {
    if (!(await exists())) throw err;
  }
}

/** Brings the database up to the latest migration; returns the names it applied this time. */
export async function migrate(warehouse: Warehouse): Promise<string[]> {
  await warehouse.ensureDatabase();
  const features = ddlFeatures(await warehouse.serverVersion());
  await warehouse.command(
    trustedSql(
      `CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, name String, applied_at DateTime('UTC'))
       ENGINE = ReplacingMergeTree(applied_at) ORDER BY version`,
    ),
    'system',
  );
  const applied = new Set(
    (await warehouse.query(sql`SELECT DISTINCT version FROM schema_migrations`, appliedRow, 'system')).map((r) => r.version),
  );
  const done: string[] = [];
  for (const migration of readMigrations()) {
    if (applied.has(migration.version)) continue;
    for (const statement of migration.statements) await apply(warehouse, statement, features);
    await warehouse.insert('schema_migrations', [
      { version: migration.version, name: migration.name, applied_at: formatDateTime(new Date()) },
    ]);
    done.push(migration.name);
  }
  return done;
}

