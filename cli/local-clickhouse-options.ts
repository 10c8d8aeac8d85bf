// Where the managed ClickHouse lives for this configuration.
import path from 'node:path';
import type { Config } from '../config/env.ts';
import type { LocalClickHouseOptions } from '../warehouse/local-clickhouse.ts';

export function localClickHouseOptions(config: Config, log: (line: string) => void): LocalClickHouseOptions {
  return {
    dir: path.join(config.dataDir, 'clickhouse'),
    httpPort: config.env.WAYPOINT_CLICKHOUSE_HTTP_PORT,
    tcpPort: config.env.WAYPOINT_CLICKHOUSE_TCP_PORT,
    log,
  };
}
