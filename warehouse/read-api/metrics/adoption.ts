// Adoption metrics: active users, active rate, stickiness, days to activation, the adoption funnel.
import { z } from 'zod';
import { day, joinSql, sql, type SqlFragment } from '../../sql.ts';
import { dayDiff } from '../../queries/rollups/calendar.ts';
import { departmentOf, periodOf, quantileLevel, readSimple, toPoint, type MetricPoint, type MetricSpec, type ReadContext } from '../metric-spec.ts';
import { PERIODS } from './shapes.ts';


function departmentFilter(ctx: ReadContext): SqlFragment {
  return ctx.department === undefined ? sql`1` : sql`department = ${ctx.department}`;
}

export const activeUsers: MetricSpec = {
  id: 'active_users',
  unit: 'users',
  definition:
    'Distinct people with at least one non-automated event on a platform channel (not email) in the period, by their department on the day of the activity; people missing from the directory are counted under department "" (not in directory).',
  tables: ['activity_daily'],
  groupings: PERIODS,
  percentile: false,
  peopleLevel: true,
  read: (ctx) =>
    readSimple(ctx, { table: 'activity_daily', value: sql`uniqExactMerge(people)`, n: sql`uniqExactMerge(people)`, people: sql`uniqExactMerge(people)` }),
};

const rateRow = z.object({
  period: z.string(),
  dept: z.string(),
  active: z.coerce.number(),
  licensed: z.coerce.number(),
  days: z.coerce.number(),
  peak: z.coerce.number(),
});

export const activeRate: MetricSpec = {
  id: 'active_rate',
  unit: 'fraction',
  definition:
    'Licensed people employed on a day who were active that day ÷ licensed people employed that day; over a week, month or range the person-days are summed: Σ active licensed ÷ Σ licensed headcount.',
  tables: ['activity_daily', 'headcount_daily'],
  groupings: PERIODS,
  percentile: false,
  peopleLevel: true,
  async read(ctx) {
    const period = periodOf(ctx.groupBy);
    const dept = departmentOf(ctx.groupBy);
    const rows = await ctx.warehouse.query(
      sql`
        SELECT period, dept, sum(licensed_day) AS licensed, sum(active_day) AS active, count() AS days, max(licensed_day) AS peak
        FROM (
          SELECT period, dept, day, licensed_day, active_day
          FROM (
            SELECT ${period} AS period, ${dept} AS dept, day, sum(licensed) AS licensed_day
            FROM (${ctx.rows('headcount_daily')}) WHERE org = ${ctx.org.id} AND ${departmentFilter(ctx)}
            GROUP BY period, dept, day
          ) AS t_headcount
          ALL LEFT JOIN (
            SELECT ${period} AS period, ${dept} AS dept, day, uniqExactIfMerge(licensed_people) AS active_day
            FROM (${ctx.rows('activity_daily')}) WHERE org = ${ctx.org.id} AND ${departmentFilter(ctx)}
            GROUP BY period, dept, day
          ) AS t_activity USING (period, dept, day)
        )
        GROUP BY period, dept
        HAVING licensed > 0
        ORDER BY period, dept`,
      rateRow,
      { org: ctx.org.id },
    );
    // k counts the people in the group: its largest daily headcount.
    return rows.map((r) => toPoint(ctx.groupBy, r.period, r.dept, r.licensed > 0 ? r.active / r.licensed : null, r.licensed, r.peak));
  },
};

const stickyRow = z.object({ period: z.string(), dept: z.string(), dau_sum: z.coerce.number(), users: z.coerce.number(), first: z.string(), last: z.string() });

export const stickiness: MetricSpec = {
  id: 'stickiness',
  unit: 'ratio',
  definition:
    'Average daily active users over the days of the period ÷ distinct active users in the period: grouped by month this is DAU/MAU, by week DAU/WAU, by department it spans the whole range. Days without activity count as 0.',
  tables: ['activity_daily'],
  groupings: ['week', 'month', 'department'],
  percentile: false,
  peopleLevel: true,
  async read(ctx) {
    const rows = await ctx.warehouse.query(
      sql`
        SELECT period, dept, sum(dau) AS dau_sum, uniqExactMerge(st) AS users, toString(min(day)) AS first, toString(max(day)) AS last
        FROM (
          SELECT ${periodOf(ctx.groupBy)} AS period, ${departmentOf(ctx.groupBy)} AS dept, day,
            uniqExactMerge(people) AS dau, uniqExactMergeState(people) AS st
          FROM (${ctx.rows('activity_daily')}) WHERE org = ${ctx.org.id} AND ${departmentFilter(ctx)}
          GROUP BY period, dept, day
        )
        GROUP BY period, dept
        ORDER BY period, dept`,
      stickyRow,
      { org: ctx.org.id },
    );
    return rows.map((r) => {
      const days = daysInPeriod(ctx, r.period);
      return toPoint(ctx.groupBy, r.period, r.dept, r.users > 0 ? r.dau_sum / days / r.users : null, r.users, r.users);
    });
  },
};

