// The message side of responsiveness, in one pass: every message with its replies and reads, from a
// single scan grouped by message (no joins: 18.16 would rebuild a hash table per join, and this runs
// over millions of messages). A reply is a `message.sent` whose parent is the message's object; a read
// is a `message.read` whose object is the message's object. Every message counts (automated notices
// and legacy e-mail too: people answer them, and e-mail is the baseline); only responses by someone
// other than the sender, stamped from one day before to 30 days after the message, count (earlier
// stamps are clock skew and count as 0 s).
import { addDays } from './calendar.ts';
import { sql, type SqlFragment } from '../../sql.ts';
import { inRange, scanEvents, type RollupScope } from './scan-events.ts';

/** As far as the simulator follows a message up (FOLLOW_UP_HORIZON_DAYS): e-mail replies take days. */
export const RESPONSE_WINDOW_DAYS = 30;
const WINDOW_SECONDS = RESPONSE_WINDOW_DAYS * 86400;

/** Which messages: those sent from `before` days before the scope's first day to `after` days after its last. */
export interface MessageWindow {
  before: number;
  after: number;
}
/** Messages whose responses can fall on the scope's days (a response is at most 30 days later or 1 day earlier). */
export const RESPONDED_IN_SCOPE: MessageWindow = { before: RESPONSE_WINDOW_DAYS + 1, after: 1 };

/**
 * One row per message of the window: mo (cityHash64 of its object), ma (sender), mt, md (local day), mdep, mu (urgent),
 * mr (recipients), mc (conversation); ok_replies — replies that count, as (actor, time, day,
 * department) sorted by time then actor, so ok_replies[1] is the first reply; first_reads — each
 * reader's first read that counts, same shape, sorted by reader.
 */
export function messageFacts(scope: RollupScope, window: MessageWindow): SqlFragment {
  const scanned = scanEvents(scope, { types: ['message.sent', 'message.read'], before: window.before + 1, after: window.after + RESPONSE_WINDOW_DAYS + 1 });
  // Responses that count, sorted: by someone else, within the window. ma and mt reach the lambda as
  // arrays (replicate) because 18.16 prunes subquery columns referenced only inside a lambda.
  const counting = (column: SqlFragment) =>
    sql`arraySort(x -> (x.2, x.1), arrayFilter((x, a, t) -> x.1 != a AND toInt64(x.2) >= toInt64(t) - 86400 AND toInt64(x.2) <= toInt64(t) + ${WINDOW_SECONDS},
      ${column}, replicate(ma, ${column}), replicate(mt, ${column})))`;
  return sql`
    SELECT mo, ma, mt, md, mdep, mu, mr, mc, ok_replies,
      -- Each reader's first read: sorted by reader then time, keep a read whose reader differs from
      -- the previous element's (linear; indexOf per element would be quadratic in big groups).
      arrayFilter((x, previous) -> x.1 != previous, by_reader, arraySlice(arrayPushFront(arrayMap(y -> y.1, by_reader), ''), 1, length(by_reader))) AS first_reads
    FROM (
      SELECT mo, ma, mt, md, mdep, mu, mr, mc,
        ${counting(sql`replies`)} AS ok_replies,
        arraySort(x -> (x.1, x.2), ${counting(sql`reads`)}) AS by_reader
      FROM (
        SELECT mo, countIf(role = 0) AS sent,
          anyIf(actor, role = 0) AS ma, anyIf(time, role = 0) AS mt, anyIf(d, role = 0) AS md, anyIf(department, role = 0) AS mdep,
          anyIf(urgent, role = 0) AS mu, anyIf(recipients, role = 0) AS mr, anyIf(conversation, role = 0) AS mc,
          groupArrayIf((actor, time, d, department, id), role = 1) AS all_replies,
          groupArrayIf((actor, time, d, department), role = 2) AS reads,
          -- Replies are counted one by one (interactions), so a re-sent reply (same id) is kept
          -- once: sorted by id, a reply whose id equals the previous one's is dropped (linear;
          -- groupUniqArray would build a hash table per message).
          arraySort(x -> x.5, all_replies) AS by_id,
          arrayMap(x -> (x.1, x.2, x.3, x.4), arrayFilter((x, previous) -> x.5 != previous, by_id,
            arraySlice(arrayPushFront(arrayMap(y -> y.5, by_id), toUUID('00000000-0000-0000-0000-000000000000')), 1, length(by_id)))) AS replies
        FROM (
          -- Each event under the message it concerns: a message under itself (role 0), a reply also
          -- under its parent (1), a read under its object (2). Keyed by a 64-bit hash of the id:
          -- grouping millions of rows by UInt64 is much cheaper than by String.
          SELECT id, actor, time, d, department, urgent, recipients, conversation, k.1 AS mo, k.2 AS role
          FROM (${scanned})
          ARRAY JOIN if(type = 'message.read', [(cityHash64(object), toUInt8(2))],
                        if(parent != '', [(cityHash64(object), toUInt8(0)), (cityHash64(parent), toUInt8(1))], [(cityHash64(object), toUInt8(0))])) AS k
        )
        GROUP BY mo
      )
      WHERE sent > 0 AND ${inRange(sql`md`, addDays(scope.from, -window.before), addDays(scope.to, window.after))}
    )`;
}
