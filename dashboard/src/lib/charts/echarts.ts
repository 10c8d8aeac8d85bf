// The slice of ECharts the dashboard uses, registered once. Loaded only in the browser (Chart.svelte
// imports it from onMount), so the server bundle and the first paint never carry it.
import { init, use, type EChartsType } from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

export function createChart(container: HTMLElement): EChartsType {
  return init(container, undefined, { renderer: 'canvas' });
}
