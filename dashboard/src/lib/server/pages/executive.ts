// Executive page: ROI (low/base/high) from control-adjusted effects and the organisation's ROI
// assumptions, KPI targets against actuals, the adoption trend (pilot vs control) and the pilot-vs-
// control effects with their 90% intervals. Every figure carries the numbers it was computed from.
import { z } from 'zod';
import { computeRoiRange, type RoiMeasures, type RoiResult } from '$jobs/rollout/roi.ts';
import { kpiProgress, type KpiStatus } from '$jobs/rollout/kpi-progress.ts';
import type { RoiAssumptions } from '$contracts/settings.ts';
import { addDays, type DayRange } from '$lib/date-range.ts';
import { granularityFor, listPeriods, mondayOf, type Granularity } from '$lib/periods.ts';
import { sql } from '$warehouse/sql.ts';
import type { MessageKey } from '$lib/i18n/index.ts';
import { label, text, type Panel, type PageView, type Tile, type Unit, type Value } from '$lib/view.ts';
import type { PageContext } from '../page-load.ts';
import { rolloutContext } from '../rollout-plan.ts';
import { loadOrgSettings } from '../settings.ts';
import { activityByDay, approvalsByDay, headcountByDay, meetingsByDay, repliesByDay, within } from './daily-series.ts';
import { controlStartOf, didWindows, estimateEffect, isKpiMetric, metricValue, METRIC_UNITS, type Effect, type KpiMetric, type MetricUnit, type Series } from './rollout-measures.ts';

export interface KpiRow {
  id: string;
  metric: string;
  unit: MetricUnit | undefined;
  owner: string;
  baselineWindow: DayRange;
  baseline: number | null;
  target: number;
  current: number | null;
  deadline: string;
  progress: number | null;
  status: KpiStatus | null;
  fromSettings: boolean;
}

export interface AdoptionTrend {
  granularity: Granularity;
  periods: string[];
  overall: (number | null)[];
  pilot: (number | null)[];
  control: (number | null)[];
}

export interface ExecutiveData {
  roi: Record<'low' | 'base' | 'high', RoiResult> | null;
  measures: RoiMeasures | null;
  assumptions: RoiAssumptions;
  assumptionsSaved: boolean;
  kpis: KpiRow[];
  adoption: AdoptionTrend;
  effects: Omit<Effect, 'result'>[];
  activeRate: number | null;
  activeRateBefore: number | null;
  pilotStart: string | undefined;
  baseline: DayRange | undefined;
  windows: { before: DayRange; after: DayRange } | undefined;
  planSaved: boolean;
}

const levelRow = z.object({ level: z.string(), people: z.coerce.number() });

/** The default KPIs while none are saved: the seed's headline targets. */
function defaultKpis(baseline: DayRange, pilotStart: string): { id: string; metric: KpiMetric; target: (b: number) => number; deadline: string }[] {
  const deadline = addDays(pilotStart, 182);
  return [
    { id: 'daily-active', metric: 'active_rate', target: (_b: number) => 0.9, deadline },
    { id: 'cross-team-response', metric: 'cross_team_reply_latency', target: (b: number) => b * 0.5, deadline },
    { id: 'approval-cycle', metric: 'approval_cycle_time', target: (b: number) => b * 0.63, deadline },
  ].map((k) => ({ ...k, metric: k.metric as KpiMetric, baseline }));
}

