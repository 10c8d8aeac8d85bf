// response_daily, message_daily and response_kind_daily, from one pass over the message facts
// (computing them twice would double the dominant cost of a rebuild): the rows go into response_stage,
// whose materialized views send kind 'message' to message_daily and the rest to response_daily and
// (ordered by kind, for the read API) response_kind_daily. Rows by `kind`:
// - 'message': per message's local day and sender's department (counterpart ''): n messages sent,
//   people = senders, conversations, group_messages, replied (by someone else within 30 days), read
//   (by someone else), read_unreplied (read, no reply within 24 h), and for urgent notices
//   recipients and reached_15m (distinct readers within 15 min, capped at recipients).
// - 'reply' (each message's first reply by someone else), 'read' (each reader's first read),
//   'interaction' (every reply by someone else): per local day of the response, responder's
//   department (department) and sender's (counterpart): n, people = responders, latency (seconds;
//   latency_s holds the same whole seconds as UInt32 for reply and read rows: half the bytes to
//   merge when the read API takes a year's percentile, and the same element, as every value is whole),
//   and latency_buckets counts them per band of latency-buckets.ts (zeros for other kinds).
// People and conversations are sets of cityHash64 of the ids: merging a year of them for an API
// answer is several times faster than merging strings, and 64-bit collisions among an
// organisation's people or conversations are vanishingly unlikely.
import { sql, type SqlFragment } from '../../sql.ts';
import { countLatencyBuckets } from './latency-buckets.ts';
import { messageFacts, RESPONDED_IN_SCOPE } from './message-facts.ts';
import { inRange, type RollupScope } from './scan-events.ts';

export function selectMessageStage(scope: RollupScope): SqlFragment {
  const isMessage = sql`r.1 = 'message'`;
  const isLatency = sql`r.1 IN ('reply', 'read')`;
  const latency = sql`greatest(toInt64(tupleElement(r.2, 2)) - toInt64(mt), 0)`;
  // Per-message figures are computed before the ARRAY JOIN, so only scalars are copied to each row.
  return sql`
    SELECT ${scope.org.id} AS org, row_day AS day, row_department AS department, row_counterpart AS counterpart, r.1 AS kind, mu AS urgent,
      uniqExactState(cityHash64(tupleElement(r.2, 1))) AS people,
      count() AS n,
      quantileExactStateIf(toFloat64(${latency}), NOT ${isMessage}) AS latency,
      quantileExactStateIf(toUInt32(${latency}), ${isLatency}) AS latency_s,
      ${countLatencyBuckets(latency, isLatency)} AS latency_buckets,
      uniqExactStateIf(cityHash64(mc), ${isMessage} AND mc != '') AS conversations,
      countIf(${isMessage} AND mc != '') AS group_messages,
      countIf(${isMessage} AND has_reply) AS replied,
      countIf(${isMessage} AND has_read) AS read,
      countIf(${isMessage} AND has_read AND NOT replied_24h) AS read_unreplied,
      sumIf(mr, ${isMessage} AND mu = 1 AND mr > 0) AS recipients,
      sumIf(least(reads_15m, toUInt64(mr)), ${isMessage} AND mu = 1 AND mr > 0) AS reached_15m
    FROM (
      SELECT mu, mt, mr, mc, has_reply, has_read, replied_24h, reads_15m, r,
        tupleElement(r.2, 3) AS row_day, tupleElement(r.2, 4) AS row_department, if(${isMessage}, '', mdep) AS row_counterpart
      FROM (
        SELECT mu, mt, mr, mc, mdep,
          length(ok_replies) > 0 AS has_reply,
          length(first_reads) > 0 AS has_read,
          has_reply AND toInt64(tupleElement(arrayElement(ok_replies, 1), 2)) <= toInt64(mt) + 86400 AS replied_24h,
          toUInt64(arrayCount((x, t) -> toInt64(x.2) <= toInt64(t) + 900, first_reads, replicate(mt, first_reads))) AS reads_15m,
          -- The message itself (as sender, time, day, department), then its responses.
          arrayConcat(
            [('message', (ma, mt, md, mdep))],
            arraySlice(arrayMap(x -> ('reply', x), ok_replies), 1, 1),
            arrayMap(x -> ('read', x), first_reads),
            arrayMap(x -> ('interaction', x), ok_replies)) AS emitted
        FROM (${messageFacts(scope, RESPONDED_IN_SCOPE)})
      )
      ARRAY JOIN emitted AS r
    )
    WHERE ${inRange(sql`row_day`, scope.from, scope.to)}
    GROUP BY row_day, row_department, row_counterpart, kind, mu`;
}

/** response_daily's rows alone, in its columns (the raw-events fallback). */
export function selectResponseDaily(scope: RollupScope): SqlFragment {
  return sql`
    SELECT org, day, department, counterpart, kind, urgent, people, n, latency
    FROM (${selectMessageStage(scope)})
    WHERE kind != 'message'`;
}

/** response_kind_daily's rows alone, in its columns (the raw-events fallback for response metrics). */
export function selectResponseKindDaily(scope: RollupScope): SqlFragment {
  return sql`
    SELECT org, kind, urgent, day, department, counterpart, people, toUInt32(finalizeAggregation(people)) AS people_n, n, latency_s AS latency, latency_buckets
    FROM (${selectMessageStage(scope)})
    WHERE kind != 'message'`;
}

/** message_daily's rows alone, in its columns (the raw-events fallback for message metrics). */
export function selectMessageDaily(scope: RollupScope): SqlFragment {
  return sql`
    SELECT org, day, department, urgent, people, conversations, n AS messages, group_messages, replied, read, read_unreplied, recipients, reached_15m
    FROM (${selectMessageStage(scope)})
    WHERE kind = 'message'`;
}
