// Workflows page: approval cycle time by kind, task completion (within 7 days) and cycle time, and the
// share of workflow events that were automated (step 4, system integration). Reads approval_daily
// and task_daily.
import { z } from 'zod';
import { sql } from '$warehouse/sql.ts';
import type { DayRange } from '$lib/date-range.ts';
import { rangeLength } from '$lib/date-range.ts';
import { label, text, type PageView } from '$lib/view.ts';
import type { PageContext } from '../page-load.ts';
import { periodOf } from '../periods-sql.ts';
import { dayRange, inDepartments, liveRows } from '../rollup-sql.ts';
import { align, change, ratio, trendOf, withComparison } from './common.ts';

const kindRow = z.object({ kind: z.string(), n: z.coerce.number(), automated: z.coerce.number(), q: z.array(z.coerce.number()) });
const approvalTrendRow = z.object({ p: z.string(), n: z.coerce.number(), automated: z.coerce.number(), median: z.coerce.number() });
const taskTrendRow = z.object({ p: z.string(), created: z.coerce.number(), completed7: z.coerce.number(), completed: z.coerce.number(), median: z.coerce.number() });
const summaryRow = z.object({ n: z.coerce.number(), automated: z.coerce.number(), median: z.coerce.number() });
const taskSummaryRow = z.object({ created: z.coerce.number(), completed7: z.coerce.number(), completed: z.coerce.number(), median: z.coerce.number() });

