// task_daily: per local day and the creator's department (on the creation day): tasks created that
// day, of those the ones completed within 7 days, and tasks completed that day with their cycle-time
// distribution (first completion − creation, seconds). Tasks created up to 92 days earlier are matched.
import { day, sql, type SqlFragment } from '../../sql.ts';
import { inRange, scanEvents, secondsBetween, type RollupScope } from './scan-events.ts';

export const TASK_LOOKBACK_DAYS = 92;
export const TASK_COMPLETION_WINDOW_DAYS = 7;

export function selectTaskDaily(scope: RollupScope): SqlFragment {
  const created = scanEvents(scope, { types: ['task.created'], before: TASK_LOOKBACK_DAYS });
  const completed = scanEvents(scope, { types: ['task.completed'], before: TASK_LOOKBACK_DAYS, after: TASK_COMPLETION_WINDOW_DAYS + 1 });
  const window = TASK_COMPLETION_WINDOW_DAYS * 86400;
  return sql`
    SELECT ${scope.org.id} AS org, r.1 AS day, cdep AS department,
      uniqExactState(creator) AS people,
      sum(r.2) AS created, sum(r.3) AS completed_7d, sum(r.4) AS completed,
      quantileExactStateIf(r.5, r.4 = 1) AS cycle
    FROM (
      SELECT creator, cdep,
        arrayFilter(x -> ${inRange(sql`x.1`, scope.from, scope.to)}, [
          (cday, toUInt8(1), toUInt8(has_done = 1 AND done_t <= ct + ${window}), toUInt8(0), toFloat64(0)),
          (if(has_done = 1, done_day, toDate('1970-01-01')), toUInt8(0), toUInt8(0), toUInt8(1), ${secondsBetween(sql`ct`, sql`done_t`)})
        ]) AS rows
      FROM (
        SELECT object AS tobj, min(time) AS ct, argMin(d, time) AS cday, argMin(actor, time) AS creator, argMin(department, time) AS cdep
        FROM (${created})
        WHERE d <= ${day(scope.to)}
        GROUP BY object
      ) AS t_created
      ANY LEFT JOIN (
        SELECT object AS tobj, toUInt8(1) AS has_done, min(time) AS done_t, argMin(d, time) AS done_day
        FROM (${completed})
        GROUP BY object
      ) AS t_completed USING tobj
    )
    ARRAY JOIN rows AS r
    GROUP BY day, department`;
}