function adoptionTrend(series: Series, range: DayRange): AdoptionTrend {
  const granularity = granularityFor(range);
  const periods = listPeriods(range, granularity);
  const key = (d: string) => (granularity === 'day' ? d : mondayOf(d));
  const sums = new Map<string, { a: number[]; l: number[] }>();
  const bucket = (d: string) => {
    let b = sums.get(key(d));
    if (!b) sums.set(key(d), (b = { a: [0, 0], l: [0, 0] }));
    return b;
  };
  for (const r of series.activity) if (within(r.d, range)) bucket(r.d).a[r.g]! += r.active;
  for (const r of series.headcount) if (within(r.d, range)) bucket(r.d).l[r.g]! += r.licensed;
  const rate = (a: number, l: number) => (l > 0 ? a / l : null);
  return {
    granularity,
    periods,
    overall: periods.map((p) => {
      const b = sums.get(p);
      return b ? rate(b.a[0]! + b.a[1]!, b.l[0]! + b.l[1]!) : null;
    }),
    pilot: periods.map((p) => {
      const b = sums.get(p);
      return b ? rate(b.a[1]!, b.l[1]!) : null;
    }),
    control: periods.map((p) => {
      const b = sums.get(p);
      return b ? rate(b.a[0]!, b.l[0]!) : null;
    }),
  };
}

