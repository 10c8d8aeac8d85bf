// doc_weekly: per local week (day = its Monday) and editor's department, the documents edited and those
// edited by at least two people that week (sets, so a document shared by departments counts once overall).
import { sql, type SqlFragment } from '../../sql.ts';
import { inRange, scanEvents, type RollupScope } from './scan-events.ts';

/** The scope's from/to must be a Monday and a Sunday (the job widens ranges to whole weeks). */
export function selectDocWeekly(scope: RollupScope): SqlFragment {
  return sql`
    SELECT ${scope.org.id} AS org, wk AS day, r.2 AS department,
      uniqExactState(r.1) AS people,
      uniqExactState(object) AS docs,
      uniqExactStateIf(object, editors >= 2) AS coedited
    FROM (
      SELECT toMonday(d) AS wk, object, groupArray((actor, department)) AS eds, uniqExact(actor) AS editors
      FROM (${scanEvents(scope, { types: ['doc.edited'], activityOnly: true })})
      WHERE ${inRange(sql`d`, scope.from, scope.to)}
      GROUP BY wk, object
    )
    ARRAY JOIN eds AS r
    GROUP BY wk, department`;
}
