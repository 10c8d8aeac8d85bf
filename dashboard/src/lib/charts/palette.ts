// The dashboard's colours, one palette for light and dark: series hues readable on either card, and
// the text/axis/grid greys each theme uses. Registered with ECharts as two themes (echarts.ts), so
// option builders never hard-code greys and a theme switch needs no new options.
export const SERIES_COLORS = [
  '#3b82f6',
  '#10b981',
  '#f59e0b',
  '#a855f7',
  '#ef4444',
  '#06b6d4',
  '#ec4899',
  '#84cc16',
  '#6366f1',
  '#f97316',
] as const;

/** Semantic colours: a good change, a bad change, a neutral reference (targets, control group). */
export const GOOD_COLOR = '#10b981';
export const BAD_COLOR = '#ef4444';
export const REFERENCE_COLOR = '#94a3b8';

/** Sequential scale for heatmaps, low → high. */
export const HEAT_COLORS = ['#eff6ff', '#93c5fd', '#3b82f6', '#1e3a8a'] as const;
export const HEAT_COLORS_DARK = ['#172554', '#1d4ed8', '#60a5fa', '#dbeafe'] as const;

export type ThemeName = 'light' | 'dark';

export interface ThemeColors {
  text: string;
  mutedText: string;
  axis: string;
  grid: string;
  tooltipBackground: string;
  tooltipBorder: string;
  heat: readonly string[];
}

export const THEME_COLORS: Record<ThemeName, ThemeColors> = {
  light: {
    text: '#334155',
    mutedText: '#64748b',
    axis: '#cbd5e1',
    grid: '#e2e8f0',
    tooltipBackground: '#ffffff',
    tooltipBorder: '#e2e8f0',
    heat: HEAT_COLORS,
  },
  dark: {
    text: '#cbd5e1',
    mutedText: '#94a3b8',
    axis: '#475569',
    grid: '#1e293b',
    tooltipBackground: '#0f172a',
    tooltipBorder: '#334155',
    heat: HEAT_COLORS_DARK,
  },
};

/** The ECharts theme object for a theme name (registered as `waypoint-light` / `waypoint-dark`). */
export function echartsTheme(name: ThemeName): Record<string, unknown> {
  const c = THEME_COLORS[name];
  const axis = {
    axisLine: { lineStyle: { color: c.axis } },
    axisTick: { lineStyle: { color: c.axis } },
    axisLabel: { color: c.mutedText },
    splitLine: { lineStyle: { color: c.grid } },
    nameTextStyle: { color: c.mutedText },
  };
  return {
    color: [...SERIES_COLORS],
    backgroundColor: 'transparent',
    textStyle: { color: c.text, fontFamily: 'inherit' },
    legend: { textStyle: { color: c.text } },
    tooltip: { backgroundColor: c.tooltipBackground, borderColor: c.tooltipBorder, textStyle: { color: c.text } },
    categoryAxis: axis,
    valueAxis: axis,
    visualMap: { textStyle: { color: c.mutedText }, inRange: { color: [...c.heat] } },
    graph: { label: { color: c.text } },
    funnel: { label: { color: c.text } },
  };
}
