// Network and engagement metrics: the department interaction matrix and silo index, after-hours and
// weekend share, group activity, document co-editing, and the activity-drop early warning.
import { z } from 'zod';
import { addDays, mondayOf } from '../../queries/rollups/calendar.ts';
import { sql } from '../../sql.ts';
import { ratio, readSimple, toPoint, type MetricPoint, type MetricSpec } from '../metric-spec.ts';
import { PERIODS, ratioMetric } from './shapes.ts';

/** Every reply by someone else, by replier's (department) and sender's (counterpart) department. */
const interactions = { table: 'response_kind_daily' as const, where: sql`kind = 'interaction'` };

export const deptInteractions: MetricSpec = {
  id: 'dept_interactions',
  unit: 'count',
  definition:
    'Replies by people of department A (`department`, on the reply’s day) to messages of people of department B (`counterpart`, on the message’s day): every reply by someone other than the sender within 30 days, on the reply’s local day. A matrix: one point per pair and period (weekly in the dashboard).',
  tables: [interactions.table],
  groupings: PERIODS,
  percentile: false,
  peopleLevel: true,
  // A year by day is ~60,000 (pair, day) points, by week ~15,000, most of them under k (each needs
  // its people set merged to decide): a month by day, half a year by week, or one department's row.
  maxDaysWithoutDepartment: { day: 31, week: 183 },
  read: async (ctx) => {
    const points = await readSimple(ctx, {
      ...interactions,
      value: sql`sum(n)`,
      n: sql`sum(n)`,
      // Exact people sets, no lower bound first: most (pair, period) cells are small, so they would be recounted anyway.
      people: sql`uniqExactMerge(people)`,
      extra: { column: sql`concat(department, '|', counterpart)`, as: 'counterpart' },
    });
    // The pair is one key; split it back into replier and original sender departments.
    return points.map((p) => {
      const [from = '', to = ''] = (p.counterpart ?? '').split('|');
      return { ...p, department: from, counterpart: to };
    });
  },
};

export const siloIndex: MetricSpec = ratioMetric(
  {
    id: 'silo_index',
    unit: 'fraction',
    definition: 'Of the replies given by a department’s people (as in dept_interactions), the share to messages of their own department. 1 = talks only to itself.',
  },
  { ...interactions, numerator: sql`sumIf(n, department = counterpart)`, denominator: sql`sum(n)` },
);

export const afterHoursShare: MetricSpec = ratioMetric(
  {
    id: 'after_hours_share',
    unit: 'fraction',
    definition:
      'Of people’s non-automated platform events, the share on a weekday (Mon–Fri) outside 09:00–18:00 in the person’s own timezone (the organisation’s when the directory has none), by department. Weekend events are in weekend_share, not here.',
  },
  { table: 'activity_daily', numerator: sql`sum(after_hours)`, denominator: sql`sum(events)` },
);

export const weekendShare: MetricSpec = ratioMetric(
  {
    id: 'weekend_share',
    unit: 'fraction',
    definition: 'Of people’s non-automated platform events, the share on Saturday or Sunday in the person’s own timezone, by department.',
  },
  { table: 'activity_daily', numerator: sql`sum(weekend)`, denominator: sql`sum(events)` },
);

export const groupActivity: MetricSpec = {
  id: 'group_activity',
  unit: 'ratio',
  definition:
    'Messages per active conversation per week: messages sent in conversations (each message once, on its local day) ÷ the conversations with ≥ 1 such message that week (Monday–Sunday, local), by the sender’s department (a conversation shared by departments is active in each, and once for the organisation). A month or a department’s range adds its weeks up (Σ messages ÷ Σ weekly active conversations); weeks count when their Monday is in the range.',
  tables: ['group_weekly'],
  groupings: ['week', 'month', 'department'],
  percentile: false,
  peopleLevel: true,
  read: (ctx) =>
    readSimple(ctx, {
      table: 'group_weekly',
      // Department rows for a department's figures, the organisation's own rows otherwise.
      where: ctx.groupBy === 'department' || ctx.department !== undefined ? sql`whole = 0` : sql`whole = 1`,
      value: ratio(sql`sum(messages)`, sql`sum(groups)`),
      n: sql`sum(groups)`,
      people: sql`uniqExactMerge(people)`,
    }),
};

export const docCoeditRate: MetricSpec = ratioMetric(
  {
    id: 'doc_coedit_rate',
    unit: 'fraction',
    definition:
      'Documents edited (non-automated doc.edited, object = document) by ≥ 2 distinct people in a week (Monday–Sunday, local) ÷ documents edited that week; weeks, months or a department’s whole range combine the weekly sets. By the editors’ departments; a document is counted once overall.',
  },
  { table: 'doc_weekly', groupings: ['week', 'month', 'department'], numerator: sql`uniqExactMerge(coedited)`, denominator: sql`uniqExactMerge(docs)` },
);

export const BASELINE_WEEKS = 4;
const weekRow = z.object({ week: z.string(), department: z.string(), events: z.coerce.number(), k_people: z.coerce.number() });

export const activityDrop: MetricSpec = {
  id: 'activity_drop',
  unit: 'ratio',
  definition:
    'A department’s non-automated platform events in a week ÷ the mean of its previous 4 weeks (weeks without events count as 0): 1 = as usual, 0.6 = a 40% drop. NULL when the baseline is 0. Weekly only; groupBy=department gives each department’s weeks.',
  tables: ['activity_daily'],
  groupings: ['week', 'department'],
  percentile: false,
  peopleLevel: true,
  async read(ctx) {
    const first = addDays(mondayOf(ctx.from), -7 * BASELINE_WEEKS);
    const rows = await ctx.warehouse.query(
      sql`
        SELECT toString(toMonday(day)) AS week, department, sum(events) AS events, uniqExactMerge(people) AS k_people
        FROM (${ctx.rows('activity_daily', { from: first, to: ctx.to })})
        WHERE org = ${ctx.org.id} ${ctx.department === undefined ? sql`` : sql`AND department = ${ctx.department}`}
        GROUP BY week, department
        ORDER BY department, week`,
      weekRow,
      { org: ctx.org.id },
    );
    const byKey = new Map(rows.map((r) => [`${r.department}|${r.week}`, r]));
    const departments = [...new Set(rows.map((r) => r.department))];
    const points: MetricPoint[] = [];
    for (const department of departments) {
      for (let week = mondayOf(ctx.from); week <= ctx.to; week = addDays(week, 7)) {
        const current = byKey.get(`${department}|${week}`);
        let baseline = 0;
        // The team's size for k-anonymity: its most active week in the window (a silent week still belongs to a team).
        let people = current?.k_people ?? 0;
        for (let i = 1; i <= BASELINE_WEEKS; i++) {
          const before = byKey.get(`${department}|${addDays(week, -7 * i)}`);
          baseline += before?.events ?? 0;
          people = Math.max(people, before?.k_people ?? 0);
        }
        baseline /= BASELINE_WEEKS;
        const events = current?.events ?? 0;
        points.push({ ...toPoint('week', week, department, baseline > 0 ? events / baseline : null, events, people), department });
      }
    }
    return points;
  },
};
