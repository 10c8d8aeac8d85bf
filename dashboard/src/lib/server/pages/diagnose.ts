// Diagnose page (step 1): the baseline window before the pilot — slowest cross-department reply
// pairs, each department's silo index, approval cycle by kind, and what the status quo costs in
// waiting time. Reads response_daily and approval_daily over the baseline window (from the rollout
// plan, else the days before the first wave, else the first 28 days with data).
import { z } from 'zod';
import { sql } from '$warehouse/sql.ts';
import { addDays, rangeLength, type DayRange } from '$lib/date-range.ts';
import { label, text, type PageView } from '$lib/view.ts';
import type { PageContext } from '../page-load.ts';
import { isShown } from '../privacy.ts';
import { rolloutContext } from '../rollout-plan.ts';
import { dayRange, inDepartments, liveRows } from '../rollup-sql.ts';
import { loadOrgSettings } from '../settings.ts';
import { departmentNamer, ratio } from './common.ts';

const pairRow = z.object({ department: z.string(), counterpart: z.string(), median: z.coerce.number(), n: z.coerce.number(), people: z.coerce.number() });
const interactionRow = z.object({ department: z.string(), inside: z.coerce.number(), total: z.coerce.number(), people: z.coerce.number() });
const kindRow = z.object({ kind: z.string(), n: z.coerce.number(), median: z.coerce.number() });
const crossRow = z.object({ n: z.coerce.number(), median: z.coerce.number() });

const SLOWEST_PAIRS = 10;
const MIN_PAIR_REPLIES = 10;

export function baselineWindow(planned: DayRange | undefined, firstDay: string | undefined, fallbackEnd: string): DayRange {
  if (planned) return planned;
  const from = firstDay ?? addDays(fallbackEnd, -27);
  return { from, to: addDays(from, 27) < fallbackEnd ? addDays(from, 27) : fallbackEnd };
}

