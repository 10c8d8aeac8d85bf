// Workflow and meeting metrics: approval cycle and automation, task completion and cycle, meeting load.
import { z } from 'zod';
import { sql } from '../../sql.ts';
import { departmentOf, periodOf, quantileLevel, ratio, readSimple, toPoint, type MetricSpec } from '../metric-spec.ts';
import { daysInPeriod } from './adoption.ts';
import { PERIODS, percentileMetric, ratioMetric } from './shapes.ts';

const kindFilter = (kind: string | undefined) => (kind === undefined ? undefined : sql`kind = ${kind}`);

export const approvalCycle: MetricSpec = {
  id: 'approval_cycle',
  unit: 'seconds',
  definition:
    'Per approval (approval.requested and approval.decided sharing object): first decision time − first request time in seconds (0 if the decision is stamped earlier), on the local day of the decision, by the requester’s department and attrs.kind (groupBy=kind, or filter with kind=…); p50/p90. Requests up to 92 days before the decision are matched; decisions without a request are not counted.',
  tables: ['approval_daily'],
  groupings: [...PERIODS, 'kind'],
  percentile: true,
  peopleLevel: true,
  read: (ctx) => {
    const where = kindFilter(ctx.kind);
    return readSimple(ctx, {
      table: 'approval_daily',
      value: sql`quantileExactMerge(${quantileLevel(ctx.stat)})(cycle)`,
      n: sql`sum(n)`,
      people: sql`uniqExactMerge(people)`,
      ...(where ? { where } : {}),
    });
  },
};

export const approvalAutomatedShare: MetricSpec = {
  id: 'approval_automated_share',
  unit: 'fraction',
  definition: 'Of the approvals decided in the period (as in approval_cycle), the share whose request or decision carries attrs.automated.',
  tables: ['approval_daily'],
  groupings: [...PERIODS, 'kind'],
  percentile: false,
  peopleLevel: true,
  read: (ctx) => {
    const where = kindFilter(ctx.kind);
    return readSimple(ctx, {
      table: 'approval_daily',
      value: ratio(sql`sum(automated)`, sql`sum(n)`),
      n: sql`sum(n)`,
      people: sql`uniqExactMerge(people)`,
      ...(where ? { where } : {}),
    });
  },
};

export const taskCompletionRate: MetricSpec = ratioMetric(
  {
    id: 'task_completion_rate',
    unit: 'fraction',
    definition:
      'Tasks created in the period (task.created, by the creator’s department on the creation day) whose first task.completed is within 7 days of creation ÷ tasks created in the period. Weekly by default in the dashboard; any period works.',
  },
  { table: 'task_daily', numerator: sql`sum(completed_7d)`, denominator: sql`sum(created)` },
);

export const taskCycle: MetricSpec = percentileMetric(
  {
    id: 'task_cycle',
    unit: 'seconds',
    definition:
      'Per task completed in the period (first task.completed, on its local day): completion − creation in seconds, p50/p90, by the creator’s department on the creation day. Tasks created up to 92 days earlier are matched.',
  },
  { table: 'task_daily', column: sql`cycle`, count: sql`completed` },
);

const meetingRow = z.object({ period: z.string(), dept: z.string(), hours: z.number(), employed_days: z.coerce.number(), attendees: z.coerce.number() });

export const meetingHoursPerPerson: MetricSpec = {
  id: 'meeting_hours_per_person',
  unit: 'hours',
  definition:
    'Attendee hours (Σ attrs.durationSec of meeting.held, once per meeting and attendee, by the attendee’s department on the meeting’s first local day) ÷ the department’s average daily headcount over the period (people employed, licensed or not). Weekly in the dashboard: hours per person per week.',
  tables: ['meeting_daily', 'headcount_daily'],
  groupings: PERIODS,
  percentile: false,
  peopleLevel: true,
  async read(ctx) {
    const period = periodOf(ctx.groupBy);
    const dept = departmentOf(ctx.groupBy);
    const filter = ctx.department === undefined ? sql`1` : sql`department = ${ctx.department}`;
    const rows = await ctx.warehouse.query(
      sql`
        SELECT period, dept, employed_days, hours, attendees
        FROM (
          SELECT ${period} AS period, ${dept} AS dept, sum(employed) AS employed_days
          FROM (${ctx.rows('headcount_daily')}) WHERE org = ${ctx.org.id} AND ${filter}
          GROUP BY period, dept
        ) AS t_headcount
        ALL LEFT JOIN (
          SELECT ${period} AS period, ${dept} AS dept, toFloat64(sum(attendee_seconds)) / 3600 AS hours, uniqExactMerge(people) AS attendees
          FROM (${ctx.rows('meeting_daily')}) WHERE org = ${ctx.org.id} AND ${filter}
          GROUP BY period, dept
        ) AS t_meetings USING (period, dept)
        WHERE employed_days > 0
        ORDER BY period, dept`,
      meetingRow,
      { org: ctx.org.id },
    );
    return rows.map((r) => {
      const headcount = r.employed_days / daysInPeriod(ctx, r.period);
      // k counts the people the average is over: the department's headcount.
      return toPoint(ctx.groupBy, r.period, r.dept, r.hours / headcount, r.attendees, Math.round(headcount));
    });
  },
};

export const avgMeetingMinutes: MetricSpec = ratioMetric(
  {
    id: 'avg_meeting_minutes',
    unit: 'minutes',
    definition:
      'Mean length of distinct meetings (object = meeting id; its length is the largest attrs.durationSec among its attendee events) held in the period, in minutes; a meeting belongs to the department of its first recorded attendee.',
  },
  { table: 'meeting_daily', numerator: sql`sum(meeting_seconds) / 60`, denominator: sql`sum(meetings)` },
);
