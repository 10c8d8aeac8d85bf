// Builds a heatmap (department × department latency, weekday × hour activity): a cell per x/y pair
// with a value; suppressed or missing cells are simply absent, so they show as the empty background.
import { BASE_OPTION, type ChartOption, type ValueFormatter } from './option.ts';

export interface HeatmapCell {
  x: number;
  y: number;
  value: number | null;
}

export interface HeatmapSettings {
  xLabels: readonly string[];
  yLabels: readonly string[];
  cells: readonly HeatmapCell[];
  format: ValueFormatter;
  xName?: string;
  yName?: string;
}

export function buildHeatmapOption(settings: HeatmapSettings): ChartOption {
  const present = settings.cells.filter((c): c is HeatmapCell & { value: number } => c.value !== null);
  const values = present.map((c) => c.value);
  const min = values.length > 0 ? Math.min(...values) : 0;
  const max = values.length > 0 ? Math.max(...values) : 1;
  // Rotated x labels need room below them for the axis name; the y name sits above the grid.
  const rotated = settings.xLabels.length > 8;
  return {
    ...BASE_OPTION,
    grid: { left: 8, right: 16, top: settings.yName ? 36 : 16, bottom: settings.xName && rotated ? 84 : 56, containLabel: true },
    tooltip: {
      position: 'top',
      formatter: (params) => {
        const p = Array.isArray(params) ? params[0] : params;
        const data = p?.data as [number, number, number] | undefined;
        if (!data) return '';
        return `${settings.yLabels[data[1]] ?? ''} → ${settings.xLabels[data[0]] ?? ''}<br/><b>${settings.format(data[2])}</b>`;
      },
    },
    xAxis: {
      type: 'category',
      data: [...settings.xLabels],
      ...(settings.xName ? { name: settings.xName, nameLocation: 'middle' as const, nameGap: rotated ? 72 : 28 } : {}),
      splitArea: { show: true },
      axisLabel: { hideOverlap: true, rotate: rotated ? 30 : 0 },
    },
    yAxis: {
      type: 'category',
      data: [...settings.yLabels],
      ...(settings.yName ? { name: settings.yName } : {}),
      splitArea: { show: true },
    },
    visualMap: {
      min,
      max: max === min ? min + 1 : max,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      formatter: (value) => settings.format(typeof value === 'number' ? value : Number(value)),
    },
    series: [
      {
        type: 'heatmap',
        data: present.map((c) => [c.x, c.y, c.value]),
        emphasis: { itemStyle: { shadowBlur: 6, shadowColor: 'rgba(0, 0, 0, 0.3)' } },
        itemStyle: { borderWidth: 1, borderColor: 'rgba(128, 128, 128, 0.15)' },
      },
    ],
  };
}
