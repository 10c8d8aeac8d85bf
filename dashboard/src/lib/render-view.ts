// Turns a page view's panels into what ChartCard needs — an ECharts option (through the pure builders
// in $lib/charts) and the plain table with the same numbers — in the reader's language. Pure.
import { buildBarOption } from './charts/bar-option.ts';
import { buildFunnelOption } from './charts/funnel-option.ts';
import { buildHeatmapOption } from './charts/heatmap-option.ts';
import { buildIntervalOption } from './charts/interval-option.ts';
import { buildNetworkOption } from './charts/network-option.ts';
import { durationAxis, type AxisScale, type ChartOption } from './charts/option.ts';
import { buildTimeSeriesOption } from './charts/time-series-option.ts';
import type { Formatters, Translate } from './i18n/index.ts';
import { numberCell, suppressedCell, textCell, type TableCell, type TableData } from './table.ts';
import { isLabel, isSuppressed, type Label, type Panel, type Unit, type Value } from './view.ts';

export interface RenderContext {
  t: Translate;
  fmt: Formatters;
  currency: string;
  /** The k under which groups are suppressed (WAYPOINT_K_ANONYMITY), for "fewer than k people". */
  k: number;
}

export function labelText(l: Label, t: Translate): string {
  return 'text' in l ? l.text : t(l.key, l.params);
}

export function unitFormatter(unit: Unit, ctx: RenderContext): (v: number | null) => string {
  const { fmt } = ctx;
  switch (unit) {
    case 'percent':
      return fmt.percent;
    case 'signedPercent':
      return fmt.signedPercent;
    case 'seconds':
      return fmt.duration;
    case 'hours':
      return fmt.hours;
    case 'days':
      return (v) => (v === null ? fmt.noValue : fmt.duration(v * 86400));
    case 'count':
      return (v) => (v === null ? fmt.noValue : fmt.integer(v));
    case 'decimal':
      return (v) => fmt.decimal(v, 2);
    case 'currency':
      return (v) => fmt.compactCurrency(v, ctx.currency);
  }
}

export function valueCell(v: Value, unit: Unit, ctx: RenderContext): TableCell {
  if (isSuppressed(v)) return suppressedCell(ctx.t('privacy.suppressed', { k: ctx.k }));
  if (isLabel(v)) return textCell(labelText(v, ctx.t));
  return numberCell(v, unitFormatter(unit, ctx));
}

export function valueText(v: Value, unit: Unit, ctx: RenderContext): string {
  return valueCell(v, unit, ctx).text;
}

const numeric = (v: Value): number | null => (typeof v === 'number' ? v : null);

export function periodLabel(period: string, granularity: 'day' | 'week' | 'minute', ctx: RenderContext): string {
  if (granularity === 'minute') return period.slice(11, 16);
  return granularity === 'day' ? ctx.fmt.shortDay(period) : ctx.t('period.weekOf', { day: ctx.fmt.shortDay(period) });
}

/** A duration axis in one unit with round steps, for panels in seconds (see durationAxis). */
function axisFor(unit: Unit, values: readonly (number | null)[], ctx: RenderContext): { axis: AxisScale } | Record<string, never> {
  const axis = unit === 'seconds' ? durationAxis(values, ctx.fmt.durationIn) : undefined;
  return axis ? { axis } : {};
}

