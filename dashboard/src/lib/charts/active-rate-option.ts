// Builds the ECharts option for "active rate by department over time": one line per department,
// one point per day of the range, a gap (not a zero) where a department has no figure that day.
import type { ComposeOption } from 'echarts/core';
import type { LineSeriesOption } from 'echarts/charts';
import type {
  AriaComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import { SERIES_COLORS } from './palette.ts';

export type ActiveRateChartOption = ComposeOption<
  LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | AriaComponentOption
>;

/** The fields the chart needs from a warehouse row (ActiveRatePoint has them all). */
export interface ActiveRateDatum {
  day: string;
  department: string;
  departmentName: string;
  rate: number | null;
}

export interface ActiveRateChartSettings {
  /** Every day on the x axis, in order; days without rows still get a slot so gaps show. */
  days: readonly string[];
  formatDay(day: string): string;
  formatPercent(value: number | null): string;
  rateAxisName: string;
}

// Above this many days, per-point symbols turn a line into a smear.
const MAX_DAYS_WITH_SYMBOLS = 45;

export function buildActiveRateOption(
  points: readonly ActiveRateDatum[],
  settings: ActiveRateChartSettings,
): ActiveRateChartOption {
  const dayIndex = new Map(settings.days.map((d, i) => [d, i]));
  const departments = new Map<string, { name: string; values: (number | null)[] }>();
  for (const point of points) {
    const index = dayIndex.get(point.day);
    if (index === undefined) continue;
    let series = departments.get(point.department);
    if (!series) {
      series = { name: point.departmentName, values: settings.days.map(() => null) };
      departments.set(point.department, series);
    }
    series.values[index] = point.rate;
  }
  const ordered = [...departments.values()].sort((a, b) => a.name.localeCompare(b.name));
  const showSymbol = settings.days.length <= MAX_DAYS_WITH_SYMBOLS;

  return {
    color: [...SERIES_COLORS],
    aria: { enabled: true },
    grid: { left: 8, right: 24, top: 48, bottom: 8, containLabel: true },
    legend: {
      type: 'scroll',
      top: 0,
      left: 0,
      icon: 'roundRect',
      itemWidth: 12,
      itemHeight: 12,
    },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value) => settings.formatPercent(typeof value === 'number' ? value : null),
    },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: settings.days.map((d) => settings.formatDay(d)),
      axisLabel: { hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      name: settings.rateAxisName,
      nameTextStyle: { align: 'left' },
      min: 0,
      max: 1,
      interval: 0.25,
      axisLabel: { formatter: (value: number) => settings.formatPercent(value) },
    },
    series: ordered.map((s) => ({
      type: 'line',
      name: s.name,
      data: s.values,
      connectNulls: false,
      showSymbol,
      symbolSize: 6,
      smooth: false,
      lineStyle: { width: 2 },
      emphasis: { focus: 'series' },
    })),
  };
}
