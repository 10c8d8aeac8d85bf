// The ECharts option type every builder in $lib/charts returns: the series and components the
// dashboard registers (echarts.ts), so a builder using anything unregistered fails type-checking.
import type { ComposeOption } from 'echarts/core';
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
