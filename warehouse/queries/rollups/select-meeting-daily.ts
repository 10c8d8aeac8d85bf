// meeting_daily: per local day and department, attendee time (each attendee's meeting.held duration,
// once per meeting and person) for the people who attended, and distinct meetings with their length.
// A meeting belongs to its first day and to the department of its first recorded attendee.
import { sql, timezone, type SqlFragment } from '../../sql.ts';
import { inRange, scanEvents, type RollupScope } from './scan-events.ts';

export function selectMeetingDaily(scope: RollupScope): SqlFragment {
  // A meeting's attendee events can straddle midnight; scan a day either side and keep meetings by their first day.
  const held = scanEvents(scope, { types: ['meeting.held'], before: 1, after: 1 });
  return sql`
    SELECT ${scope.org.id} AS org, mday AS day, r.1 AS department,
      uniqExactStateIf(r.2, r.4 = 1) AS people,
      sumIf(r.3, r.4 = 1) AS attendee_seconds,
      countIf(r.4 = 0) AS meetings,
      sumIf(r.3, r.4 = 0) AS meeting_seconds
    FROM (
      SELECT mday, rows FROM (
      SELECT toDate(min(t), ${timezone(scope.org.timezone)}) AS mday,
        arrayPushBack(
          arrayMap(x -> (x.1, x.2, x.3, toUInt8(1)), groupArray((dep, actor, secs))),
          (argMin(dep, (t, actor)), '', max(secs), toUInt8(0))
        ) AS rows
      FROM (
        SELECT object, actor, min(time) AS t, argMin(department, time) AS dep, max(duration_sec) AS secs
        FROM (${held})
        WHERE automated = 0
        GROUP BY object, actor
      )
      GROUP BY object
      )
      -- (a WHERE one level up: 18.16 loses columns when HAVING names an aggregate's alias)
      WHERE ${inRange(sql`mday`, scope.from, scope.to)}
    )
    ARRAY JOIN rows AS r
    GROUP BY mday, department`;
}