export async function loadDiagnoseView(ctx: PageContext): Promise<PageView & { currency: string }> {
  const org = ctx.org.id;
  const settings = await loadOrgSettings(ctx.warehouse, org);
  const plan = rolloutContext(settings, ctx.directory);
  const window = baselineWindow(plan.baseline, ctx.directory.firstDay, ctx.scope.filters.range.to);
  const deps = inDepartments(ctx.scope.departments);
  const name = departmentNamer(ctx);
  const [pairs, silos, kinds, cross] = await Promise.all([
    ctx.warehouse.query(
      sql`SELECT department, counterpart, quantileExactMerge(0.5)(latency) AS median, sum(n) AS n, uniqExactMerge(people) AS people
          FROM response_daily WHERE org = ${org} AND kind = 'reply' AND department != counterpart AND department != '' AND counterpart != ''
            AND ${dayRange(window)} AND ${liveRows('response_daily', org, window)}${deps}
          GROUP BY department, counterpart HAVING n >= ${MIN_PAIR_REPLIES} ORDER BY median DESC, department, counterpart LIMIT 40`,
      pairRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT department, sumIf(n, department = counterpart) AS inside, sum(n) AS total, uniqExactMerge(people) AS people
          FROM response_daily WHERE org = ${org} AND kind = 'interaction' AND department != ''
            AND ${dayRange(window)} AND ${liveRows('response_daily', org, window)}${deps}
          GROUP BY department ORDER BY inside / total DESC, department`,
      interactionRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT kind, sum(n) AS n, quantileExactMerge(0.5)(cycle) AS median
          FROM approval_daily WHERE org = ${org} AND ${dayRange(window)} AND ${liveRows('approval_daily', org, window)}${deps}
          GROUP BY kind ORDER BY median DESC, kind`,
      kindRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT sum(n) AS n, quantileExactMerge(0.5)(latency) AS median
          FROM response_daily WHERE org = ${org} AND kind = 'reply' AND department != counterpart
            AND ${dayRange(window)} AND ${liveRows('response_daily', org, window)}${deps}`,
      crossRow,
      { org },
    ),
  ]);
  const slowest = pairs.filter((p) => isShown(p.people)).slice(0, SLOWEST_PAIRS);
  const shownSilos = silos.filter((s) => isShown(s.people));
  const c = cross[0];
  const crossMedian = c && c.n > 0 ? c.median : null;
  // Waiting cost of the status quo: cross-team replies per week × median wait × productive share × hourly cost.
  const weeks = rangeLength(window) / 7;
  const hourly = settings.roi.hourlyCostByLevel.default?.base ?? 0;
  const productive = settings.roi.productiveFraction.base;
  const repliesPerWeek = c ? c.n / weeks : 0;
  const waitingHoursPerWeek = crossMedian !== null ? (repliesPerWeek * crossMedian) / 3600 : null;
  const costPerWeek = waitingHoursPerWeek !== null ? waitingHoursPerWeek * productive * hourly : null;
  const orgSilo = ratio(silos.reduce((s, r) => s + r.inside, 0), silos.reduce((s, r) => s + r.total, 0));
  const worst = slowest[0];

  return {
    currency: settings.roi.currency,
    notices: [{ tone: 'info', text: label('diag.window', { from: window.from, to: window.to }) }],
    tiles: [
      { id: 'cross-median', label: label('diag.crossMedian'), value: crossMedian, unit: 'seconds' },
      { id: 'slowest-pair', label: label('diag.slowestPair'), value: worst ? text(`${name(worst.counterpart)} → ${name(worst.department)}`) : label('value.none'), unit: 'count', ...(worst ? { details: [{ label: label('resp.replyMedian'), value: worst.median, unit: 'seconds' as const }, { label: label('diag.replies'), value: worst.n, unit: 'count' as const }] } : {}) },
      { id: 'silo-index', label: label('diag.siloIndex'), value: orgSilo, unit: 'percent', hint: label('meet.siloHint') },
      {
        id: 'status-quo-cost',
        label: label('diag.cost'),
        value: costPerWeek,
        unit: 'currency',
        tone: 'bad',
        hint: label('diag.costHint'),
        details: [
          { label: label('diag.repliesPerWeek'), value: repliesPerWeek, unit: 'count' },
          { label: label('diag.waitingHours'), value: waitingHoursPerWeek, unit: 'hours' },
          { label: label('roi.productiveFraction'), value: productive, unit: 'percent' },
          { label: label('roi.hourlyCost'), value: hourly, unit: 'currency' },
        ],
      },
    ],
    panels: [
      {
        kind: 'bars',
        id: 'slowest-pairs',
        title: label('diag.pairsTitle'),
        subtitle: label('diag.pairsSubtitle'),
        unit: 'seconds',
        horizontal: true,
        categories: slowest.map((p) => text(`${name(p.counterpart)} → ${name(p.department)}`)),
        series: [{ name: label('resp.replyMedian'), values: slowest.map((p) => p.median) }],
        empty: { title: label('diag.noPairs'), hint: label('diag.noPairsHint') },
      },
      {
        kind: 'bars',
        id: 'silo-by-department',
        title: label('diag.siloTitle'),
        subtitle: label('diag.siloSubtitle'),
        unit: 'percent',
        horizontal: true,
        max: 1,
        categories: shownSilos.map((s) => text(name(s.department))),
        series: [{ name: label('network.silo'), values: shownSilos.map((s) => ratio(s.inside, s.total)) }],
        empty: { title: label('empty.noMessages'), hint: label('empty.runJobs') },
      },
      {
        kind: 'bars',
        id: 'baseline-approvals',
        title: label('diag.approvalsTitle'),
        unit: 'seconds',
        categories: kinds.map((k) => (k.kind ? text(k.kind) : label('wf.unknownKind'))),
        series: [{ name: label('wf.median'), values: kinds.map((k) => (k.n > 0 ? k.median : null)) }],
        empty: { title: label('wf.noApprovals'), hint: label('empty.runJobs') },
      },
    ],
  };
}