async function summary(ctx: PageContext, range: DayRange) {
  const org = ctx.org.id;
  const deps = inDepartments(ctx.scope.departments);
  const [a, t] = await Promise.all([
    ctx.warehouse.query(
      sql`SELECT sum(n) AS n, sum(automated) AS automated, quantileExactMerge(0.5)(cycle) AS median
          FROM approval_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('approval_daily', org, range)}${deps}`,
      summaryRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT sum(created) AS created, sum(completed_7d) AS completed7, sum(completed) AS completed, quantileExactMerge(0.5)(cycle) AS median
          FROM task_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('task_daily', org, range)}${deps}`,
      taskSummaryRow,
      { org },
    ),
  ]);
  return {
    approvalCycle: a[0] && a[0].n > 0 ? a[0].median : null,
    automationShare: a[0] ? ratio(a[0].automated, a[0].n) : null,
    automatedPerYear: a[0] ? (a[0].automated / rangeLength(range)) * 365 : null,
    completion: t[0] ? ratio(t[0].completed7, t[0].created) : null,
    taskCycle: t[0] && t[0].completed > 0 ? t[0].median : null,
  };
}

export async function loadWorkflowsView(ctx: PageContext): Promise<PageView> {
  const org = ctx.org.id;
  const range = ctx.scope.filters.range;
  const deps = inDepartments(ctx.scope.departments);
  const trend = trendOf(range);
  const period = periodOf(trend.granularity);
  const [sums, kinds, approvalTrend, taskTrend] = await Promise.all([
    withComparison(ctx, (r) => summary(ctx, r)),
    ctx.warehouse.query(
      sql`SELECT kind, sum(n) AS n, sum(automated) AS automated, [quantileExactMerge(0.5)(cycle), quantileExactMerge(0.9)(cycle)] AS q
          FROM approval_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('approval_daily', org, range)}${deps}
          GROUP BY kind ORDER BY n DESC, kind`,
      kindRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT ${period} AS p, sum(n) AS n, sum(automated) AS automated, quantileExactMerge(0.5)(cycle) AS median
          FROM approval_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('approval_daily', org, range)}${deps}
          GROUP BY p ORDER BY p`,
      approvalTrendRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT ${period} AS p, sum(created) AS created, sum(completed_7d) AS completed7, sum(completed) AS completed, quantileExactMerge(0.5)(cycle) AS median
          FROM task_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('task_daily', org, range)}${deps}
          GROUP BY p ORDER BY p`,
      taskTrendRow,
      { org },
    ),
  ]);
  const { now, before } = sums;
  const emptyApprovals = { title: label('wf.noApprovals'), hint: label('empty.runJobs') };
  const kindName = (k: string) => (k ? text(k) : label('wf.unknownKind'));
  return {
    notices: [],
    tiles: [
      { id: 'approval-cycle', label: label('wf.approvalCycle'), value: now.approvalCycle, unit: 'seconds', change: change(now.approvalCycle, before?.approvalCycle), higherIsBetter: false },
      { id: 'task-completion', label: label('wf.taskCompletion'), value: now.completion, unit: 'percent', change: change(now.completion, before?.completion), higherIsBetter: true, hint: label('wf.taskCompletionHint') },
      { id: 'task-cycle', label: label('wf.taskCycle'), value: now.taskCycle, unit: 'seconds', change: change(now.taskCycle, before?.taskCycle), higherIsBetter: false },
      { id: 'automation-share', label: label('wf.automationShare'), value: now.automationShare, unit: 'percent', change: change(now.automationShare, before?.automationShare), higherIsBetter: true },
      { id: 'automated-year', label: label('wf.automatedPerYear'), value: now.automatedPerYear, unit: 'count', change: change(now.automatedPerYear, before?.automatedPerYear), higherIsBetter: true, hint: label('wf.automatedPerYearHint') },
    ],
    panels: [
      {
        kind: 'bars',
        id: 'approval-cycle-by-kind',
        title: label('wf.byKindTitle'),
        subtitle: label('wf.byKindSubtitle'),
        unit: 'seconds',
        horizontal: true,
        categories: kinds.map((k) => kindName(k.kind)),
        series: [
          { name: label('wf.median'), values: kinds.map((k) => (k.n > 0 ? (k.q[0] ?? null) : null)) },
          { name: label('wf.p90'), values: kinds.map((k) => (k.n > 0 ? (k.q[1] ?? null) : null)) },
        ],
        empty: emptyApprovals,
      },
      {
        kind: 'trend',
        id: 'automation-trend',
        title: label('wf.automationTitle'),
        subtitle: label('wf.automationSubtitle'),
        unit: 'percent',
        min: 0,
        max: 1,
        ...trend,
        series: [{ name: label('wf.automationShare'), values: align(trend, approvalTrend, (r) => ratio(r.automated, r.n)), kind: 'area' }],
        empty: emptyApprovals,
      },
      {
        kind: 'trend',
        id: 'task-completion',
        title: label('wf.taskTitle'),
        subtitle: label('wf.taskSubtitle'),
        unit: 'percent',
        min: 0,
        max: 1,
        ...trend,
        series: [{ name: label('wf.taskCompletion'), values: align(trend, taskTrend, (r) => ratio(r.completed7, r.created)) }],
        empty: { title: label('wf.noTasks'), hint: label('empty.runJobs') },
      },
      {
        kind: 'trend',
        id: 'approval-cycle-trend',
        title: label('wf.cycleTrendTitle'),
        unit: 'seconds',
        ...trend,
        series: [
          { name: label('wf.approvalCycle'), values: align(trend, approvalTrend, (r) => (r.n > 0 ? r.median : null)) },
          { name: label('wf.taskCycle'), values: align(trend, taskTrend, (r) => (r.completed > 0 ? r.median : null)), reference: true },
        ],
        empty: emptyApprovals,
      },
      {
        kind: 'table',
        id: 'approval-kinds',
        title: label('wf.kindsTable'),
        unit: 'count',
        columns: [{ label: label('wf.kind') }, { label: label('wf.approvals'), unit: 'count' }, { label: label('wf.automated'), unit: 'count' }, { label: label('wf.median'), unit: 'seconds' }, { label: label('wf.p90'), unit: 'seconds' }],
        rows: kinds.map((k) => [kindName(k.kind), k.n, k.automated, k.n > 0 ? (k.q[0] ?? null) : null, k.n > 0 ? (k.q[1] ?? null) : null]),
        empty: emptyApprovals,
      },
    ],
  };
}
