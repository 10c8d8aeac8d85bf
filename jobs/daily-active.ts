// Job: daily active users and licensed headcount per department per local day → daily_active.
// Active = ≥ 1 non-automated event on a platform channel (email is legacy); the department is the
// one the person belonged to that day. (Inner day columns are named `d`: ClickHouse aliases are
// query-wide, so `toString(day) AS day` would shadow the Date column inside the same SELECT.) Definition in docs/metrics.md (active_users, active_rate).
import { z } from 'zod';
import type { Warehouse } from '../warehouse/client.ts';
import { peopleHistory, versionIndexOn } from '../warehouse/queries/people-history.ts';
import { formatDateTime } from '../warehouse/row-values.ts';
import { day, sql, timezone } from '../warehouse/sql.ts';
import type { Org } from '../warehouse/orgs.ts';
import type { DayRange, Job } from './job.ts';
import { daysBetween } from './days.ts';

const activeRow = z.object({ day: z.string(), department: z.string(), active: z.coerce.number() });
const licensedRow = z.object({ day: z.string(), department: z.string(), licensed: z.coerce.number() });

async function countActive(warehouse: Warehouse, org: Org, range: DayRange) {
  const tz = timezone(org.timezone);
  const idx = versionIndexOn(sql`d`);
  return warehouse.query(
    sql`
      SELECT toString(d) AS day, arrayElement(deps, ${idx}) AS department, uniqExact(person) AS active
      FROM (
        SELECT DISTINCT actor AS person, toDate(time, ${tz}) AS d
        FROM events
        WHERE org = ${org.id}
          AND toDate(time) >= ${day(range.from)} - 1 AND toDate(time) <= ${day(range.to)} + 1
          AND automated = 0 AND channel != 'email'
      ) AS activity
      ANY LEFT JOIN (${peopleHistory(org.id)}) AS history USING person
      WHERE d >= ${day(range.from)} AND d <= ${day(range.to)}
      GROUP BY d, department`,
    activeRow,
    { org: org.id },
  );
}

async function countLicensed(warehouse: Warehouse, org: Org, range: DayRange) {
  const days = daysBetween(range.from, range.to);
  const idx = versionIndexOn(sql`d`);
  return warehouse.query(
    sql`
      SELECT toString(d) AS day, arrayElement(deps, ${idx}) AS department, count() AS licensed
      FROM (SELECT *, arrayJoin(${days.map(day)}) AS d FROM (${peopleHistory(org.id)}) AS history) AS person_days
      WHERE ${idx} > 0 AND arrayElement(lics, ${idx}) = 1
        AND (hired IS NULL OR hired <= d) AND (left IS NULL OR left > d)
      GROUP BY d, department`,
    licensedRow,
    { org: org.id },
  );
}

export const dailyActiveJob: Job = {
  name: 'daily-active',
  schedule: '*/5 * * * *',
  async run({ warehouse, clock }, org, range) {
    const [active, licensed] = await Promise.all([countActive(warehouse, org, range), countLicensed(warehouse, org, range)]);
    const merged = new Map<string, { day: string; department: string; active_users: number; licensed: number }>();
    // Every day in the range gets a row per licensed department, so a day with no activity reads as 0, not as missing.
    for (const r of licensed) merged.set(`${r.day}|${r.department}`, { day: r.day, department: r.department, active_users: 0, licensed: r.licensed });
    for (const r of active) {
      const key = `${r.day}|${r.department}`;
      const existing = merged.get(key);
      if (existing) existing.active_users = r.active;
      else merged.set(key, { day: r.day, department: r.department, active_users: r.active, licensed: 0 });
    }
    const computedAt = formatDateTime(clock.now());
    const rows = [...merged.values()].map((r) => ({ org: org.id, ...r, computed_at: computedAt }));
    await warehouse.insert('daily_active', rows);
    return rows.length;
  },
};
