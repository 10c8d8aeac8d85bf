// Rollout page (change managers): the five steps with their stage gates, adoption curves per wave,
// the adoption funnel, ambassadors, low-engagement departments with a suggested next action, and the
// fastest-response team of the month. Reads activity/headcount/response/approval rollups and
// adoption_people; departments of fewer than k licensed people are suppressed.
import { z } from 'zod';
import { day, sql } from '$warehouse/sql.ts';
import { addDays } from '$lib/date-range.ts';
import { label, SUPPRESSED, text, type Label, type PageView, type Value } from '$lib/view.ts';
import type { PageContext } from '../page-load.ts';
import { periodOf } from '../periods-sql.ts';
import { isShown } from '../privacy.ts';
import { rolloutContext } from '../rollout-plan.ts';
import { dayRange, inDepartments, liveAdoption, liveRows } from '../rollup-sql.ts';
import { loadOrgSettings } from '../settings.ts';
import { align, departmentNamer, ratio, trendOf } from './common.ts';

const waveTrendRow = z.object({ p: z.string(), w: z.string(), active: z.coerce.number() });
const waveHeadRow = z.object({ p: z.string(), w: z.string(), licensed: z.coerce.number() });
const funnelRow = z.object({ invited: z.coerce.number(), activated: z.coerce.number(), weekly: z.coerce.number(), habitual: z.coerce.number() });
const deptRow = z.object({ department: z.string(), active: z.coerce.number(), licensed: z.coerce.number() });
const deptFunnelRow = z.object({ department: z.string(), invited: z.coerce.number(), activated: z.coerce.number() });
const ambassadorRow = z.object({ department: z.string(), ambassadors: z.coerce.number() });
const fastestRow = z.object({ department: z.string(), median: z.coerce.number(), n: z.coerce.number(), people: z.coerce.number() });
const automationRow = z.object({ n: z.coerce.number(), automated: z.coerce.number() });

const LOW_ENGAGEMENT = 0.5;
const PILOT_GATE = 0.6;
const AUTOMATION_GATE = 0.2;
const OPTIMISATION_GATE = 0.7;
const FASTEST_MIN_REPLIES = 20;

