// The slice of ECharts the dashboard uses, registered once with both themes. Loaded only in the
// browser (Chart.svelte imports it from onMount), so the server bundle and first paint never carry it.
import { init, registerTheme, use, type EChartsType } from 'echarts/core';
import { BarChart, FunnelChart, GraphChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { echartsTheme, type ThemeName } from './palette.ts';

use([
  LineChart,
  BarChart,
  HeatmapChart,
  FunnelChart,
  GraphChart,
  ScatterChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  AriaComponent,
  VisualMapComponent,
  MarkLineComponent,
  CanvasRenderer,
]);
registerTheme('waypoint-light', echartsTheme('light'));
registerTheme('waypoint-dark', echartsTheme('dark'));

export function createChart(container: HTMLElement, theme: ThemeName): EChartsType {
  return init(container, `waypoint-${theme}`, { renderer: 'canvas' });
}
