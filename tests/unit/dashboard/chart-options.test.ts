// The pure ECharts option builders in $lib/charts: each draws what its data says, gaps stay gaps,
// suppressed values never reach a chart, and labels come from the caller's formatters.
import { describe, expect, it } from 'vitest';
import { buildBarOption } from '../../../dashboard/src/lib/charts/bar-option.ts';
import { buildFunnelOption } from '../../../dashboard/src/lib/charts/funnel-option.ts';
import { buildHeatmapOption } from '../../../dashboard/src/lib/charts/heatmap-option.ts';
import { buildIntervalOption } from '../../../dashboard/src/lib/charts/interval-option.ts';
import { buildNetworkOption, SILO_THRESHOLD } from '../../../dashboard/src/lib/charts/network-option.ts';
import { durationAxis } from '../../../dashboard/src/lib/charts/option.ts';
import { createFormatters } from '../../../dashboard/src/lib/i18n/index.ts';
import { echartsTheme, BAD_COLOR, GOOD_COLOR } from '../../../dashboard/src/lib/charts/palette.ts';
import { buildTimeSeriesOption } from '../../../dashboard/src/lib/charts/time-series-option.ts';

const pct = (v: number | null) => (v === null ? 'n/a' : `${Math.round(v * 100)}%`);
type AnySeries = { type: string; name?: string; data: unknown[]; stack?: string; lineStyle?: { type?: string }; markLine?: { data: unknown[] } };
const seriesOf = (o: { series?: unknown }) => o.series as AnySeries[];

describe('buildTimeSeriesOption', () => {
  const base = { labels: ['1 Mar', '2 Mar', '3 Mar'], format: pct };

  it('draws one series per input, keeping gaps as null', () => {
    const o = buildTimeSeriesOption({ ...base, series: [{ name: 'Pilot', values: [0.5, null, 0.7] }, { name: 'Control', values: [0.2, 0.3, null], reference: true }] });
    expect(seriesOf(o).map((s) => [s.type, s.name, s.data])).toEqual([
      ['line', 'Pilot', [0.5, null, 0.7]],
      ['line', 'Control', [0.2, 0.3, null]],
    ]);
    expect(seriesOf(o)[1]?.lineStyle?.type).toBe('dashed');
    expect(o.xAxis).toMatchObject({ data: base.labels });
  });

  it('draws bars and a dashed target line when asked', () => {
    const o = buildTimeSeriesOption({ ...base, series: [{ name: 'Reach', values: [0.1, 0.2, 0.3], kind: 'bar' }], target: { value: 0.9, label: 'Target' } });
    expect(seriesOf(o)[0]?.type).toBe('bar');
    expect(seriesOf(o)[0]?.markLine?.data).toEqual([{ yAxis: 0.9 }]);
  });

  it('hides the legend for a single series', () => {
    const o = buildTimeSeriesOption({ ...base, series: [{ name: 'Only', values: [1, 2, 3] }] });
    expect(o.legend).toEqual({ show: false });
  });
});

describe('durationAxis', () => {
  const fmt = createFormatters('en', 'n/a');
  const ticks = (values: (number | null)[]) => {
    const axis = durationAxis(values, fmt.durationIn)!;
    return [0, 1, 2, 3, 4].map((i) => axis.format(i * axis.interval));
  };

  it('keeps one unit and round steps: hours under two days, days above', () => {
    // 41.7 h at most: ECharts's own steps of seconds read "13.9 hr, 27.8 hr, 41.7 hr".
    expect(ticks([3600, null, 150_000])).toEqual(['0 hr', '12 hr', '24 hr', '36 hr', '48 hr']);
    expect(ticks([355_000, 20_000])).toEqual(['0 days', '1 day', '2 days', '3 days', '4 days']);
    expect(ticks([1800, 600])).toEqual(['0 min', '10 min', '20 min', '30 min', '40 min']);
    expect(ticks([45])).toEqual(['0 sec', '10 sec', '20 sec', '30 sec', '40 sec']);
  });

  it('leaves an axis without values to ECharts', () => {
    expect(durationAxis([null, 0], fmt.durationIn)).toBeUndefined();
  });

  it('sets the interval and labels on the value axis of line and bar charts', () => {
    const axis = durationAxis([150_000], fmt.durationIn)!;
    const line = buildTimeSeriesOption({ labels: ['a'], series: [{ name: 'Reply', values: [150_000] }], format: String, axis });
    expect(line.yAxis).toMatchObject({ interval: 12 * 3600 });
    const bars = buildBarOption({ categories: ['a'], series: [{ name: 'Reply', values: [150_000] }], format: String, axis });
    expect(bars.yAxis).toMatchObject({ interval: 12 * 3600 });
  });
});

