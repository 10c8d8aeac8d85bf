// Builds a dot-and-whisker chart: for each row an estimate with its uncertainty interval (pilot vs
// control effects, ROI low/base/high), drawn horizontally around a zero line so "no effect" is visible.
import { BASE_OPTION, type ChartOption, type ValueFormatter } from './option.ts';
import { REFERENCE_COLOR, SERIES_COLORS } from './palette.ts';

export interface IntervalRow {
  name: string;
  estimate: number;
  low: number;
  high: number;
}

export interface IntervalSettings {
  rows: readonly IntervalRow[];
  format: ValueFormatter;
  axisName?: string;
}

export function buildIntervalOption(settings: IntervalSettings): ChartOption {
  const names = settings.rows.map((r) => r.name);
  return {
    ...BASE_OPTION,
    grid: { left: 8, right: 32, top: 24, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const first = Array.isArray(params) ? params[0] : params;
        const row = settings.rows[first?.dataIndex ?? -1];
        if (!row) return '';
        return `${row.name}<br/><b>${settings.format(row.estimate)}</b> (${settings.format(row.low)} – ${settings.format(row.high)})`;
      },
    },
    yAxis: { type: 'category', data: names, inverse: true },
    xAxis: {
      type: 'value',
      scale: true,
      ...(settings.axisName ? { name: settings.axisName, nameLocation: 'middle' as const, nameGap: 28 } : {}),
      axisLabel: { formatter: (value: number) => settings.format(value), hideOverlap: true },
    },
    series: [
      // An invisible bar up to the low end, then a visible one from low to high: the whisker.
      { type: 'bar', stack: 'interval', silent: true, itemStyle: { color: 'transparent' }, data: settings.rows.map((r) => Math.min(r.low, r.high)), barWidth: 6 },
      {
        type: 'bar',
        stack: 'interval',
        itemStyle: { color: SERIES_COLORS[0], opacity: 0.35, borderRadius: 3 },
        data: settings.rows.map((r) => Math.abs(r.high - r.low)),
        barWidth: 6,
        markLine: { silent: true, symbol: 'none', lineStyle: { color: REFERENCE_COLOR, type: 'dashed' }, label: { show: false }, data: [{ xAxis: 0 }] },
      },
      { type: 'scatter', symbolSize: 14, itemStyle: { color: SERIES_COLORS[0] }, data: settings.rows.map((r, i) => [r.estimate, i]) },
    ],
  };
}
