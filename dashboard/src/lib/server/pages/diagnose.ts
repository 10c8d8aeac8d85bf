// Diagnose page (step 1): the baseline window before the pilot — slowest cross-department reply
// pairs, each department's silo index, approval cycle by kind, and what the status quo costs in
// waiting time. Read from the rollout job's stored diagnose section (jobs/rollout/compute-diagnose.ts:
// the plan's baseline window, else the first 28 days with data); groups under k people are not shown.
import { label, text, type PageView } from '$lib/view.ts';
import type { PageContext } from '../page-load.ts';
import { isShown } from '../privacy.ts';
import { departmentNamer } from './common.ts';
import { readStoredRollout } from './rollout-measures.ts';

export { baselineWindow } from '$jobs/rollout/compute-diagnose.ts';

const SLOWEST_PAIRS = 10;

export async function loadDiagnoseView(ctx: PageContext): Promise<PageView & { currency: string }> {
  const { stored, notices } = await readStoredRollout(ctx, ['diagnose']);
  const name = departmentNamer(ctx);
  const d = stored.diagnose?.body;
  const window = d?.window;
  // A department filter narrows the per-department lists; the organisation-level figures stay whole.
  const inScope = (department: string) => ctx.scope.departments === undefined || ctx.scope.departments.includes(department);
  const slowest = (d?.slowestPairs ?? []).filter((p) => isShown(p.people) && inScope(p.department)).slice(0, SLOWEST_PAIRS);
  const shownSilos = (d?.departments ?? []).filter((s) => isShown(s.people) && inScope(s.department));
  const kinds = d?.approvalKinds ?? [];
  const crossMedian = d?.crossTeam.median ?? null;
  const repliesPerWeek = d?.crossTeam.repliesPerWeek ?? null;
  const waitingHoursPerWeek = d?.crossTeam.waitingHoursPerWeek ?? null;
  const costPerWeek = d?.cost.perWeek ?? null;
  const productive = d?.cost.productiveFraction ?? null;
  const hourly = d?.cost.hourlyCost ?? null;
  const orgSilo = d?.siloIndex ?? null;
  const worst = slowest[0];

  return {
    currency: d?.cost.currency ?? 'HKD',
    notices: [...(window ? [{ tone: 'info' as const, text: label('diag.window', { from: window.from, to: window.to }) }] : []), ...notices],
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
          { label: label('roi.blockingShare'), value: d?.cost.blockingShare ?? null, unit: 'percent' },
          { label: label('roi.capHours'), value: d?.cost.capHours ?? null, unit: 'hours' },
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
        series: [{ name: label('network.silo'), values: shownSilos.map((s) => s.siloIndex) }],
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
