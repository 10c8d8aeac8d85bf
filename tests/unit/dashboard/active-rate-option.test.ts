// The overview chart's option builder: one line per department over every day of the range.
import { describe, expect, it } from 'vitest';
import { buildActiveRateOption, type ActiveRateDatum } from '../../../dashboard/src/lib/charts/active-rate-option.ts';

const days = ['2025-03-01', '2025-03-02', '2025-03-03'];
const settings = {
  days,
  formatDay: (d: string) => d.slice(5),
  formatPercent: (v: number | null) => (v === null ? 'n/a' : `${Math.round(v * 100)}%`),
  rateAxisName: 'Active rate',
};

function point(day: string, department: string, departmentName: string, rate: number | null): ActiveRateDatum {
  return { day, department, departmentName, rate };
}

type Series = { name: string; data: (number | null)[]; type: string; connectNulls: boolean; showSymbol: boolean };

function seriesOf(option: ReturnType<typeof buildActiveRateOption>): Series[] {
  return option.series as unknown as Series[];
}

describe('buildActiveRateOption', () => {
  it('draws one line per department, named by department, sorted by name', () => {
    const option = buildActiveRateOption(
      [point('2025-03-01', 'ops', 'Operations', 0.5), point('2025-03-01', 'fin', 'Finance', 0.25)],
      settings,
    );
    expect(seriesOf(option).map((s) => [s.type, s.name])).toEqual([
      ['line', 'Finance'],
      ['line', 'Operations'],
    ]);
  });

  it('puts every day of the range on the x axis, formatted', () => {
    const option = buildActiveRateOption([point('2025-03-02', 'fin', 'Finance', 0.5)], settings);
    expect(option.xAxis).toMatchObject({ type: 'category', data: ['03-01', '03-02', '03-03'] });
  });

  it('leaves a gap, not a zero, on days a department has no figure', () => {
    const option = buildActiveRateOption(
      [point('2025-03-01', 'fin', 'Finance', 0.4), point('2025-03-03', 'fin', 'Finance', 0.6)],
      settings,
    );
    const [finance] = seriesOf(option);
    expect(finance?.data).toEqual([0.4, null, 0.6]);
    expect(finance?.connectNulls).toBe(false);
  });

  it('keeps a null rate (nobody licensed) as a gap', () => {
    const option = buildActiveRateOption([point('2025-03-02', 'x', 'Unknown', null)], settings);
    expect(seriesOf(option)[0]?.data).toEqual([null, null, null]);
  });

  it('ignores rows for days outside the range', () => {
    const option = buildActiveRateOption(
      [point('2025-02-28', 'fin', 'Finance', 0.9), point('2025-03-01', 'fin', 'Finance', 0.1)],
      settings,
    );
    expect(seriesOf(option)[0]?.data).toEqual([0.1, null, null]);
  });

  it('plots rates on a fixed 0–100% axis labelled with the percent formatter', () => {
    const option = buildActiveRateOption([], settings);
    const yAxis = option.yAxis as { min: number; max: number; name: string; axisLabel: { formatter: (v: number) => string } };
    expect([yAxis.min, yAxis.max, yAxis.name]).toEqual([0, 1, 'Active rate']);
    expect(yAxis.axisLabel.formatter(0.75)).toBe('75%');
    expect(seriesOf(option)).toEqual([]);
  });

  it('formats tooltip values as percentages', () => {
    const option = buildActiveRateOption([], settings);
    const tooltip = option.tooltip as { valueFormatter: (v: unknown) => string };
    expect(tooltip.valueFormatter(0.5)).toBe('50%');
    expect(tooltip.valueFormatter(undefined)).toBe('n/a');
  });

  it('drops point symbols on long ranges so lines stay readable', () => {
    const long = Array.from({ length: 90 }, (_, i) => new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10));
    const option = buildActiveRateOption([point(long[0] ?? '', 'fin', 'Finance', 0.5)], { ...settings, days: long });
    expect(seriesOf(option)[0]?.showSymbol).toBe(false);
    expect(seriesOf(buildActiveRateOption([point('2025-03-01', 'fin', 'Finance', 0.5)], settings))[0]?.showSymbol).toBe(true);
  });

  it('turns on the ECharts aria description for screen readers', () => {
    expect(buildActiveRateOption([], settings).aria).toEqual({ enabled: true });
  });
});
