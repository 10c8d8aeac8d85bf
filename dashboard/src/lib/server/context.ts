// The dashboard's server-side dependencies, created once on first use: configuration parsed from
// the environment and one warehouse client. Lazy, so building the app never needs a database.
import { loadConfig, type Config } from '$config/env.ts';
import { createWarehouse, type Warehouse } from '$warehouse/client.ts';
import { setPageK } from './privacy.ts';

export interface ServerContext {
  config: Config;
  warehouse: Warehouse;
}

let context: ServerContext | undefined;

export function getServerContext(): ServerContext {
  if (!context) {
    const config = loadConfig();
    // Pages suppress under the same k as the APIs.
    setPageK(config.env.WAYPOINT_K_ANONYMITY);
    context = { config, warehouse: createWarehouse(config.clickhouse) };
  }
  return context;
}
