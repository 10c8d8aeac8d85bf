// Migrations are forward-only and idempotent: twice in a row, or two processes at once, is harmless.
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createWarehouse } from '../../warehouse/client.ts';
import { migrate, readMigrations } from '../../warehouse/migrate.ts';
import { databaseIdent, sql } from '../../warehouse/sql.ts';
import { testClickHouseConfig } from '../support/test-warehouse.ts';

const config = testClickHouseConfig();
const a = createWarehouse(config);
const b = createWarehouse(config);
afterAll(async () => {
  await a.command(sql`DROP DATABASE IF EXISTS ${databaseIdent(config.database)}`, 'system');
  await Promise.all([a.close(), b.close()]);
});

describe('migrate', () => {
  it('every migration file opens with a comment saying what it does', () => {
    const migrations = readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    const versions = migrations.map((m) => m.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
  });

  it('runs concurrently from two clients and then again, ending with every table once', async () => {
    await Promise.all([migrate(a), migrate(b)]);
    expect(await migrate(a)).toEqual([]);
    const tables = await a.query(sql`SHOW TABLES`, z.object({ name: z.string() }), 'system');
    const statements = readMigrations().flatMap((m) => m.statements);
    // Replayed in order: a table a later migration drops (051 drops daily_active) is gone at the end,
    // one dropped and created again (052 recreates response_stage and its views) is there.
    const existing = new Set<string>();
    for (const statement of statements) {
      const created = /CREATE (?:TABLE|MATERIALIZED VIEW) IF NOT EXISTS (\w+)/.exec(statement)?.[1];
      const dropped = /DROP (?:TABLE|VIEW) IF EXISTS (\w+)/.exec(statement)?.[1];
      if (created) existing.add(created);
      if (dropped) existing.delete(dropped);
    }
    const declared = [...existing];
    expect(declared).toContain('events');
    expect(tables.map((t) => t.name).sort()).toEqual([...declared, 'schema_migrations'].sort());
    const versions = await a.query(sql`SELECT DISTINCT version FROM schema_migrations FINAL ORDER BY version`, z.object({ version: z.coerce.number() }), 'system');
    expect(versions.map((v) => v.version)).toEqual(readMigrations().map((m) => m.version));
  });
});
