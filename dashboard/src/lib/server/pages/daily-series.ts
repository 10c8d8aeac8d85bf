// Daily series split into two groups of departments (pilot vs control, or a wave vs the rest), read
// from the rollups: the inputs of difference-in-differences, KPIs and adoption curves. Each function
// is one query; grouping happens in ClickHouse so quantile states merge correctly within a group.
import { z } from 'zod';
import { sql, type SqlFragment } from '$warehouse/sql.ts';
import type { DayRange } from '$lib/date-range.ts';
import type { PageContext } from '../page-load.ts';
import { dayRange, inDepartments, liveRows } from '../rollup-sql.ts';

/** `has(list, department)` as 0/1; constant 0 for an empty list (18.16 cannot type an empty array literal). */
export function inGroup(departments: readonly string[], column: SqlFragment = sql`department`): SqlFragment {
  return departments.length === 0 ? sql`toUInt8(0)` : sql`toUInt8(has(${departments}, ${column}))`;
}

const activityRow = z.object({ d: z.string(), g: z.coerce.number(), active: z.coerce.number(), people: z.coerce.number(), events: z.coerce.number(), afterHours: z.coerce.number(), weekend: z.coerce.number() });
const headcountRow = z.object({ d: z.string(), g: z.coerce.number(), licensed: z.coerce.number() });
const replyRow = z.object({ d: z.string(), g: z.coerce.number(), cross: z.coerce.number(), median: z.coerce.number(), n: z.coerce.number() });
const meetingRow = z.object({ d: z.string(), g: z.coerce.number(), attendeeSeconds: z.coerce.number(), meetings: z.coerce.number(), meetingSeconds: z.coerce.number() });
const approvalRow = z.object({ d: z.string(), g: z.coerce.number(), kind: z.string(), median: z.coerce.number(), n: z.coerce.number(), automated: z.coerce.number() });

export type ActivityDay = z.output<typeof activityRow>;
export type HeadcountDay = z.output<typeof headcountRow>;
export type ReplyDay = z.output<typeof replyRow>;
export type MeetingDay = z.output<typeof meetingRow>;
export type ApprovalDay = z.output<typeof approvalRow>;

export function activityByDay(ctx: PageContext, span: DayRange, group: readonly string[]): Promise<ActivityDay[]> {
  const org = ctx.org.id;
  return ctx.warehouse.query(
    sql`SELECT toString(day) AS d, ${inGroup(group)} AS g, uniqExactIfMerge(licensed_people) AS active, uniqExactMerge(people) AS people,
          sum(events) AS events, sum(after_hours) AS afterHours, sum(weekend) AS weekend
        FROM activity_daily
        WHERE org = ${org} AND ${dayRange(span)} AND ${liveRows('activity_daily', org, span)}${inDepartments(ctx.scope.departments)}
        GROUP BY d, g ORDER BY d, g`,
    activityRow,
    { org },
  );
}

export function headcountByDay(ctx: PageContext, span: DayRange, group: readonly string[]): Promise<HeadcountDay[]> {
  const org = ctx.org.id;
  return ctx.warehouse.query(
    sql`SELECT toString(day) AS d, ${inGroup(group)} AS g, sum(licensed) AS licensed
        FROM headcount_daily
        WHERE org = ${org} AND ${dayRange(span)} AND ${liveRows('headcount_daily', org, span)}${inDepartments(ctx.scope.departments)}
        GROUP BY d, g ORDER BY d, g`,
    headcountRow,
    { org },
  );
}

/** First replies by someone else: median latency (seconds) per day, group and cross-team or not. */
export function repliesByDay(ctx: PageContext, span: DayRange, group: readonly string[]): Promise<ReplyDay[]> {
  const org = ctx.org.id;
  return ctx.warehouse.query(
    sql`SELECT toString(day) AS d, ${inGroup(group)} AS g, toUInt8(department != counterpart) AS cross,
          quantileExactMerge(0.5)(latency) AS median, sum(n) AS n
        FROM response_daily
        WHERE org = ${org} AND kind = 'reply' AND ${dayRange(span)} AND ${liveRows('response_daily', org, span)}${inDepartments(ctx.scope.departments)}
        GROUP BY d, g, cross ORDER BY d, g, cross`,
    replyRow,
    { org },
  );
}

export function meetingsByDay(ctx: PageContext, span: DayRange, group: readonly string[]): Promise<MeetingDay[]> {
  const org = ctx.org.id;
  return ctx.warehouse.query(
    sql`SELECT toString(day) AS d, ${inGroup(group)} AS g, sum(attendee_seconds) AS attendeeSeconds, sum(meetings) AS meetings, sum(meeting_seconds) AS meetingSeconds
        FROM meeting_daily
        WHERE org = ${org} AND ${dayRange(span)} AND ${liveRows('meeting_daily', org, span)}${inDepartments(ctx.scope.departments)}
        GROUP BY d, g ORDER BY d, g`,
    meetingRow,
    { org },
  );
}

export function approvalsByDay(ctx: PageContext, span: DayRange, group: readonly string[]): Promise<ApprovalDay[]> {
  const org = ctx.org.id;
  return ctx.warehouse.query(
    sql`SELECT toString(day) AS d, ${inGroup(group)} AS g, kind, quantileExactMerge(0.5)(cycle) AS median, sum(n) AS n, sum(automated) AS automated
        FROM approval_daily
        WHERE org = ${org} AND ${dayRange(span)} AND ${liveRows('approval_daily', org, span)}${inDepartments(ctx.scope.departments)}
        GROUP BY d, g, kind ORDER BY d, g, kind`,
    approvalRow,
    { org },
  );
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

export function within(day: string, range: DayRange): boolean {
  return day >= range.from && day <= range.to;
}
