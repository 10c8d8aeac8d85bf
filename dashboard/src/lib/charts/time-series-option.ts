// Builds a time-series chart: one category per period (day or week) and one line — or bar — per
// series; missing values are gaps, not zeros. An optional target draws a dashed reference line.
import { BASE_OPTION, tooltipNumber, type AxisScale, type ChartOption, type ValueFormatter } from './option.ts';
import { REFERENCE_COLOR } from './palette.ts';

export interface TimeSeries {
  name: string;
  values: readonly (number | null)[];
  /** Default `line`. */
  kind?: 'line' | 'bar' | 'area';
  /** A reference series (control group, comparison period): dashed and grey. */
  reference?: boolean;
}

export interface TimeSeriesSettings {
  /** Already formatted period labels, one per value. */
  labels: readonly string[];
  series: readonly TimeSeries[];
  format: ValueFormatter;
  /** The value axis's own steps and labels (durationAxis); otherwise ECharts's steps, labelled by `format`. */
  axis?: AxisScale;
  axisName?: string;
  min?: number;
  max?: number;
  target?: { value: number; label: string };
  stacked?: boolean;
}

// Above this many points, per-point symbols turn a line into a smear.
const MAX_POINTS_WITH_SYMBOLS = 45;

export function buildTimeSeriesOption(settings: TimeSeriesSettings): ChartOption {
  const showSymbol = settings.labels.length <= MAX_POINTS_WITH_SYMBOLS;
  const hasBars = settings.series.some((s) => s.kind === 'bar');
  return {
    ...BASE_OPTION,
    grid: { left: 8, right: 24, top: settings.series.length > 1 ? 44 : 28, bottom: 8, containLabel: true },
    legend: settings.series.length > 1 ? { type: 'scroll', top: 0, left: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 12 } : { show: false },
    tooltip: { trigger: 'axis', valueFormatter: (value) => settings.format(tooltipNumber(value)) },
    xAxis: { type: 'category', boundaryGap: hasBars, data: [...settings.labels], axisLabel: { hideOverlap: true } },
    yAxis: {
      type: 'value',
      ...(settings.axisName ? { name: settings.axisName, nameTextStyle: { align: 'left' } } : {}),
      ...(settings.min !== undefined ? { min: settings.min } : {}),
      ...(settings.max !== undefined ? { max: settings.max } : {}),
      ...(settings.axis ? { interval: settings.axis.interval } : {}),
      axisLabel: { formatter: settings.axis?.format ?? ((value: number) => settings.format(value)) },
    },
    series: settings.series.map((s, i) => {
      const common = { name: s.name, data: [...s.values], emphasis: { focus: 'series' as const } };
      const markLine =
        i === 0 && settings.target
          ? {
              markLine: {
                silent: true,
                symbol: 'none',
                lineStyle: { type: 'dashed' as const, color: REFERENCE_COLOR },
                label: { formatter: settings.target.label, position: 'insideEndTop' as const },
                data: [{ yAxis: settings.target.value }],
              },
            }
          : {};
      if (s.kind === 'bar') {
        return { ...common, ...markLine, type: 'bar' as const, barMaxWidth: 28, ...(settings.stacked ? { stack: 'total' } : {}) };
      }
      return {
        ...common,
        ...markLine,
        type: 'line' as const,
        connectNulls: false,
        showSymbol,
        symbolSize: 6,
        lineStyle: { width: 2, ...(s.reference ? { type: 'dashed' as const } : {}) },
        ...(s.reference ? { color: REFERENCE_COLOR } : {}),
        ...(s.kind === 'area' ? { areaStyle: { opacity: 0.15 } } : {}),
        ...(settings.stacked ? { stack: 'total' } : {}),
      };
    }),
  };
}
