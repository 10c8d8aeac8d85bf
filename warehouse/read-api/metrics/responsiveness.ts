// Responsiveness metrics from response_daily and message_daily: reply and read latency, cross-team
// reply latency, reply rate, read-but-unreplied (已讀未回), urgent acknowledgement and reach.
import { sql } from '../../sql.ts';
import { quantileLevel, ratio, readSimple, type MetricSpec, type ReadContext } from '../metric-spec.ts';

const PERIODS = ['day', 'week', 'month', 'department'] as const;

function latencyOf(ctx: ReadContext) {
  return sql`quantileExactMerge(${quantileLevel(ctx.stat)})(latency)`;
}

export const replyLatency: MetricSpec = {
  id: 'reply_latency',
  unit: 'seconds',
  definition:
    "For each message M (any message.sent, automated notices and e-mail included), the first reply R by someone else (message.sent with parent = M's object, stamped from 1 day before to 30 days after M): R.time − M.time in whole seconds, 0 when R is stamped before M (clock skew). p50/p90 by R's local day and the replier's department on that day. Messages without a reply are excluded (see reply_rate).",
  tables: ['response_daily'],
  groupings: PERIODS,
  percentile: true,
  peopleLevel: true,
  read: (ctx) =>
    readSimple(ctx, { table: 'response_daily', where: sql`kind = 'reply'`, value: latencyOf(ctx), n: sql`sum(n)`, people: sql`uniqExactMerge(people)` }),
};

export const crossTeamReplyLatency: MetricSpec = {
  id: 'cross_team_reply_latency',
  unit: 'seconds',
  definition:
    "reply_latency restricted to first replies whose replier's department (on the reply's day) differs from the sender's (on the message's day), both in the directory.",
  tables: ['response_daily'],
  groupings: PERIODS,
  percentile: true,
  peopleLevel: true,
  read: (ctx) =>
    readSimple(ctx, {
      table: 'response_daily',
      where: sql`kind = 'reply' AND department != counterpart AND department != '' AND counterpart != ''`,
      value: latencyOf(ctx),
      n: sql`sum(n)`,
      people: sql`uniqExactMerge(people)`,
    }),
};

export const readLatency: MetricSpec = {
  id: 'read_latency',
  unit: 'seconds',
  definition:
    "For each message M and each reader other than the sender: the reader's first message.read of M (object = M's object) − M.time in whole seconds (0 if stamped before M; reads more than 30 days later are ignored). p50/p90 by the read's local day and the reader's department on that day.",
  tables: ['response_daily'],
  groupings: PERIODS,
  percentile: true,
  peopleLevel: true,
  read: (ctx) =>
    readSimple(ctx, { table: 'response_daily', where: sql`kind = 'read'`, value: latencyOf(ctx), n: sql`sum(n)`, people: sql`uniqExactMerge(people)` }),
};

export const urgentAckLatency: MetricSpec = {
  id: 'urgent_ack_latency',
  unit: 'seconds',
  definition: 'read_latency restricted to messages with attrs.urgent (DING notices): p50/p90 by the read’s local day and the reader’s department.',
  tables: ['response_daily'],
  groupings: PERIODS,
  percentile: true,
  peopleLevel: true,
  read: (ctx) =>
    readSimple(ctx, {
      table: 'response_daily',
      where: sql`kind = 'read' AND urgent = 1`,
      value: latencyOf(ctx),
      n: sql`sum(n)`,
      people: sql`uniqExactMerge(people)`,
    }),
};

export const urgentReach15m: MetricSpec = {
  id: 'urgent_reach_15m',
  unit: 'fraction',
  definition:
    'For urgent messages with attrs.recipients > 0: distinct readers (not the sender) whose first read is within 15 minutes, capped at recipients, summed ÷ recipients summed; by the sender’s department and the notice’s local day.',
  tables: ['message_daily'],
  groupings: PERIODS,
  percentile: false,
  peopleLevel: true,
  read: (ctx) =>
    readSimple(ctx, {
      table: 'message_daily',
      where: sql`urgent = 1`,
      value: ratio(sql`sum(reached_15m)`, sql`sum(recipients)`),
      n: sql`sum(recipients)`,
      people: sql`uniqExactMerge(people)`,
    }),
};

export const replyRate: MetricSpec = {
  id: 'reply_rate',
  unit: 'fraction',
  definition: 'Messages (message.sent, automated notices and e-mail included) with a reply by someone else within 30 days ÷ messages sent, by the message’s local day and the sender’s department.',
  tables: ['message_daily'],
  groupings: PERIODS,
  percentile: false,
  peopleLevel: true,
  read: (ctx) =>
    readSimple(ctx, {
      table: 'message_daily',
      value: ratio(sql`sum(replied)`, sql`sum(messages)`),
      n: sql`sum(messages)`,
      people: sql`uniqExactMerge(people)`,
    }),
};

export const readUnrepliedRate: MetricSpec = {
  id: 'read_unreplied_rate',
  unit: 'fraction',
  definition:
    '已讀未回: of messages read by someone other than the sender (within 30 days), the share with no reply by someone else within 24 hours of the message; by the sender’s department and the message’s local day.',
  tables: ['message_daily'],
  groupings: PERIODS,
  percentile: false,
  peopleLevel: true,
  read: (ctx) =>
    readSimple(ctx, {
      table: 'message_daily',
      value: ratio(sql`sum(read_unreplied)`, sql`sum(read)`),
      n: sql`sum(read)`,
      people: sql`uniqExactMerge(people)`,
    }),
};
