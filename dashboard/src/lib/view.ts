// A page as data: headline tiles, chart panels and notes, each label a message key (or a name from
// the directory) and each number raw with its unit. Loaders build it on the server; PageView.svelte
// translates, formats, draws and tabulates it, so every page gets the same states, table view and
// exports. Serializable and client-safe.
import type { MessageKey } from './i18n/index.ts';

export type Label = { key: MessageKey; params?: Record<string, string | number> } | { text: string };

export type Unit = 'percent' | 'seconds' | 'hours' | 'days' | 'count' | 'decimal' | 'currency' | 'signedPercent';

/** A table or series value: a number, nothing, a group too small to show, or text. */
export type Value = number | null | { suppressed: true } | Label;

export interface Tile {
  id: string;
  label: Label;
  value: Value;
  unit: Unit;
  /** Relative change against the comparison period. */
  change?: number | null;
  higherIsBetter?: boolean;
  tone?: 'default' | 'good' | 'bad';
  hint?: Label;
  /** The numbers and assumptions behind the figure, shown on click. */
  details?: { label: Label; value: Value; unit?: Unit }[];
}

interface PanelBase {
  id: string;
  title: Label;
  subtitle?: Label;
  unit: Unit;
  /** Shown when the panel has no data. */
  empty?: { title: Label; hint: Label };
  wide?: boolean;
  /** A line under the chart: method, caveats. */
  note?: Label;
}

export interface SeriesSpec {
  name: Label;
  values: (number | null)[];
  kind?: 'line' | 'bar' | 'area';
  reference?: boolean;
}

export type Panel =
  | (PanelBase & { kind: 'trend'; periods: string[]; granularity: 'day' | 'week' | 'minute'; series: SeriesSpec[]; target?: { value: number; label: Label }; min?: number; max?: number; stacked?: boolean })
  | (PanelBase & { kind: 'bars'; categories: Label[]; series: { name: Label; values: Value[] }[]; horizontal?: boolean; stacked?: boolean; max?: number })
  | (PanelBase & { kind: 'heatmap'; x: Label[]; y: Label[]; cells: { x: number; y: number; value: Value }[]; xName?: Label; yName?: Label })
  | (PanelBase & { kind: 'funnel'; stages: { name: Label; value: number }[] })
  | (PanelBase & { kind: 'network'; nodes: { id: string; name: string; weight: number; silo: number | null }[]; edges: { source: string; target: string; weight: number }[] })
  | (PanelBase & { kind: 'interval'; rows: { name: Label; estimate: number; low: number; high: number }[] })
  | (PanelBase & { kind: 'table'; columns: { label: Label; unit?: Unit }[]; rows: Value[][] });

export interface PageView {
  tiles: Tile[];
  panels: Panel[];
  notices: { tone: 'info' | 'warning'; text: Label }[];
}

export const label = (key: MessageKey, params?: Record<string, string | number>): Label => (params ? { key, params } : { key });
export const text = (value: string): Label => ({ text: value });
export const SUPPRESSED = { suppressed: true } as const;

export function isSuppressed(v: Value): v is { suppressed: true } {
  return typeof v === 'object' && v !== null && 'suppressed' in v;
}

export function isLabel(v: Value): v is Label {
  return typeof v === 'object' && v !== null && ('key' in v || 'text' in v);
}

/** Whether a panel has anything to draw. */
export function panelHasData(panel: Panel): boolean {
  const num = (v: Value) => typeof v === 'number';
  switch (panel.kind) {
    case 'trend':
      return panel.series.some((s) => s.values.some((v) => v !== null));
    case 'bars':
      return panel.categories.length > 0 && panel.series.some((s) => s.values.some(num));
    case 'heatmap':
      return panel.cells.some((c) => num(c.value));
    case 'funnel':
      return panel.stages.some((s) => s.value > 0);
    case 'network':
      return panel.nodes.length > 0;
    case 'interval':
      return panel.rows.length > 0;
    case 'table':
      return panel.rows.length > 0;
  }
}
