// Daily series of the organisation split into two groups of departments (1 = pilot, 0 = the rest),
// read from the rollups: the inputs of difference-in-differences, KPIs, ROI and adoption curves. One
// query each; grouping happens in ClickHouse so quantile states merge correctly within a group.
import { z } from 'zod';
import type { Warehouse } from '../../warehouse/client.ts';
import { sql } from '../../warehouse/sql.ts';
import type { DayRange } from '../job.ts';
import { dayRange, inGroup, liveRows } from './live-rows.ts';

const activityRow = z.object({ d: z.string(), g: z.coerce.number(), active: z.coerce.number() });
const headcountRow = z.object({ d: z.string(), g: z.coerce.number(), licensed: z.coerce.number() });
const replyRow = z.object({ d: z.string(), g: z.coerce.number(), cross: z.coerce.number(), median: z.coerce.number(), n: z.coerce.number() });
const meetingRow = z.object({ d: z.string(), g: z.coerce.number(), attendeeSeconds: z.coerce.number() });
const approvalRow = z.object({ d: z.string(), g: z.coerce.number(), kind: z.string(), median: z.coerce.number(), n: z.coerce.number(), automated: z.coerce.number() });

export type ActivityDay = z.output<typeof activityRow>;
export type HeadcountDay = z.output<typeof headcountRow>;
export type ReplyDay = z.output<typeof replyRow>;
export type MeetingDay = z.output<typeof meetingRow>;
export type ApprovalDay = z.output<typeof approvalRow>;

export interface Series {
  activity: ActivityDay[];
  headcount: HeadcountDay[];
  replies: ReplyDay[];
  meetings: MeetingDay[];
  approvals: ApprovalDay[];
}

export async function readSeries(warehouse: Warehouse, org: string, span: DayRange, pilot: readonly string[]): Promise<Series> {
  const g = inGroup(pilot);
  const [activity, headcount, replies, meetings, approvals] = await Promise.all([
    warehouse.query(
      sql`SELECT toString(day) AS d, ${g} AS g, uniqExactIfMerge(licensed_people) AS active
          FROM activity_daily WHERE org = ${org} AND ${dayRange(span)} AND ${liveRows('activity_daily', org, span)}
          GROUP BY d, g ORDER BY d, g`,
      activityRow,
      { org },
    ),
    warehouse.query(
      sql`SELECT toString(day) AS d, ${g} AS g, sum(licensed) AS licensed
          FROM headcount_daily WHERE org = ${org} AND ${dayRange(span)} AND ${liveRows('headcount_daily', org, span)}
          GROUP BY d, g ORDER BY d, g`,
      headcountRow,
      { org },
    ),
    warehouse.query(
      sql`SELECT toString(day) AS d, ${g} AS g, toUInt8(department != counterpart) AS cross, quantileExactMerge(0.5)(latency) AS median, sum(n) AS n
          FROM response_daily WHERE org = ${org} AND kind = 'reply' AND ${dayRange(span)} AND ${liveRows('response_daily', org, span)}
          GROUP BY d, g, cross ORDER BY d, g, cross`,
      replyRow,
      { org },
    ),
    warehouse.query(
      sql`SELECT toString(day) AS d, ${g} AS g, sum(attendee_seconds) AS attendeeSeconds
          FROM meeting_daily WHERE org = ${org} AND ${dayRange(span)} AND ${liveRows('meeting_daily', org, span)}
          GROUP BY d, g ORDER BY d, g`,
      meetingRow,
      { org },
    ),
    warehouse.query(
      sql`SELECT toString(day) AS d, ${g} AS g, kind, quantileExactMerge(0.5)(cycle) AS median, sum(n) AS n, sum(automated) AS automated
          FROM approval_daily WHERE org = ${org} AND ${dayRange(span)} AND ${liveRows('approval_daily', org, span)}
          GROUP BY d, g, kind ORDER BY d, g, kind`,
      approvalRow,
      { org },
    ),
  ]);
  return { activity, headcount, replies, meetings, approvals };
}

/** n-weighted mean of daily medians: a robust summary of a latency over a window. */
export function weightedMedian(rows: readonly { median: number; n: number }[]): number | null {
  let total = 0;
  let weight = 0;
  for (const r of rows) {
    if (r.n <= 0 || !Number.isFinite(r.median)) continue;
    total += r.median * r.n;
    weight += r.n;
  }
  return weight > 0 ? total / weight : null;
}