export async function loadExecutive(ctx: PageContext): Promise<ExecutiveData> {
  const org = ctx.org.id;
  const settings = await loadOrgSettings(ctx.warehouse, org);
  const rollout = rolloutContext(settings, ctx.directory);
  const range = ctx.scope.filters.range;
  const first = ctx.directory.firstDay ?? range.from;
  const span = { from: first < range.from ? first : range.from, to: range.to };
  const pilot = rollout.pilotDepartments;
  const [activity, headcount, replies, meetings, approvals, levels] = await Promise.all([
    activityByDay(ctx, span, pilot),
    headcountByDay(ctx, span, pilot),
    repliesByDay(ctx, span, pilot),
    meetingsByDay(ctx, span, pilot),
    approvalsByDay(ctx, span, pilot),
    ctx.warehouse.query(
      sql`SELECT level, count() AS people FROM (
            SELECT id, argMax(level, valid_from) AS level, argMax(licensed, valid_from) AS licensed FROM people FINAL WHERE org = ${org} GROUP BY id)
          WHERE licensed = 1 GROUP BY level`,
      levelRow,
      { org },
    ),
  ]);
  const series: Series = { activity, headcount, replies, meetings, approvals };

  const windows =
    rollout.baseline && rollout.pilotStart
      ? didWindows(rollout.baseline, rollout.pilotStart, range.to, controlStartOf(rollout.waves, rollout.pilotDepartments, rollout.pilotStart))
      : undefined;
  const effects = windows
    ? (['reply_latency', 'cross_team_reply_latency', 'meeting_hours_per_person_week', 'approval_cycle_time', 'active_rate'] as const)
        .map((m) => estimateEffect(series, m, windows))
        .filter((e): e is Effect => e !== undefined)
    : [];
  const effectOf = (m: KpiMetric) => effects.find((e) => e.metric === m);

  // ROI measures: every per-person effect is the DiD estimate (pilot beyond control), volumes from the last 30 days.
  const lastDay = headcount.length > 0 ? headcount[headcount.length - 1]!.d : undefined;
  const seats = lastDay ? headcount.filter((r) => r.d === lastDay).reduce((s, r) => s + r.licensed, 0) : 0;
  const month = { from: addDays(range.to, -29), to: range.to };
  const monthReplies = replies.filter((r) => within(r.d, month)).reduce((s, r) => s + r.n, 0);
  const monthPersonDays = headcount.filter((r) => within(r.d, month)).reduce((s, r) => s + r.licensed, 0);
  const repliesPerPersonWeek = monthPersonDays > 0 ? (monthReplies / monthPersonDays) * 7 : 0;
  const replyEffect = effectOf('reply_latency');
  const meetingEffect = effectOf('meeting_hours_per_person_week');
  const approvalEffect = effectOf('approval_cycle_time');
  const kinds = new Map<string, { n: number; automated: number }>();
  for (const r of approvals) {
    if (!within(r.d, month)) continue;
    const k = kinds.get(r.kind) ?? { n: 0, automated: 0 };
    k.n += r.n;
    k.automated += r.automated;
    kinds.set(r.kind, k);
  }
  const totalLevels = levels.reduce((s, l) => s + l.people, 0);
  const measures: RoiMeasures | null = windows
    ? {
        seats,
        people: seats,
        levelMix: Object.fromEntries(levels.map((l) => [l.level || 'default', totalLevels > 0 ? l.people / totalLevels : 0])),
        meetingHoursSavedPerPersonWeek: meetingEffect ? -meetingEffect.effect : 0,
        waitingHoursSavedPerPersonWeek: replyEffect ? (-replyEffect.effect / 3600) * repliesPerPersonWeek : 0,
        approvals: Object.fromEntries(
          [...kinds.entries()].map(([kind, k]) => [kind, { daysSavedPerApproval: approvalEffect ? -approvalEffect.effect / 86400 : 0, approvalsPerMonth: k.n }]),
        ),
        automatedOperationsPerMonth: [...kinds.values()].reduce((s, k) => s + k.automated, 0),
      }
    : null;
  const roi = measures && seats > 0 ? computeRoiRange(measures, settings.roi) : null;

  // KPIs: saved targets, or the seed's defaults measured against the baseline.
  const current = { from: addDays(range.to, -27), to: range.to };
  const kpis: KpiRow[] = [];
  if (settings.kpis && settings.kpis.length > 0) {
    for (const k of settings.kpis) {
      const known = isKpiMetric(k.metric);
      const baseline = known ? metricValue(series, k.metric as KpiMetric, k.baseline) : null;
      const now = known ? metricValue(series, k.metric as KpiMetric, current) : null;
      const progress = baseline !== null && now !== null && k.target !== baseline ? kpiProgress({ baseline, target: k.target, current: now, start: k.baseline.to, deadline: k.deadline, today: range.to }) : null;
      kpis.push({ id: k.id, metric: k.metric, unit: known ? METRIC_UNITS[k.metric as KpiMetric] : undefined, owner: k.owner, baselineWindow: k.baseline, baseline, target: k.target, current: now, deadline: k.deadline, progress: progress?.progress ?? null, status: progress?.status ?? null, fromSettings: true });
    }
  } else if (rollout.baseline && rollout.pilotStart) {
    for (const k of defaultKpis(rollout.baseline, rollout.pilotStart)) {
      const baseline = metricValue(series, k.metric, rollout.baseline);
      const now = metricValue(series, k.metric, current);
      const target = baseline !== null ? k.target(baseline) : 0;
      const progress = baseline !== null && now !== null && target !== baseline ? kpiProgress({ baseline, target, current: now, start: rollout.baseline.to, deadline: k.deadline, today: range.to }) : null;
      kpis.push({ id: k.id, metric: k.metric, unit: METRIC_UNITS[k.metric], owner: '', baselineWindow: rollout.baseline, baseline, target, current: now, deadline: k.deadline, progress: progress?.progress ?? null, status: progress?.status ?? null, fromSettings: false });
    }
  }

  return {
    roi,
    measures,
    assumptions: settings.roi,
    assumptionsSaved: settings.roiSaved,
    kpis,
    adoption: adoptionTrend(series, range),
    effects: effects.map(({ result: _result, ...rest }) => rest),
    activeRate: metricValue(series, 'active_rate', current),
    activeRateBefore: rollout.baseline ? metricValue(series, 'active_rate', rollout.baseline) : null,
    pilotStart: rollout.pilotStart,
    baseline: rollout.baseline,
    windows,
    planSaved: rollout.fromPlan,
  };
}

const EFFECT_LABELS: Record<KpiMetric, MessageKey> = {
  active_rate: 'metric.active_rate',
  reply_latency: 'metric.reply_latency',
  cross_team_reply_latency: 'metric.cross_team_reply_latency',
  approval_cycle_time: 'metric.approval_cycle_time',
  meeting_hours_per_person_week: 'metric.meeting_hours_per_person_week',
};

