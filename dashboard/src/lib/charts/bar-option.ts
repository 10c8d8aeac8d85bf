// Builds a categorical bar chart (departments, kinds, percentiles): one bar group per category, one
// series per measure; horizontal when category names are long. Null values are left out, not zero.
import { BASE_OPTION, tooltipNumber, type AxisScale, type ChartOption, type ValueFormatter } from './option.ts';

export interface BarSettings {
  categories: readonly string[];
  series: readonly { name: string; values: readonly (number | null)[] }[];
  format: ValueFormatter;
  /** The value axis's own steps and labels (durationAxis); otherwise ECharts's steps, labelled by `format`. */
  axis?: AxisScale;
  horizontal?: boolean;
  stacked?: boolean;
  axisName?: string;
  max?: number;
}

export function buildBarOption(settings: BarSettings): ChartOption {
  const categoryAxis = {
    type: 'category' as const,
    data: [...settings.categories],
    // Horizontal charts list the first category at the top, as a table would.
    ...(settings.horizontal ? { inverse: true } : {}),
    axisLabel: { hideOverlap: !settings.horizontal, width: 160, overflow: 'truncate' as const },
  };
  const valueAxis = {
    type: 'value' as const,
    ...(settings.axisName ? { name: settings.axisName } : {}),
    ...(settings.max !== undefined ? { max: settings.max } : {}),
    ...(settings.axis ? { interval: settings.axis.interval } : {}),
    axisLabel: { formatter: settings.axis?.format ?? ((value: number) => settings.format(value)), hideOverlap: true },
  };
  const multi = settings.series.length > 1;
  return {
    ...BASE_OPTION,
    grid: { left: 8, right: 32, top: multi ? 44 : 24, bottom: 8, containLabel: true },
    legend: multi ? { type: 'scroll', top: 0, left: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 12 } : { show: false },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (value) => settings.format(tooltipNumber(value)) },
    xAxis: settings.horizontal ? valueAxis : categoryAxis,
    yAxis: settings.horizontal ? categoryAxis : valueAxis,
    series: settings.series.map((s) => ({
      type: 'bar' as const,
      name: s.name,
      data: [...s.values],
      barMaxWidth: 32,
      itemStyle: { borderRadius: settings.horizontal ? [0, 4, 4, 0] : [4, 4, 0, 0] },
      ...(settings.stacked ? { stack: 'total' } : {}),
      emphasis: { focus: 'series' as const },
    })),
  };
}