export function renderPanel(panel: Panel, ctx: RenderContext): { option: ChartOption | undefined; table: TableData } {
  const L = (l: Label) => labelText(l, ctx.t);
  const format = unitFormatter(panel.unit, ctx);
  const unitLabel = { label: L(panel.title), numeric: true };
  switch (panel.kind) {
    case 'trend': {
      const labels = panel.periods.map((p) => periodLabel(p, panel.granularity, ctx));
      const names = panel.series.map((s) => L(s.name));
      return {
        option: buildTimeSeriesOption({
          labels,
          series: panel.series.map((s, i) => ({ name: names[i]!, values: s.values, ...(s.kind ? { kind: s.kind } : {}), ...(s.reference ? { reference: true } : {}) })),
          format,
          ...axisFor(panel.unit, panel.series.flatMap((s) => s.values), ctx),
          ...(panel.target ? { target: { value: panel.target.value, label: L(panel.target.label) } } : {}),
          ...(panel.min !== undefined ? { min: panel.min } : {}),
          ...(panel.max !== undefined ? { max: panel.max } : {}),
          ...(panel.stacked ? { stacked: true } : {}),
        }),
        table: {
          columns: [{ label: ctx.t(panel.granularity === 'week' ? 'period.week' : panel.granularity === 'minute' ? 'period.minute' : 'period.day') }, ...names.map((n) => ({ label: n, numeric: true }))],
          rows: panel.periods.map((p, i) => [textCell(labels[i]!), ...panel.series.map((s) => numberCell(s.values[i] ?? null, format))]).filter((_, i) => panel.series.some((s) => s.values[i] !== null)),
        },
      };
    }
    case 'bars': {
      const categories = panel.categories.map(L);
      const names = panel.series.map((s) => L(s.name));
      return {
        option: buildBarOption({
          categories,
          series: panel.series.map((s, i) => ({ name: names[i]!, values: s.values.map(numeric) })),
          format,
          ...axisFor(panel.unit, panel.series.flatMap((s) => s.values.map(numeric)), ctx),
          ...(panel.horizontal ? { horizontal: true } : {}),
          ...(panel.stacked ? { stacked: true } : {}),
          ...(panel.max !== undefined ? { max: panel.max } : {}),
        }),
        table: {
          columns: [{ label: '' }, ...names.map((n) => ({ label: n, numeric: true }))],
          rows: categories.map((c, i) => [textCell(c), ...panel.series.map((s) => valueCell(s.values[i] ?? null, panel.unit, ctx))]),
        },
      };
    }
    case 'heatmap': {
      const x = panel.x.map(L);
      const y = panel.y.map(L);
      const cell = new Map(panel.cells.map((c) => [`${c.x}:${c.y}`, c.value]));
      return {
        option: buildHeatmapOption({
          xLabels: x,
          yLabels: y,
          cells: panel.cells.map((c) => ({ x: c.x, y: c.y, value: numeric(c.value) })),
          format,
          ...(panel.xName ? { xName: L(panel.xName) } : {}),
          ...(panel.yName ? { yName: L(panel.yName) } : {}),
        }),
        table: {
          columns: [{ label: panel.yName ? L(panel.yName) : '' }, ...x.map((l) => ({ label: l, numeric: true }))],
          rows: y.map((rowLabel, yi) => [textCell(rowLabel), ...x.map((_, xi) => valueCell(cell.get(`${xi}:${yi}`) ?? null, panel.unit, ctx))]),
        },
      };
    }
    case 'funnel': {
      const first = panel.stages[0]?.value ?? 0;
      return {
        option: buildFunnelOption({ stages: panel.stages.map((s) => ({ name: L(s.name), value: s.value })), formatCount: ctx.fmt.integer, formatShare: ctx.fmt.percent }),
        table: {
          columns: [{ label: ctx.t('table.stage') }, { label: ctx.t('table.people'), numeric: true }, { label: ctx.t('table.shareOfFirst'), numeric: true }],
          rows: panel.stages.map((s) => [textCell(L(s.name)), numberCell(s.value, (v) => ctx.fmt.integer(v ?? 0)), numberCell(first > 0 ? s.value / first : null, ctx.fmt.percent)]),
        },
      };
    }
    case 'network': {
      const names = new Map(panel.nodes.map((n) => [n.id, n.name]));
      return {
        option: buildNetworkOption({
          nodes: panel.nodes,
          edges: panel.edges.map((e) => ({ ...e, source: e.source, target: e.target })),
          formatCount: ctx.fmt.integer,
          formatShare: ctx.fmt.percent,
          siloLabel: ctx.t('network.silo'),
        }),
        table: {
          columns: [{ label: ctx.t('table.department') }, { label: ctx.t('network.interactions'), numeric: true }, { label: ctx.t('network.silo'), numeric: true }],
          rows: panel.nodes.map((n) => [textCell(names.get(n.id) ?? n.id), numberCell(n.weight, (v) => ctx.fmt.integer(v ?? 0)), numberCell(n.silo, ctx.fmt.percent)]),
        },
      };
    }
    case 'interval':
      return {
        option: buildIntervalOption({ rows: panel.rows.map((r) => ({ ...r, name: L(r.name) })), format }),
        table: {
          columns: [{ label: '' }, { label: ctx.t('table.estimate'), numeric: true }, { label: ctx.t('table.low'), numeric: true }, { label: ctx.t('table.high'), numeric: true }],
          rows: panel.rows.map((r) => [textCell(L(r.name)), numberCell(r.estimate, format), numberCell(r.low, format), numberCell(r.high, format)]),
        },
      };
    case 'table':
      return {
        option: undefined,
        table: {
          columns: panel.columns.map((c) => ({ label: L(c.label), numeric: c.unit !== undefined })),
          rows: panel.rows.map((row) => row.map((v, i) => valueCell(v, panel.columns[i]?.unit ?? panel.unit, ctx))),
        },
      };
  }
  return { option: undefined, table: { columns: [unitLabel], rows: [] } };
}
