// Reads the daily_active rollup: active users, licensed headcount and active rate per department per day.
import { z } from 'zod';
import type { Warehouse } from '../client.ts';
import { day, sql } from '../sql.ts';

const row = z.object({
  day: z.string(),
  department: z.string(),
  departmentName: z.string(),
  activeUsers: z.coerce.number(),
  licensed: z.coerce.number(),
});

export interface ActiveRatePoint {
  day: string;
  department: string;
  departmentName: string;
  activeUsers: number;
  licensed: number;
  /** active ÷ licensed; null where nobody licensed (e.g. activity of people missing from the directory). */
  rate: number | null;
}

export async function getActiveRateByDepartment(
  warehouse: Warehouse,
  { org, from, to }: { org: string; from: string; to: string },
): Promise<ActiveRatePoint[]> {
  const rows = await warehouse.query(
    sql`
      SELECT toString(day) AS day, department,
             if(name = '', if(department = '', '(not in directory)', department), name) AS departmentName,
             active_users AS activeUsers, licensed
      FROM (
        SELECT day, department, active_users, licensed
        FROM daily_active FINAL
        WHERE org = ${org} AND day >= ${day(from)} AND day <= ${day(to)}
          AND (day, computed_at) IN (
            SELECT day, max(computed_at) FROM daily_active
            WHERE org = ${org} AND day >= ${day(from)} AND day <= ${day(to)}
            GROUP BY day)
      ) AS a
      ANY LEFT JOIN (SELECT id AS department, name FROM departments FINAL WHERE org = ${org}) AS d
      USING department
      ORDER BY day, department`,
    row,
    { org },
  );
  return rows.map((r) => ({ ...r, rate: r.licensed > 0 ? r.activeUsers / r.licensed : null }));
}

/** The most recent day with a computed rollup, to anchor a default date range. */
export async function getLatestActivityDay(warehouse: Warehouse, org: string): Promise<string | undefined> {
  const rows = await warehouse.query(
    sql`SELECT if(count() = 0, '', toString(max(day))) AS day, count() AS n FROM daily_active WHERE org = ${org}`,
    z.object({ day: z.string(), n: z.coerce.number() }),
    { org },
  );
  const first = rows[0];
  return first && first.n > 0 ? first.day : undefined;
}
