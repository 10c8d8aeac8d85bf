// headcount_daily: people employed on each local day and those of them licensed, by their department
// that day (the denominators of active_rate and meeting_hours_per_person). Comes from the directory
// alone, so quiet days still have rows.
import { day, sql, type SqlFragment } from '../../sql.ts';
import { peopleHistory, versionIndexOn } from '../people-history.ts';
import { dayDiff } from './calendar.ts';
import type { RollupScope } from './scan-events.ts';

export function selectHeadcountDaily(scope: RollupScope): SqlFragment {
  const n = dayDiff(scope.from, scope.to) + 1;
  return sql`
    SELECT ${scope.org.id} AS org, d AS day, arrayElement(deps, idx) AS department,
      toUInt32(countIf(arrayElement(lics, idx) = 1)) AS licensed, toUInt32(count()) AS employed
    FROM (
      SELECT *, ${versionIndexOn(sql`d`)} AS idx
      FROM (SELECT *, arrayJoin(arrayMap(i -> ${day(scope.from)} + i, range(${n}))) AS d FROM (${peopleHistory(scope.org.id)}))
    )
    WHERE idx > 0 AND (hired IS NULL OR hired <= d) AND (left IS NULL OR left > d)
    GROUP BY d, department`;
}