const UNIT_OF: Record<MetricUnit, Unit> = { percent: 'percent', seconds: 'seconds', hours: 'hours' };

/** The executive page as a view: ROI tiles with their workings, KPI table, adoption trend, effects. */
export async function loadExecutiveView(ctx: PageContext): Promise<PageView & { currency: string }> {
  const d = await loadExecutive(ctx);
  const currency = d.assumptions.currency;
  const tiles: Tile[] = [];
  const notices: PageView['notices'] = [];
  if (!d.windows) notices.push({ tone: 'info', text: label('exec.noPilot') });
  if (!d.assumptionsSaved) notices.push({ tone: 'info', text: label('exec.defaultAssumptions') });
  if (d.roi) {
    const base = d.roi.base;
    const componentDetails = base.components.map((c) => ({ label: label(`roi.component.${c.id}`), value: c.monthly, unit: 'currency' as Unit }));
    tiles.push(
      {
        id: 'net-benefit',
        label: label('exec.netBenefit'),
        value: base.netBenefit,
        unit: 'currency',
        tone: base.netBenefit >= 0 ? 'good' : 'bad',
        details: [
          { label: label('exec.scenario.low'), value: d.roi.low.netBenefit },
          { label: label('exec.scenario.base'), value: base.netBenefit },
          { label: label('exec.scenario.high'), value: d.roi.high.netBenefit },
          ...componentDetails,
          { label: label('roi.monthlyLicence'), value: base.monthlyLicence },
          { label: label('roi.oneOffCost'), value: base.oneOffCost },
          { label: label('roi.horizon'), value: base.horizonMonths, unit: 'count' },
        ],
      },
      {
        id: 'roi',
        label: label('exec.roi'),
        value: base.roi,
        unit: 'percent',
        tone: base.roi >= 0 ? 'good' : 'bad',
        details: [
          { label: label('exec.scenario.low'), value: d.roi.low.roi },
          { label: label('exec.scenario.base'), value: base.roi },
          { label: label('exec.scenario.high'), value: d.roi.high.roi },
          { label: label('roi.totalBenefit'), value: base.totalBenefit, unit: 'currency' },
          { label: label('roi.totalCost'), value: base.totalCost, unit: 'currency' },
          { label: label('roi.hourlyCost'), value: base.hourlyCost, unit: 'currency' },
        ],
      },
      {
        id: 'payback',
        label: label('exec.payback'),
        value: base.paybackMonth === null ? label('exec.paybackNever') : label('exec.paybackMonth', { month: base.paybackMonth }),
        unit: 'count',
        details: [
          { label: label('exec.scenario.low'), value: d.roi.low.paybackMonth === null ? label('exec.paybackNever') : label('exec.paybackMonth', { month: d.roi.low.paybackMonth }) },
          { label: label('exec.scenario.high'), value: d.roi.high.paybackMonth === null ? label('exec.paybackNever') : label('exec.paybackMonth', { month: d.roi.high.paybackMonth }) },
        ],
      },
    );
    // The range hint needs the formatted low/high, which only the page can format: list them in details instead.
    tiles[0]!.hint = label('exec.netBenefitHint', { months: base.horizonMonths });
  }
  tiles.push({
    id: 'active-rate',
    label: label('exec.activeRate'),
    value: d.activeRate,
    unit: 'percent',
    hint: label('exec.activeRateHint'),
    details: [{ label: label('exec.baselineValue'), value: d.activeRateBefore }],
  });
  if (d.measures) {
    tiles.push({
      id: 'hours-saved',
      label: label('exec.hoursSaved'),
      value: (d.measures.meetingHoursSavedPerPersonWeek + d.measures.waitingHoursSavedPerPersonWeek) * 52,
      unit: 'hours',
      hint: label('exec.hoursSavedHint'),
      details: [
        { label: label('roi.component.meetings'), value: d.measures.meetingHoursSavedPerPersonWeek, unit: 'hours' },
        { label: label('roi.component.waiting'), value: d.measures.waitingHoursSavedPerPersonWeek, unit: 'hours' },
        { label: label('exec.automatedPerMonth'), value: d.measures.automatedOperationsPerMonth, unit: 'count' },
        { label: label('exec.seats'), value: d.measures.seats, unit: 'count' },
      ],
    });
  }

  const panels: Panel[] = [
    {
      kind: 'trend',
      id: 'adoption-trend',
      title: label('exec.adoptionTitle'),
      subtitle: label('exec.adoptionSubtitle'),
      unit: 'percent',
      periods: d.adoption.periods,
      granularity: d.adoption.granularity,
      min: 0,
      max: 1,
      target: { value: 0.9, label: label('exec.target90') },
      series: [
        { name: label('group.all'), values: d.adoption.overall, kind: 'area' },
        { name: label('group.pilot'), values: d.adoption.pilot },
        { name: label('group.control'), values: d.adoption.control, reference: true },
      ],
    },
    {
      kind: 'interval',
      id: 'pilot-vs-control',
      title: label('exec.effectsTitle'),
      subtitle: label('exec.effectsSubtitle'),
      unit: 'signedPercent',
      rows: d.effects.filter((e) => e.relative !== null).map((e) => ({ name: label(EFFECT_LABELS[e.metric]), estimate: e.relative!.effect, low: e.relative!.low, high: e.relative!.high })),
      empty: { title: label('exec.effectsEmpty'), hint: label('exec.effectsEmptyHint') },
      note: d.windows ? label('exec.effectsNote', { before: `${d.windows.before.from} – ${d.windows.before.to}`, after: `${d.windows.after.from} – ${d.windows.after.to}` }) : undefined,
    },
    {
      kind: 'bars',
      id: 'kpi-progress',
      title: label('exec.kpiTitle'),
      subtitle: label(d.kpis.some((k) => k.fromSettings) ? 'exec.kpiSubtitle' : 'exec.kpiDefaults'),
      unit: 'percent',
      horizontal: true,
      categories: d.kpis.map((k) => (isKpiMetric(k.metric) ? label(EFFECT_LABELS[k.metric]) : text(k.metric))),
      series: [{ name: label('exec.progress'), values: d.kpis.map((k) => k.progress) }],
      empty: { title: label('exec.kpiEmpty'), hint: label('exec.kpiEmptyHint') },
    },
    {
      kind: 'table',
      id: 'kpi-table',
      title: label('exec.kpiTable'),
      unit: 'count',
      columns: [
        { label: label('kpi.metric') },
        { label: label('kpi.owner') },
        { label: label('kpi.baseline'), unit: 'count' },
        { label: label('kpi.target'), unit: 'count' },
        { label: label('kpi.current'), unit: 'count' },
        { label: label('kpi.deadline') },
        { label: label('kpi.progress'), unit: 'percent' },
        { label: label('kpi.status') },
      ],
      rows: d.kpis.map((k) => {
        const unit = k.unit ? UNIT_OF[k.unit] : 'decimal';
        const v = (x: number | null): Value => (x === null ? null : unit === 'percent' ? label('value.percent', { value: Math.round(x * 1000) / 10 }) : unit === 'seconds' ? label('value.hours', { value: Math.round((x / 3600) * 10) / 10 }) : label('value.hours', { value: Math.round(x * 10) / 10 }));
        return [
          isKpiMetric(k.metric) ? label(EFFECT_LABELS[k.metric]) : text(k.metric),
          k.owner ? text(k.owner) : label('kpi.noOwner'),
          v(k.baseline),
          v(k.target),
          v(k.current),
          text(k.deadline),
          k.progress,
          k.status ? label(`kpi.status.${k.status}`) : label('value.none'),
        ];
      }),
      empty: { title: label('exec.kpiEmpty'), hint: label('exec.kpiEmptyHint') },
    },
  ];
  return { tiles, panels, notices, currency };
}