/** Calendar days of the period that fall inside the requested range. */
export function daysInPeriod(ctx: Pick<ReadContext, 'groupBy' | 'from' | 'to'>, period: string): number {
  let start = ctx.from;
  let end = ctx.to;
  if (ctx.groupBy === 'week' || ctx.groupBy === 'month') {
    const pEnd =
      ctx.groupBy === 'week'
        ? new Date(Date.parse(`${period}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10)
        : new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 0)).toISOString().slice(0, 10);
    start = period > start ? period : start;
    end = pEnd < end ? pEnd : end;
  } else if (ctx.groupBy === 'day') {
    return 1;
  }
  return dayDiff(start, end) + 1;
}

const adoptionFilters = (ctx: ReadContext): SqlFragment =>
  joinSql([sql`org = ${ctx.org.id}`, ...(ctx.department === undefined ? [] : [sql`department = ${ctx.department}`])], ' AND ');

const daysRow = z.object({ period: z.string(), dept: z.string(), value: z.number().nullable(), n_obs: z.coerce.number() });

export const daysToActivation: MetricSpec = {
  id: 'days_to_activation',
  unit: 'days',
  definition:
    "Per licensed person who became active in the range: first active day − the later of their wave's start and the day they were first licensed and employed (never below 0); p50/p90, by the day of activation and the person's current department.",
  tables: ['adoption_people'],
  groupings: PERIODS,
  percentile: true,
  peopleLevel: true,
  async read(ctx) {
    const rows = await ctx.warehouse.query(
      sql`
        SELECT ${periodOf(ctx.groupBy, sql`act`)} AS period, ${departmentOf(ctx.groupBy)} AS dept,
          quantileExact(${quantileLevel(ctx.stat)})(toFloat64(greatest(toInt64(act) - toInt64(greatest(ifNull(wave_start, invited), invited)), 0))) AS value,
          count() AS n_obs
        FROM (SELECT *, assumeNotNull(activated) AS act FROM (${ctx.rows('adoption_people')}) WHERE activated IS NOT NULL AND invited IS NOT NULL)
        WHERE ${adoptionFilters(ctx)} AND act >= ${day(ctx.from)} AND act <= ${day(ctx.to)}
        GROUP BY period, dept
        ORDER BY period, dept`,
      daysRow,
      { org: ctx.org.id },
    );
    return rows.map((r) => toPoint(ctx.groupBy, r.period, r.dept, r.value, r.n_obs, r.n_obs));
  },
};

export const FUNNEL_STAGES = ['invited', 'activated', 'weekly_active', 'habitual'] as const;
const funnelRow = z.object({ dept: z.string(), s_invited: z.coerce.number(), s_activated: z.coerce.number(), s_weekly_active: z.coerce.number(), s_habitual: z.coerce.number() });

export const adoptionFunnel: MetricSpec = {
  id: 'adoption_funnel',
  unit: 'people',
  definition:
    'As of the range end: licensed people invited (first licensed and employed) → activated (≥ 1 active day) → weekly active (a week, Monday–Sunday, with ≥ 3 active days) → habitual (4 weekly-active weeks in a row). One point per stage; value = people who reached it by `to`, n = people invited by `to`.',
  tables: ['adoption_people'],
  groupings: ['department', 'day'],
  percentile: false,
  peopleLevel: true,
  async read(ctx) {
    const to = day(ctx.to);
    const rows = await ctx.warehouse.query(
      sql`
        SELECT ${departmentOf(ctx.groupBy)} AS dept,
          count() AS s_invited,
          countIf(ifNull(activated <= ${to}, 0)) AS s_activated,
          countIf(ifNull(weekly_active <= ${to}, 0)) AS s_weekly_active,
          countIf(ifNull(habitual <= ${to}, 0)) AS s_habitual
        FROM (${ctx.rows('adoption_people')})
        WHERE ${adoptionFilters(ctx)} AND invited <= ${to}
        GROUP BY dept
        ORDER BY dept`,
      funnelRow,
      { org: ctx.org.id },
    );
    const points: MetricPoint[] = [];
    for (const r of rows) {
      for (const stage of FUNNEL_STAGES) {
        const base = toPoint(ctx.groupBy, ctx.to, r.dept, r[`s_${stage}`], r.s_invited, r.s_invited, { stage });
        points.push(ctx.groupBy === 'day' ? { ...base, period: ctx.to } : base);
      }
    }
    return points;
  },
};
