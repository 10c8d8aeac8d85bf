// Gives each integration test file its own randomly named, migrated database on the suite's server.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { ClickHouseConfig } from '../../config/env.ts';
import { createWarehouse, type Warehouse } from '../../warehouse/client.ts';
import { migrate } from '../../warehouse/migrate.ts';
import { databaseIdent, sql } from '../../warehouse/sql.ts';

export interface TestWarehouse {
  warehouse: Warehouse;
  config: ClickHouseConfig;
  drop(): Promise<void>;
}

export function testClickHouseConfig(database = `wp_test_${randomBytes(6).toString('hex')}`): ClickHouseConfig {
  return {
    url: inject('clickhouseUrl'),
    managed: false,
    user: process.env.CLICKHOUSE_USER ?? 'default',
    password: process.env.CLICKHOUSE_PASSWORD ?? '',
    database,
    ...(process.env.WAYPOINT_RECORD_SQL ? { recordFile: process.env.WAYPOINT_RECORD_SQL } : {}),
  };
}

export async function createTestWarehouse(): Promise<TestWarehouse> {
  const config = testClickHouseConfig();
  const warehouse = createWarehouse(config);
  await migrate(warehouse);
  return {
    warehouse,
    config,
    async drop() {
      if (!process.env.WAYPOINT_KEEP_TEST_DATABASES) {
        await warehouse.command(sql`DROP DATABASE IF EXISTS ${databaseIdent(config.database)}`, 'system');
      }
      await warehouse.close();
    },
  };
}
