// Executive page: ROI (low/base/high) from control-adjusted effects and the organisation's ROI
// assumptions, KPI targets against actuals, the adoption trend (pilot vs control) and the pilot-vs-
// control effects with their 90% intervals. Every figure is read from the rollout job's stored results
// (jobs/rollout/), with the numbers it was computed from; nothing is computed here.
import type { KpiMetric, MetricUnit, RolloutBody } from '$contracts/rollout.ts';
import { isKpiMetric } from '$contracts/rollout.ts';
import type { DayRange } from '$lib/date-range.ts';
import type { Granularity } from '$lib/periods.ts';
import type { MessageKey } from '$lib/i18n/index.ts';
import { label, text, type Panel, type PageView, type Tile, type Unit, type Value } from '$lib/view.ts';
import type { PageContext } from '../page-load.ts';
import { periodsIn, readStoredRollout } from './rollout-measures.ts';

type RoiSection = RolloutBody<'roi'>;
export type KpiRow = RolloutBody<'kpis'>['rows'][number];
export type Effect = RolloutBody<'pilot-vs-control'>['effects'][number];

export interface AdoptionTrend {
  granularity: Granularity;
  periods: string[];
  overall: (number | null)[];
  pilot: (number | null)[];
  control: (number | null)[];
}

export interface ExecutiveData {
  roi: NonNullable<RoiSection['scenarios']> | null;
  measures: RoiSection['measures'];
  currency: string;
  assumptionsSaved: boolean;
  kpis: KpiRow[];
  adoption: AdoptionTrend;
  effects: Effect[];
  activeRate: number | null;
  activeRateBefore: number | null;
  pilotStart: string | undefined;
  baseline: DayRange | undefined;
  windows: { before: DayRange; after: DayRange } | undefined;
  planSaved: boolean;
  computedAt: string | undefined;
  stale: boolean;
  notices: PageView['notices'];
}

export async function loadExecutive(ctx: PageContext): Promise<ExecutiveData> {
  const { stored, computedAt, stale, notices } = await readStoredRollout(ctx, ['kpis', 'pilot-vs-control', 'roi', 'adoption']);
  const roi = stored.roi?.body;
  const pvc = stored['pilot-vs-control']?.body;
  const adoption = stored.adoption?.body;
  const shown = adoption ? periodsIn(adoption.periods, adoption.granularity, ctx.scope.filters.range) : [];
  const pick = (values: readonly (number | null)[]) => shown.map((i) => values[i] ?? null);
  return {
    roi: roi?.scenarios ?? null,
    measures: roi?.measures ?? null,
    currency: roi?.currency ?? 'HKD',
    assumptionsSaved: roi?.assumptionsSaved ?? false,
    kpis: stored.kpis?.body.rows ?? [],
    adoption: {
      granularity: adoption?.granularity ?? 'day',
      periods: adoption ? shown.map((i) => adoption.periods[i]!) : [],
      overall: adoption ? pick(adoption.groups.overall) : [],
      pilot: adoption ? pick(adoption.groups.pilot) : [],
      control: adoption ? pick(adoption.groups.control) : [],
    },
    effects: pvc?.effects ?? [],
    activeRate: pvc?.activeRate ?? null,
    activeRateBefore: pvc?.activeRateBefore ?? null,
    pilotStart: pvc?.pilotStart ?? undefined,
    baseline: pvc?.windows?.before,
    windows: pvc?.windows ?? undefined,
    planSaved: pvc?.planSaved ?? false,
    computedAt,
    stale,
    notices,
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
  const currency = d.currency;
  const tiles: Tile[] = [];
  const notices: PageView['notices'] = [...d.notices];
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
    // Blocked waiting hours depend on the assumptions (cap, blocking share): the base scenario's figure.
    const waitingHours = d.roi?.base.components.find((c) => c.id === 'waiting')?.inputs.hoursPerPersonWeek ?? 0;
    tiles.push({
      id: 'hours-saved',
      label: label('exec.hoursSaved'),
      value: (d.measures.meetingHoursSavedPerPersonWeek + waitingHours) * 52,
      unit: 'hours',
      hint: label('exec.hoursSavedHint'),
      details: [
        { label: label('roi.component.meetings'), value: d.measures.meetingHoursSavedPerPersonWeek, unit: 'hours' },
        { label: label('roi.component.waiting'), value: waitingHours, unit: 'hours' },
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
