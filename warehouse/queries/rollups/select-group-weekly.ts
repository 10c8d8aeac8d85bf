// group_weekly: per local week (day = its Monday) and sender's department (whole = 0), and for the whole
// organisation (whole = 1, department ''), the messages sent in conversations and the distinct
// conversations they went to that week (a count, not a set: the read
// API adds weeks up, so a year of group activity reads about 52 rows per department instead of
// merging a set of every conversation of every day). A message is counted once however often it was
// re-sent (messages are distinct objects), on its own local day, by its sender's department that day.
import { sql, type SqlFragment } from '../../sql.ts';
import { inRange, scanEvents, type RollupScope } from './scan-events.ts';

/** The scope's from/to must be a Monday and a Sunday (the job widens ranges to whole weeks). */
export function selectGroupWeekly(scope: RollupScope): SqlFragment {
  return sql`
    SELECT ${scope.org.id} AS org, toMonday(d) AS day, tupleElement(w, 1) AS whole, tupleElement(w, 2) AS department,
      uniqExactState(cityHash64(actor)) AS people,
      uniqExact(cityHash64(object)) AS messages,
      uniqExact(cityHash64(conversation)) AS groups
    FROM (SELECT d, actor, object, conversation, department AS sender_department FROM (${scanEvents(scope, { types: ['message.sent'] })}))
    -- A conversation shared by departments counts once in each, and once for the whole organisation.
    ARRAY JOIN [(toUInt8(0), sender_department), (toUInt8(1), '')] AS w
    WHERE conversation != '' AND ${inRange(sql`d`, scope.from, scope.to)}
    GROUP BY day, whole, department`;
}
