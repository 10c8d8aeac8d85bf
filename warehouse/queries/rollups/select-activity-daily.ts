// activity_daily and activity_hourly, from one scan of the activity events (a second FINAL scan for
// the hours would cost the rebuild as much again): people's own, non-automated events on a platform
// channel, grouped by local day, department, and weekday and hour in each person's own timezone
// (the organisation's when the directory has none), WITH ROLLUP, so the same statement also gives
// each (day, department) its totals. The rows go into activity_stage, whose views send the hourly
// rows to activity_hourly and the per-day totals to activity_daily. Keys are shifted so a rolled-up
// level reads as a zero key: department_key is '#' + department, hour_key is hour + 1, weekday is
// 1–7. Per row: people active, those licensed and employed that day, and their events split into
// after hours (Mon–Fri outside 09:00–18:00) and weekend.
import { sql, type SqlFragment } from '../../sql.ts';
import { inRange, localWeekMinute, scanEvents, type RollupScope } from './scan-events.ts';

export function selectActivityStage(scope: RollupScope): SqlFragment {
  return sql`
    SELECT ${scope.org.id} AS org, d AS day, department_key, weekday_key, hour_key,
      uniqExactState(actor) AS people,
      uniqExactIfState(actor, licensed_on_day) AS licensed_people,
      count() AS events,
      countIf(week_minute < 60000 AND (week_minute % 10000 < 900 OR week_minute % 10000 >= 1800)) AS after_hours,
      countIf(week_minute >= 60000) AS weekend
    FROM (
      SELECT d, actor, licensed_on_day, week_minute, concat('#', department) AS department_key,
        toUInt8(intDiv(week_minute, 10000)) AS weekday_key, toUInt8(intDiv(week_minute, 100) % 100 + 1) AS hour_key
      FROM (SELECT *, ${localWeekMinute(scope)} AS week_minute FROM (${scanEvents(scope, { activityOnly: true, collapseDuplicates: true })}))
      WHERE ${inRange(sql`d`, scope.from, scope.to)}
    )
    GROUP BY day, department_key, weekday_key, hour_key WITH ROLLUP`;
}

/** activity_daily's rows alone, in its columns (the raw-events fallback for activity metrics). */
export function selectActivityDaily(scope: RollupScope): SqlFragment {
  return sql`
    SELECT org, day, substring(department_key, 2) AS department, people, licensed_people, events, after_hours, weekend
    FROM (${selectActivityStage(scope)})
    WHERE weekday_key = 0 AND department_key != ''`;
}

/** activity_hourly's rows alone, in its columns. */
export function selectActivityHourly(scope: RollupScope): SqlFragment {
  return sql`
    SELECT org, day, substring(department_key, 2) AS department, weekday_key AS weekday, toUInt8(hour_key - 1) AS hour, people, toUInt32(finalizeAggregation(people)) AS people_n, events
    FROM (${selectActivityStage(scope)})
    WHERE hour_key > 0`;
}
