// Rollout page (change managers): the five steps with their stage gates, adoption curves per wave,
// the adoption funnel, ambassadors and their reach, low-engagement departments with a suggested next
// action and its evidence, the fastest-response team of the month and the document co-editing trend.
// Read from the rollout job's stored sections (jobs/rollout/), which keep per-department rows so a
// department filter — or a department manager's subtree — is summed here rather than recomputed;
// departments of fewer than k licensed people are suppressed.
import { label, SUPPRESSED, text, type Label, type PageView, type Value } from '$lib/view.ts';
import type { RolloutBody } from '$contracts/rollout.ts';
import type { PageContext } from '../page-load.ts';
import { isShown, pageK } from '../privacy.ts';
import { departmentNamer, ratio } from './common.ts';
import { periodsIn, readStoredRollout } from './rollout-measures.ts';

type Gates = RolloutBody<'stage-gates'>;
type Action = RolloutBody<'optimisation'>['lowEngagement'][number]['action'];

const ACTION_LABELS: Record<Action, Label> = {
  ambassador_visit: label('action.ambassador'),
  training: label('action.training'),
  incentive: label('action.incentive'),
};

const STEP_LABELS: Record<Gates['stages'][number]['step'], Label> = {
  diagnose: label('step.diagnose'),
  commitment: label('step.commitment'),
  pilot: label('step.pilot'),
  integration: label('step.integration'),
  optimisation: label('step.optimisation'),
};

const REASONS = { bottom_decile: 'bottom 10% of activity per person', activity_drop: 'activity dropped vs its previous 4 weeks', low_reach: 'under half active in 14 days' } as const;

const percent = (x: number | null): Value => (x === null ? null : label('value.percent', { value: Math.round(x * 1000) / 10 }));

function gateValue(c: Gates['stages'][number]['criteria'][number]): Value {
  if (c.value === null) return null;
  // Counts are shown as they are; shares and changes as percentages.
  return c.id === 'baseline-days' || c.id === 'kpis-saved' ? c.value : percent(c.value);
}

/** Stage gates and the co-editing trend are organisation-wide: a department manager, whose view is a subtree, does not get them. */
function orgWideView(ctx: PageContext): boolean {
  return ctx.user.role !== 'department_manager';
}