describe('buildBarOption', () => {
  it('puts categories on the y axis, top first, when horizontal', () => {
    const o = buildBarOption({ categories: ['Finance', 'Sales'], series: [{ name: 'Median', values: [3600, null] }], format: String, horizontal: true });
    expect(o.yAxis).toMatchObject({ type: 'category', data: ['Finance', 'Sales'], inverse: true });
    expect(seriesOf(o)[0]?.data).toEqual([3600, null]);
  });

  it('stacks series when asked', () => {
    const o = buildBarOption({ categories: ['a'], series: [{ name: 'x', values: [1] }, { name: 'y', values: [2] }], format: String, stacked: true });
    expect(seriesOf(o).every((s) => s.stack === 'total')).toBe(true);
  });
});

describe('buildHeatmapOption', () => {
  it('leaves suppressed (null) cells out and scales to the values present', () => {
    const o = buildHeatmapOption({
      xLabels: ['A', 'B'],
      yLabels: ['A', 'B'],
      cells: [
        { x: 0, y: 0, value: 60 },
        { x: 1, y: 0, value: null },
        { x: 0, y: 1, value: 600 },
      ],
      format: String,
    });
    expect(seriesOf(o)[0]?.data).toEqual([
      [0, 0, 60],
      [0, 1, 600],
    ]);
    expect(o.visualMap).toMatchObject({ min: 60, max: 600 });
  });
});

describe('buildFunnelOption', () => {
  it('keeps the stages in the given order', () => {
    const o = buildFunnelOption({ stages: [{ name: 'Invited', value: 40 }, { name: 'Activated', value: 30 }, { name: 'Habitual', value: 10 }], formatCount: String, formatShare: pct });
    expect(seriesOf(o)[0]).toMatchObject({ type: 'funnel', sort: 'none', data: [{ name: 'Invited', value: 40 }, { name: 'Activated', value: 30 }, { name: 'Habitual', value: 10 }] });
  });
});

describe('buildNetworkOption', () => {
  it('colours silos red and connected departments green, and links by id', () => {
    const o = buildNetworkOption({
      nodes: [
        { id: 'fin', name: 'Finance', weight: 100, silo: SILO_THRESHOLD + 0.1 },
        { id: 'ops', name: 'Operations', weight: 50, silo: 0.2 },
      ],
      edges: [{ source: 'fin', target: 'ops', weight: 10 }],
      formatCount: String,
      formatShare: pct,
      siloLabel: 'Silo',
    });
    const graph = seriesOf(o)[0] as unknown as { links: { source: string; target: string }[]; data: { itemStyle: { color: string } }[] };
    expect(graph.data.map((n) => n.itemStyle.color)).toEqual([BAD_COLOR, GOOD_COLOR]);
    expect(graph.links).toMatchObject([{ source: 'fin', target: 'ops', value: 10 }]);
  });
});

describe('buildIntervalOption', () => {
  it('draws the interval from low to high and a dot at the estimate', () => {
    const o = buildIntervalOption({ rows: [{ name: 'Reply time', estimate: -0.3, low: -0.5, high: -0.1 }], format: pct });
    const [offset, whisker, dot] = seriesOf(o);
    expect(offset?.data).toEqual([-0.5]);
    expect(whisker?.data).toEqual([0.4]);
    expect(dot?.data).toEqual([[-0.3, 0]]);
  });
});

describe('echartsTheme', () => {
  it('gives dark and light different text colours and the same series palette', () => {
    const light = echartsTheme('light') as { color: string[]; textStyle: { color: string } };
    const dark = echartsTheme('dark') as { color: string[]; textStyle: { color: string } };
    expect(light.color).toEqual(dark.color);
    expect(light.textStyle.color).not.toEqual(dark.textStyle.color);
  });
});
