// approval_daily: approvals by the local day of their first decision, the requester's department on
// the request day and the kind: count, automated (request or decision automated) and the cycle-time
// distribution (first decision − first request, seconds). Requests up to 92 days earlier are matched.
import { sql, type SqlFragment } from '../../sql.ts';
import { inRange, scanEvents, secondsBetween, type RollupScope } from './scan-events.ts';

export const APPROVAL_LOOKBACK_DAYS = 92;

export function selectApprovalDaily(scope: RollupScope): SqlFragment {
  const decisions = scanEvents(scope, { types: ['approval.decided'], before: APPROVAL_LOOKBACK_DAYS });
  const requests = scanEvents(scope, { types: ['approval.requested'], before: APPROVAL_LOOKBACK_DAYS });
  return sql`
    SELECT ${scope.org.id} AS org, dday AS day, rdep AS department, if(qkind != '', qkind, dkind) AS kind,
      uniqExactState(requester) AS people, count() AS n,
      countIf(dauto = 1 OR qauto = 1) AS automated,
      quantileExactState(${secondsBetween(sql`qt`, sql`dt`)}) AS cycle
    FROM (
      SELECT ao, dt, dday, dauto, dkind
      FROM (
        SELECT object AS ao, min(time) AS dt, argMin(d, time) AS dday, max(automated) AS dauto, argMin(kind, time) AS dkind
        FROM (${decisions})
        GROUP BY object
      )
      -- (a WHERE one level up: 18.16 loses columns when HAVING names an aggregate's alias)
      WHERE ${inRange(sql`dday`, scope.from, scope.to)}
    ) AS t_decisions
    ALL INNER JOIN (
      SELECT object AS ao, min(time) AS qt, argMin(actor, time) AS requester, argMin(department, time) AS rdep,
        max(automated) AS qauto, argMin(kind, time) AS qkind
      FROM (${requests})
      GROUP BY object
    ) AS t_requests USING ao
    GROUP BY dday, rdep, kind`;
}