export async function loadRolloutView(ctx: PageContext): Promise<PageView> {
  const org = ctx.org.id;
  const range = ctx.scope.filters.range;
  const deps = inDepartments(ctx.scope.departments);
  const trend = trendOf(range);
  const period = periodOf(trend.granularity);
  const name = departmentNamer(ctx);
  const settings = await loadOrgSettings(ctx.warehouse, org);
  const plan = rolloutContext(settings, ctx.directory);
  const waveDeps = [...ctx.directory.waveOf.keys()];
  const waveIds = waveDeps.map((d) => ctx.directory.waveOf.get(d) ?? '');
  const waveOf = waveDeps.length > 0 ? sql`transform(department, ${waveDeps}, ${waveIds}, '')` : sql`''`;
  const recent = { from: addDays(range.to, -13), to: range.to };
  const month = { from: `${range.to.slice(0, 8)}01`, to: range.to };
  const waveFilter = ctx.scope.filters.wave ? sql` AND wave = ${ctx.scope.filters.wave}` : sql``;

  const [waveActive, waveHead, funnel, deptRates, deptFunnel, ambassadors, fastest, automation] = await Promise.all([
    ctx.warehouse.query(
      sql`SELECT ${period} AS p, ${waveOf} AS w, uniqExactIfMerge(licensed_people) AS active
          FROM activity_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('activity_daily', org, range)}${deps} GROUP BY p, w ORDER BY p, w`,
      waveTrendRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT ${period} AS p, ${waveOf} AS w, sum(licensed) / uniqExact(day) AS licensed
          FROM headcount_daily WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('headcount_daily', org, range)}${deps} GROUP BY p, w ORDER BY p, w`,
      waveHeadRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT countIf(ifNull(invited <= ${day(range.to)}, 0)) AS invited, countIf(ifNull(activated <= ${day(range.to)}, 0)) AS activated,
            countIf(ifNull(weekly_active <= ${day(range.to)}, 0)) AS weekly, countIf(ifNull(habitual <= ${day(range.to)}, 0)) AS habitual
          FROM adoption_people WHERE org = ${org} AND ${liveAdoption(org)}${deps}${waveFilter}`,
      funnelRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT a.department AS department, a.active AS active, h.licensed AS licensed FROM
            (SELECT department, uniqExactIfMerge(licensed_people) AS active FROM activity_daily
             WHERE org = ${org} AND ${dayRange(recent)} AND ${liveRows('activity_daily', org, recent)}${deps} GROUP BY department) AS a
          ANY RIGHT JOIN
            (SELECT department, max(licensed) AS licensed FROM headcount_daily
             WHERE org = ${org} AND ${dayRange(recent)} AND ${liveRows('headcount_daily', org, recent)}${deps} GROUP BY department) AS h
          USING department`,
      deptRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT department, countIf(ifNull(invited <= ${day(range.to)}, 0)) AS invited, countIf(ifNull(activated <= ${day(range.to)}, 0)) AS activated
          FROM adoption_people WHERE org = ${org} AND ${liveAdoption(org)}${deps} GROUP BY department`,
      deptFunnelRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT department, countIf(ambassador = 1) AS ambassadors FROM (
            SELECT id, argMax(department, valid_from) AS department, argMax(ambassador, valid_from) AS ambassador FROM people FINAL WHERE org = ${org} GROUP BY id)
          WHERE 1${deps} GROUP BY department`,
      ambassadorRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT department, quantileExactMerge(0.5)(latency) AS median, sum(n) AS n, uniqExactMerge(people) AS people
          FROM response_daily WHERE org = ${org} AND kind = 'reply' AND ${dayRange(month)} AND ${liveRows('response_daily', org, month)}${deps}
          GROUP BY department HAVING n >= ${FASTEST_MIN_REPLIES} AND people >= 5 ORDER BY median, department LIMIT 1`,
      fastestRow,
      { org },
    ),
    ctx.warehouse.query(
      sql`SELECT sum(n) AS n, sum(automated) AS automated FROM approval_daily
          WHERE org = ${org} AND ${dayRange(range)} AND ${liveRows('approval_daily', org, range)}${deps}`,
      automationRow,
      { org },
    ),
  ]);

  // Adoption per wave.
  const heads = new Map(waveHead.map((h) => [`${h.p}\u0000${h.w}`, h.licensed]));
  const waves = plan.waves.length > 0 ? plan.waves.map((w) => ({ id: w.id, name: w.name })) : [...new Set(waveActive.map((r) => r.w))].filter((w) => w).map((id) => ({ id, name: id }));
  const waveSeries = waves.map((w) => ({
    name: text(w.name),
    values: align(
      trend,
      waveActive.filter((r) => r.w === w.id),
      (r) => {
        const l = heads.get(`${r.p}\u0000${w.id}`) ?? 0;
        return l > 0 ? Math.min(1, r.active / l) : null;
      },
    ),
  }));

  // Stage gates.
  // Weekly activity over 14 days: active-at-least-once ÷ licensed is the meaningful adoption figure.
  const reach = (rows: typeof deptRates, only?: Set<string>) => {
    const r = rows.filter((d) => !only || only.has(d.department));
    return ratio(r.reduce((s, d) => s + d.active, 0), r.reduce((s, d) => s + d.licensed, 0));
  };
  const pilotReach = plan.pilotDepartments.length > 0 ? reach(deptRates, new Set(plan.pilotDepartments)) : null;
  const orgReach = reach(deptRates);
  const automationShare = automation[0] ? ratio(automation[0].automated, automation[0].n) : null;
  const baselineDays = plan.baseline ? Math.round((Date.parse(plan.baseline.to) - Date.parse(plan.baseline.from)) / 86_400_000) + 1 : 0;
  const met = (ok: boolean | null): Label => label(ok === null ? 'gate.unknown' : ok ? 'gate.met' : 'gate.notMet');
  const stages: { step: Label; start: string | undefined; gate: Label; value: Value; status: Label }[] = [
    { step: label('step.diagnose'), start: plan.stages.diagnose ?? plan.baseline?.from, gate: label('gate.diagnose'), value: baselineDays, status: met(baselineDays >= 14) },
    { step: label('step.commitment'), start: plan.stages.commitment, gate: label('gate.commitment'), value: settings.kpis?.length ?? 0, status: met((settings.kpis?.length ?? 0) > 0) },
    { step: label('step.pilot'), start: plan.pilotStart, gate: label('gate.pilot', { rate: PILOT_GATE * 100 }), value: pilotReach === null ? null : label('value.percent', { value: Math.round(pilotReach * 1000) / 10 }), status: met(pilotReach === null ? null : pilotReach >= PILOT_GATE) },
    { step: label('step.integration'), start: plan.stages.integration, gate: label('gate.integration', { share: AUTOMATION_GATE * 100 }), value: automationShare === null ? null : label('value.percent', { value: Math.round(automationShare * 1000) / 10 }), status: met(automationShare === null ? null : automationShare >= AUTOMATION_GATE) },
    { step: label('step.optimisation'), start: plan.stages.optimisation, gate: label('gate.optimisation', { rate: OPTIMISATION_GATE * 100 }), value: orgReach === null ? null : label('value.percent', { value: Math.round(orgReach * 1000) / 10 }), status: met(orgReach === null ? null : orgReach >= OPTIMISATION_GATE) },
  ];

  // Low engagement and ambassadors, per department.
  const ambassadorsOf = new Map(ambassadors.map((a) => [a.department, a.ambassadors]));
  const funnelOf = new Map(deptFunnel.map((f) => [f.department, f]));
  const byDepartment = deptRates.filter((d) => d.department !== '').sort((a, b) => name(a.department).localeCompare(name(b.department)));
  const low = byDepartment
    .map((d) => ({ ...d, reach: ratio(d.active, d.licensed) }))
    .filter((d) => d.reach !== null && d.reach < LOW_ENGAGEMENT)
    .sort((a, b) => (a.reach ?? 0) - (b.reach ?? 0));
  const suggestion = (department: string): Label => {
    const f = funnelOf.get(department);
    if ((ambassadorsOf.get(department) ?? 0) === 0) return label('action.ambassador');
    if (f && f.invited > 0 && f.activated / f.invited < 0.5) return label('action.training');
    return label('action.incentive');
  };
  const f = funnel[0] ?? { invited: 0, activated: 0, weekly: 0, habitual: 0 };
  const best = fastest[0];

  return {
    notices: plan.fromPlan ? [] : [{ tone: 'info', text: label('rollout.inferredPlan') }],
    tiles: [
      { id: 'pilot-reach', label: label('rollout.pilotReach'), value: pilotReach, unit: 'percent', hint: label('rollout.reachHint') },
      { id: 'org-reach', label: label('rollout.orgReach'), value: orgReach, unit: 'percent', hint: label('rollout.reachHint') },
      { id: 'habitual', label: label('rollout.habitualShare'), value: ratio(f.habitual, f.invited), unit: 'percent', hint: label('rollout.habitualHint') },
      {
        id: 'fastest-team',
        label: label('rollout.fastestTeam', { month: month.from.slice(0, 7) }),
        value: best ? text(name(best.department)) : label('rollout.noFastest'),
        unit: 'count',
        tone: best ? 'good' : 'default',
        ...(best ? { hint: label('rollout.fastestHint', { replies: best.n }), details: [{ label: label('resp.replyMedian'), value: best.median, unit: 'seconds' as const }] } : {}),
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
        rows: stages.map((s) => [s.step, s.start ? text(s.start) : label('value.none'), s.gate, s.value, s.status]),
      },
      {
        kind: 'trend',
        id: 'adoption-by-wave',
        title: label('rollout.wavesTitle'),
        subtitle: label('rollout.wavesSubtitle'),
        unit: 'percent',
        min: 0,
        max: 1,
        ...trend,
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
        empty: { title: label('rollout.noFunnel'), hint: label(f.invited > 0 ? 'privacy.tooFew' : 'empty.runJobs') },
      },
      {
        kind: 'bars',
        id: 'ambassador-reach',
        title: label('rollout.ambassadorsTitle'),
        subtitle: label('rollout.ambassadorsSubtitle'),
        unit: 'percent',
        horizontal: true,
        max: 1,
        categories: byDepartment.map((d) => text(`${name(d.department)} · ${ambassadorsOf.get(d.department) ?? 0}`)),
        series: [{ name: label('rollout.reach14'), values: byDepartment.map((d) => (isShown(d.licensed) ? ratio(d.active, d.licensed) : SUPPRESSED)) }],
      },
      {
        kind: 'table',
        id: 'low-engagement',
        title: label('rollout.lowTitle'),
        subtitle: label('rollout.lowSubtitle', { rate: LOW_ENGAGEMENT * 100 }),
        unit: 'percent',
        columns: [{ label: label('table.department') }, { label: label('rollout.reach14'), unit: 'percent' }, { label: label('rollout.ambassadors'), unit: 'count' }, { label: label('rollout.suggestion') }],
        rows: low.map((d) => (isShown(d.licensed) ? [text(name(d.department)), d.reach, ambassadorsOf.get(d.department) ?? 0, suggestion(d.department)] : [text(name(d.department)), SUPPRESSED, SUPPRESSED, suggestion(d.department)])),
        empty: { title: label('rollout.noLow'), hint: label('rollout.noLowHint') },
      },
    ],
  };
}
