// activity_daily: per local day and department, the people active (≥ 1 own, non-automated event on a
// platform channel), those of them licensed and employed that day, and their events split by
// working hours (Mon–Fri 09:00–18:00 in each person's own timezone), after hours and weekend.
import { sql, type SqlFragment } from '../../sql.ts';
import { inRange, localWeekMinute, scanEvents, type RollupScope } from './scan-events.ts';

export function selectActivityDaily(scope: RollupScope): SqlFragment {
  return sql`
    SELECT ${scope.org.id} AS org, d AS day, department,
      uniqExactState(actor) AS people,
      uniqExactIfState(actor, licensed_on_day) AS licensed_people,
      count() AS events,
      countIf(week_minute < 60000 AND (week_minute % 10000 < 900 OR week_minute % 10000 >= 1800)) AS after_hours,
      countIf(week_minute >= 60000) AS weekend
    FROM (SELECT *, ${localWeekMinute(scope)} AS week_minute FROM (${scanEvents(scope, { activityOnly: true, collapseDuplicates: true })}))
    WHERE ${inRange(sql`d`, scope.from, scope.to)}
    GROUP BY d, department`;
}
