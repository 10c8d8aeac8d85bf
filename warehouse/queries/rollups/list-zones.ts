// The distinct personal timezones in an organisation's directory, for after-hours bucketing (ClickHouse
// needs each timezone as a constant, so the query branches on them).
import { z } from 'zod';
import { isKnownTimezone } from '../../../contracts/directory.ts';
import type { Warehouse } from '../../client.ts';
import { sql } from '../../sql.ts';

export async function listZones(warehouse: Warehouse, org: string): Promise<string[]> {
  const rows = await warehouse.query(
    sql`SELECT DISTINCT timezone AS zone FROM people WHERE org = ${org} AND timezone != '' ORDER BY zone`,
    z.object({ zone: z.string() }),
    { org },
  );
  // The directory contract validates timezones; an unknown one here would come from a newer tz database.
  return rows.map((r) => r.zone).filter(isKnownTimezone);
}
