// Responsiveness metrics: reply and read latency, cross-team reply latency and urgent acknowledgement
// (response_kind_daily), reply rate, read-but-unreplied (已讀未回) and urgent reach (message_daily).
import { sql, type SqlFragment } from '../../sql.ts';
import type { MetricSpec } from '../metric-spec.ts';
import { percentileMetric, ratioMetric } from './shapes.ts';

/** Whole-second latencies of the response rows matching `where` (kind first: the table's key). */
const latencies = (where: SqlFragment) => ({ table: 'response_kind_daily' as const, where, column: sql`latency`, count: sql`n` });

export const replyLatency: MetricSpec = percentileMetric(
  {
    id: 'reply_latency',
    unit: 'seconds',
    definition:
      "For each message M (any message.sent, automated notices and e-mail included), the first reply R by someone else (message.sent with parent = M's object, stamped from 1 day before to 30 days after M): R.time − M.time in whole seconds, 0 when R is stamped before M (clock skew). p50/p90 by R's local day and the replier's department on that day. Messages without a reply are excluded (see reply_rate).",
  },
  latencies(sql`kind = 'reply'`),
);

export const crossTeamReplyLatency: MetricSpec = percentileMetric(
  {
    id: 'cross_team_reply_latency',
    unit: 'seconds',
    definition:
      "reply_latency restricted to first replies whose replier's department (on the reply's day) differs from the sender's (on the message's day), both in the directory.",
  },
  latencies(sql`kind = 'reply' AND department != counterpart AND department != '' AND counterpart != ''`),
);

export const readLatency: MetricSpec = percentileMetric(
  {
    id: 'read_latency',
    unit: 'seconds',
    definition:
      "For each message M and each reader other than the sender: the reader's first message.read of M (object = M's object) − M.time in whole seconds (0 if stamped before M; reads more than 30 days later are ignored). p50/p90 by the read's local day and the reader's department on that day.",
  },
  latencies(sql`kind = 'read'`),
);

export const urgentAckLatency: MetricSpec = percentileMetric(
  {
    id: 'urgent_ack_latency',
    unit: 'seconds',
    definition: 'read_latency restricted to messages with attrs.urgent (DING notices): p50/p90 by the read’s local day and the reader’s department.',
  },
  latencies(sql`kind = 'read' AND urgent = 1`),
);

export const urgentReach15m: MetricSpec = ratioMetric(
  {
    id: 'urgent_reach_15m',
    unit: 'fraction',
    definition:
      'For urgent messages with attrs.recipients > 0: distinct readers (not the sender) whose first read is within 15 minutes, capped at recipients, summed ÷ recipients summed; by the sender’s department and the notice’s local day.',
  },
  { table: 'message_daily', where: sql`urgent = 1`, numerator: sql`sum(reached_15m)`, denominator: sql`sum(recipients)` },
);

export const replyRate: MetricSpec = ratioMetric(
  {
    id: 'reply_rate',
    unit: 'fraction',
    definition: 'Messages (message.sent, automated notices and e-mail included) with a reply by someone else within 30 days ÷ messages sent, by the message’s local day and the sender’s department.',
  },
  { table: 'message_daily', numerator: sql`sum(replied)`, denominator: sql`sum(messages)` },
);

export const readUnrepliedRate: MetricSpec = ratioMetric(
  {
    id: 'read_unreplied_rate',
    unit: 'fraction',
    definition:
      '已讀未回: of messages read by someone other than the sender (within 30 days), the share with no reply by someone else within 24 hours of the message; by the sender’s department and the message’s local day.',
  },
  { table: 'message_daily', numerator: sql`sum(read_unreplied)`, denominator: sql`sum(read)` },
);