export async function loadRolloutView(ctx: PageContext): Promise<PageView> {
  const { stored, notices } = await readStoredRollout(ctx, ['adoption', 'ambassadors', 'optimisation', 'stage-gates', 'pilot-vs-control']);
  const name = departmentNamer(ctx);
  const range = ctx.scope.filters.range;
  const scope = ctx.scope.departments === undefined ? undefined : new Set(ctx.scope.departments);
  const inScope = (department: string) => !scope || scope.has(department);
  const adoption = stored.adoption?.body;
  const optimisation = stored.optimisation?.body;
  const gates = stored['stage-gates']?.body;
  const pvc = stored['pilot-vs-control']?.body;
  const ambassadorReach = (stored.ambassadors?.body.departments ?? []).filter((d) => inScope(d.department));

  // Adoption per wave: the wave's departments in scope, summed per period.
  const shown = adoption ? periodsIn(adoption.periods, adoption.granularity, range) : [];
  const periods = adoption ? shown.map((i) => adoption.periods[i]!) : [];
  const cells = new Map<string, { active: number; licensed: number }>();
  for (const r of adoption?.byDepartment ?? []) cells.set(`${r.period}\u0000${r.department}`, r);
  const waveSeries = (adoption?.waves ?? [])
    .map((w) => ({ w, departments: w.departments.filter(inScope) }))
    .filter(({ departments }) => departments.length > 0)
    .map(({ w, departments }) => ({
      name: text(w.name),
      values: periods.map((p) => {
        let active = 0;
        let licensed = 0;
        for (const d of departments) {
          const c = cells.get(`${p}\u0000${d}`);
          active += c?.active ?? 0;
          licensed += c?.licensed ?? 0;
        }
        return isShown(licensed) ? Math.min(1, active / licensed) : null;
      }),
    }));

  // Funnel over the departments (and wave) in view.
  const wave = ctx.scope.filters.wave;
  const funnelRows = (adoption?.funnel ?? []).filter((f) => inScope(f.department) && (!wave || f.wave === wave));
  const f = funnelRows.reduce((s, r) => ({ invited: s.invited + r.invited, activated: s.activated + r.activated, weekly: s.weekly + r.weekly, habitual: s.habitual + r.habitual }), { invited: 0, activated: 0, weekly: 0, habitual: 0 });

  // Reach over the last 14 days, per department and summed.
  const departments = (optimisation?.departments ?? []).filter((d) => inScope(d.department)).sort((a, b) => name(a.department).localeCompare(name(b.department)));
  const reach = (rows: typeof departments) => ratio(rows.reduce((s, d) => s + d.active, 0), rows.reduce((s, d) => s + d.licensed, 0));
  const pilot = new Set(pvc?.pilotDepartments ?? []);
  const pilotReach = pilot.size > 0 ? reach(departments.filter((d) => pilot.has(d.department))) : null;
  const orgReach = reach(departments);
  const fastest = (optimisation?.fastestTeams ?? []).filter((t) => inScope(t.department) && isShown(t.people)).at(-1);
  const low = (optimisation?.lowEngagement ?? []).filter((d) => inScope(d.department));
  const docWeeks = optimisation?.docCoEditing ?? [];
  const docShown = orgWideView(ctx) ? periodsIn(docWeeks.map((w) => w.week), 'week', range).map((i) => docWeeks[i]!) : [];

  const orgWide = orgWideView(ctx);
  const gateRows: Value[][] = [];
  if (orgWide) {
    for (const s of gates?.stages ?? []) {
      for (const c of s.criteria) {
        const status = label(c.met === null ? 'gate.unknown' : c.met ? 'gate.met' : 'gate.notMet');
        const threshold = c.id === 'baseline-days' || c.id === 'kpis-saved' ? String(c.threshold) : `${Math.round(c.threshold * 1000) / 10}%`;
        gateRows.push([STEP_LABELS[s.step], s.start ? text(s.start) : label('value.none'), text(`${c.description} ${c.comparison === '>=' ? '≥' : '≤'} ${threshold}`), gateValue(c), status]);
      }
    }
  }

  return {
    notices: [...(pvc && !pvc.planSaved ? [{ tone: 'info' as const, text: label('rollout.inferredPlan') }] : []), ...notices],
    tiles: [
      { id: 'pilot-reach', label: label('rollout.pilotReach'), value: pilotReach, unit: 'percent', hint: label('rollout.reachHint') },
      { id: 'org-reach', label: label('rollout.orgReach'), value: orgReach, unit: 'percent', hint: label('rollout.reachHint') },
      { id: 'habitual', label: label('rollout.habitualShare'), value: isShown(f.invited) ? ratio(f.habitual, f.invited) : null, unit: 'percent', hint: label('rollout.habitualHint') },
      {
        id: 'fastest-team',
        label: label('rollout.fastestTeam', { month: fastest?.month ?? range.to.slice(0, 7) }),
        value: fastest ? text(name(fastest.department)) : label('rollout.noFastest'),
        unit: 'count',
        tone: fastest ? 'good' : 'default',
        ...(fastest ? { hint: label('rollout.fastestHint', { replies: fastest.replies }), details: [{ label: label('resp.replyMedian'), value: fastest.median, unit: 'seconds' as const }] } : {}),
      },
    ],
    panels: [
      {
        kind: 'table',
        id: 'five-steps',
        title: label('rollout.stepsTitle'),
        subtitle: label('rollout.stepsSubtitle'),
        unit: 'count',
        columns: [{ label: label('rollout.step') }, { label: label('rollout.start') }, { label: label('rollout.gate') }, { label: label('rollout.measured') }, { label: label('rollout.status') }],
        rows: gateRows,
        empty: { title: label('gate.unknown'), hint: orgWide ? label('empty.runJobs') : label('gate.orgWideOnly') },
      },
      {
        kind: 'trend',
        id: 'adoption-by-wave',
        title: label('rollout.wavesTitle'),
        subtitle: label('rollout.wavesSubtitle'),
        unit: 'percent',
        min: 0,
        max: 1,
        granularity: adoption?.granularity ?? 'day',
        periods,
        series: waveSeries,
        empty: { title: label('rollout.noWaves'), hint: label('rollout.noWavesHint') },
      },
      {
        kind: 'funnel',
        id: 'adoption-funnel',
        title: label('rollout.funnelTitle'),
        subtitle: label('rollout.funnelSubtitle'),
        unit: 'count',
        stages: isShown(f.invited)
          ? [
              { name: label('funnel.invited'), value: f.invited },
              { name: label('funnel.activated'), value: f.activated },
              { name: label('funnel.weekly'), value: f.weekly },
              { name: label('funnel.habitual'), value: f.habitual },
            ]
          : [],
        empty: { title: label('rollout.noFunnel'), hint: f.invited > 0 ? label('privacy.tooFew', { k: pageK() }) : label('empty.runJobs') },
      },
      {
        kind: 'bars',
        id: 'ambassador-reach',
        title: label('rollout.ambassadorsTitle'),
        subtitle: label('rollout.ambassadorsSubtitle'),
        unit: 'percent',
        horizontal: true,
        max: 1,
        categories: departments.map((d) => text(`${name(d.department)} · ${d.ambassadors}`)),
        series: [{ name: label('rollout.reach14'), values: departments.map((d) => (isShown(d.licensed) ? d.reach : SUPPRESSED)) }],
      },
      {
        kind: 'table',
        id: 'ambassador-activation',
        title: label('rollout.ambReachTitle'),
        subtitle: label('rollout.ambReachSubtitle', { days: stored.ambassadors?.body.windowDays ?? 14 }),
        unit: 'count',
        columns: [{ label: label('table.department') }, { label: label('rollout.ambassadors'), unit: 'count' }, { label: label('rollout.colleagues'), unit: 'count' }, { label: label('rollout.interacted'), unit: 'count' }, { label: label('rollout.activatedInWindow'), unit: 'count' }, { label: label('rollout.reach'), unit: 'percent' }],
        rows: ambassadorReach.map((d) =>
          isShown(d.people) ? [text(name(d.department)), d.ambassadors, d.colleagues, d.interacted, d.reached, d.reach] : [text(name(d.department)), SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED],
        ),
        empty: { title: label('rollout.noAmbassadors'), hint: label('rollout.noAmbassadorsHint') },
      },
      {
        kind: 'table',
        id: 'low-engagement',
        title: label('rollout.lowTitle'),
        subtitle: label('rollout.lowSubtitle', { rate: (optimisation?.thresholds.lowReach ?? 0.5) * 100 }),
        unit: 'percent',
        columns: [{ label: label('table.department') }, { label: label('rollout.reach14'), unit: 'percent' }, { label: label('rollout.ambassadors'), unit: 'count' }, { label: label('rollout.suggestion') }, { label: label('rollout.evidence') }],
        rows: low.map((d) =>
          isShown(d.people)
            ? [text(name(d.department)), d.evidence.reach, d.evidence.ambassadors, ACTION_LABELS[d.action], text(d.reasons.map((r) => REASONS[r]).join('; '))]
            : [text(name(d.department)), SUPPRESSED, SUPPRESSED, ACTION_LABELS[d.action], SUPPRESSED],
        ),
        empty: { title: label('rollout.noLow'), hint: label('rollout.noLowHint') },
      },
      {
        kind: 'trend',
        id: 'doc-co-editing',
        title: label('rollout.coeditTitle'),
        subtitle: label('rollout.coeditSubtitle'),
        unit: 'percent',
        min: 0,
        max: 1,
        granularity: 'week',
        periods: docShown.map((w) => w.week),
        series: [{ name: label('rollout.coeditShare'), values: docShown.map((w) => (isShown(w.people) ? w.share : null)) }],
        empty: { title: label('rollout.noDocEdits'), hint: label('empty.runJobs') },
      },
    ],
  };
}
