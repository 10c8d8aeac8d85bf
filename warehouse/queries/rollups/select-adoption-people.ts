// adoption_people: one row per person ever licensed, over all time: when they were invited (first
// licensed and employed), their wave's start (from `waves`, NULL when unknown), and the first day
// they reached each funnel stage — activated (first active day), weekly active (end of the first
// week with ≥ 3 active days), habitual (end of the 4th weekly-active week in a row).
import { sql, timezone, type SqlFragment } from '../../sql.ts';
import type { Org } from '../../orgs.ts';

export const WEEKLY_ACTIVE_DAYS = 3;
export const HABITUAL_WEEKS = 4;

export function selectAdoptionPeople(org: Org): SqlFragment {
  const tz = timezone(org.timezone);
  return sql`
    SELECT ${org.id} AS org, person, department, wave, invited,
      if(has_wave = 1, start_day, NULL) AS wave_start,
      if(has_activity = 1, first_active, NULL) AS activated,
      if(length(weeks) > 0, weeks[1] + 6, NULL) AS weekly_active,
      if(habit_at > 0, weeks[habit_at + ${HABITUAL_WEEKS - 1}] + 6, NULL) AS habitual
    FROM (
      SELECT person, department, wave, invited, has_activity, first_active, weeks,
        arrayFirstIndex(i -> toUInt32(weeks[i + ${HABITUAL_WEEKS - 1}]) - toUInt32(weeks[i]) = ${(HABITUAL_WEEKS - 1) * 7}, arrayEnumerate(weeks)) AS habit_at
      FROM (
        SELECT id AS person, argMax(department, valid_from) AS department, argMax(wave, valid_from) AS wave,
          greatest(minIf(valid_from, licensed = 1), ifNull(argMax(hired_at, valid_from), toDate('1970-01-01'))) AS invited
        FROM people FINAL
        WHERE org = ${org.id}
        GROUP BY id
        HAVING countIf(licensed = 1) > 0
      ) AS t_directory
      ANY LEFT JOIN (
        SELECT person, toUInt8(1) AS has_activity, min(first_d) AS first_active,
          arraySort(groupArrayIf(wk, active_days >= ${WEEKLY_ACTIVE_DAYS})) AS weeks
        FROM (
          SELECT actor AS person, toMonday(toDate(time, ${tz})) AS wk,
            uniqExact(toDate(time, ${tz})) AS active_days, min(toDate(time, ${tz})) AS first_d
          FROM events
          WHERE org = ${org.id} AND automated = 0 AND channel != 'email'
          GROUP BY person, wk
        )
        GROUP BY person
      ) AS t_activity USING person
    ) AS t_people
    ANY LEFT JOIN (SELECT wave, toUInt8(1) AS has_wave, start_day FROM waves FINAL WHERE org = ${org.id}) AS t_waves USING wave`;
}
