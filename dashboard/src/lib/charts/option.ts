// The ECharts option type every builder in $lib/charts returns: the series and components the
// dashboard registers (echarts.ts), so a builder using anything unregistered fails type-checking.
import type { ComposeOption } from 'echarts/core';
import { SECONDS_PER, type DurationUnit } from '../i18n/index.ts';
import type { BarSeriesOption, FunnelSeriesOption, GraphSeriesOption, HeatmapSeriesOption, LineSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type {
  AriaComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';

export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | HeatmapSeriesOption
  | FunnelSeriesOption
  | GraphSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | AriaComponentOption
  | VisualMapComponentOption
  | MarkLineComponentOption
>;

/** Formats a value for axes and tooltips (numbers come from the page's Intl formatters). */
export type ValueFormatter = (value: number | null) => string;

/** What every chart shares: accessible description on, no animation delay on data change. */
export const BASE_OPTION = {
  aria: { enabled: true },
  animationDuration: 300,
} as const;

export function tooltipNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (Array.isArray(value) && typeof value[value.length - 1] === 'number') return value[value.length - 1] as number;
  return null;
}

/** A value axis's tick step and label formatter, when the page's own formatter would not do. */
export interface AxisScale {
  interval: number;
  format: (value: number) => string;
}

/** Round steps per display unit of a duration axis (in that unit). */
const DURATION_STEPS: Readonly<Record<DurationUnit, readonly number[]>> = {
  second: [1, 2, 5, 10, 15, 30],
  minute: [1, 2, 5, 10, 15, 30, 60],
  hour: [1, 2, 3, 6, 12, 24],
  day: [1, 2, 5, 7, 10, 14, 30, 60, 90, 180, 365],
};

/**
 * A duration axis (values in seconds) in one unit with round steps: ticks read "0 h, 12 h, 24 h,
 * 36 h" rather than ECharts's decimal steps of seconds ("13.9 h, 27.8 h, 41.7 h, 2.3 days").
 * The unit follows the largest value as the page's duration formatter picks it; about 5 ticks.
 */
export function durationAxis(values: readonly (number | null)[], formatIn: (seconds: number, unit: DurationUnit) => string): AxisScale | undefined {
  const max = Math.max(0, ...values.map((v) => (v === null || !Number.isFinite(v) ? 0 : Math.abs(v))));
  if (max === 0) return undefined;
  const unit: DurationUnit = max < 90 ? 'second' : max < 90 * 60 ? 'minute' : max < 48 * 3600 ? 'hour' : 'day';
  const target = max / SECONDS_PER[unit] / 5;
  const steps = DURATION_STEPS[unit];
  const step = steps.find((s) => s >= target) ?? Math.ceil(target / steps[steps.length - 1]!) * steps[steps.length - 1]!;
  return { interval: step * SECONDS_PER[unit], format: (value) => formatIn(value, unit) };
}
