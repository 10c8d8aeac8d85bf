// Network and engagement metrics: the department interaction matrix and silo index, after-hours and
// weekend share, group activity, document co-editing, and the activity-drop early warning.
import { z } from 'zod';
import { addDays, mondayOf } from '../../queries/rollups/calendar.ts';
import { sql } from '../../sql.ts';
import { ratio, readSimple, toPoint, type MetricPoint, type MetricSpec } from '../metric-spec.ts';

const PERIODS = ['day', 'week', 'month', 'department'] as const;

export const deptInteractions: MetricSpec = {
  id: 'dept_interactions',
  unit: 'count',
  definition:
    'Replies by people of department A (`department`, on the reply’s day) to messages of people of department B (`counterpart`, on the message’s day): every reply by someone other than the sender within 30 days, on the reply’s local day. A matrix: one point per pair and period (weekly in the dashboard).',
  tables: ['response_daily'],
  groupings: PERIODS,
  percentile: false,
  peopleLevel: true,
  read: async (ctx) => {
    const points = await readSimple(ctx, {
      table: 'response_daily',
      where: sql`kind = 'interaction'`,
      value: sql`sum(n)`,
      n: sql`sum(n)`,
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

export const siloIndex: MetricSpec = {
  id: 'silo_index',
  unit: 'fraction',
  definition: 'Of the replies given by a department’s people (as in dept_interactions), the share to messages of their own department. 1 = talks only to itself.',
  tables: ['response_daily'],
  groupings: PERIODS,
  percentile: false,
  peopleLevel: true,
  read: (ctx) =>
    readSimple(ctx, {
      table: 'response_daily',
      where: sql`kind = 'interaction'`,
      value: ratio(sql`sumIf(n, department = counterpart)`, sql`sum(n)`),
      n: sql`sum(n)`,
      people: sql`uniqExactMerge(people)`,
    }),
};

export const afterHoursShare: MetricSpec = {
  id: 'after_hours_share',
  unit: 'fraction',
  definition:
    'Of people’s non-automated platform events, the share on a weekday (Mon–Fri) outside 09:00–18:00 in the person’s own timezone (the organisation’s when the directory has none), by department. Weekend events are in weekend_share, not here.',
  tables: ['activity_daily'],
  groupings: PERIODS,
  percentile: false,
  peopleLevel: true,
  read: (ctx) =>
    readSimple(ctx, { table: 'activity_daily', value: ratio(sql`sum(after_hours)`, sql`sum(events)`), n: sql`sum(events)`, people: sql`uniqExactMerge(people)` }),
};

export const weekendShare: MetricSpec = {
  id: 'weekend_share',
  unit: 'fraction',
  definition: 'Of people’s non-automated platform events, the share on Saturday or Sunday in the person’s own timezone, by department.',
  tables: ['activity_daily'],
  groupings: PERIODS,
  percentile: false,
  peopleLevel: true,
  read: (ctx) =>
    readSimple(ctx, { table: 'activity_daily', value: ratio(sql`sum(weekend)`, sql`sum(events)`), n: sql`sum(events)`, people: sql`uniqExactMerge(people)` }),
};

export const groupActivity: MetricSpec = {
  id: 'group_activity',
  unit: 'ratio',
  definition:
    'Messages sent in conversations (conversation set) ÷ distinct active conversations (with ≥ 1 message) in the period (weekly in the dashboard), by the sender’s department.',
  tables: ['message_daily'],
  groupings: PERIODS,
  percentile: false,
  peopleLevel: true,
  read: (ctx) =>
    readSimple(ctx, {
      table: 'message_daily',
      value: ratio(sql`sum(group_messages)`, sql`uniqExactMerge(conversations)`),
      n: sql`uniqExactMerge(conversations)`,
      people: sql`uniqExactMerge(people)`,
    }),
};

export const docCoeditRate: MetricSpec = {
  id: 'doc_coedit_rate',
  unit: 'fraction',
  definition:
    'Documents edited (non-automated doc.edited, object = document) by ≥ 2 distinct people in a week (Monday–Sunday, local) ÷ documents edited that week; weeks, months or a department’s whole range combine the weekly sets. By the editors’ departments; a document is counted once overall.',
  tables: ['doc_weekly'],
  groupings: ['week', 'month', 'department'],
  percentile: false,
  peopleLevel: true,
  read: (ctx) =>
    readSimple(ctx, {
      table: 'doc_weekly',
      value: ratio(sql`uniqExactMerge(coedited)`, sql`uniqExactMerge(docs)`),
      n: sql`uniqExactMerge(docs)`,
      people: sql`uniqExactMerge(people)`,
    }),
};

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
