// Builds the department network: a node per department sized by people, coloured by its silo index
// (share of its interactions that stay inside it), and an edge per pair weighted by interactions.
// Silos stand out as large, dark nodes with thin links.
import { BASE_OPTION, type ChartOption } from './option.ts';
import { BAD_COLOR, GOOD_COLOR, SERIES_COLORS } from './palette.ts';

export interface NetworkNode {
  id: string;
  name: string;
  /** Interactions involving the department (node size). */
  weight: number;
  /** 0 (all interactions cross-team) … 1 (all inside the department); null when unknown. */
  silo: number | null;
}

export interface NetworkEdge {
  source: string;
  target: string;
  weight: number;
}

export interface NetworkSettings {
  nodes: readonly NetworkNode[];
  edges: readonly NetworkEdge[];
  formatCount(value: number): string;
  formatShare(value: number | null): string;
  siloLabel: string;
}

/** Silo index ≥ this reads as a silo (red); below it, connected (green). */
export const SILO_THRESHOLD = 0.7;

export function buildNetworkOption(settings: NetworkSettings): ChartOption {
  const maxNode = Math.max(1, ...settings.nodes.map((n) => n.weight));
  const maxEdge = Math.max(1, ...settings.edges.map((e) => e.weight));
  const names = new Map(settings.nodes.map((n) => [n.id, n.name]));
  const nameOf = (id: string | undefined) => (id === undefined ? '' : (names.get(id) ?? id));
  return {
    ...BASE_OPTION,
    tooltip: {
      formatter: (p) => {
        const item = p as { dataType?: string; data: { name?: string; value?: number; silo?: number | null; source?: string; target?: string } };
        if (item.dataType === 'edge') return `${nameOf(item.data.source)} ↔ ${nameOf(item.data.target)}<br/><b>${settings.formatCount(item.data.value ?? 0)}</b>`;
        return `${item.data.name}<br/>${settings.siloLabel}: <b>${settings.formatShare(item.data.silo ?? null)}</b>`;
      },
    },
    series: [
      {
        type: 'graph',
        layout: 'circular',
        circular: { rotateLabel: false },
        roam: false,
        label: { show: true, position: 'right', fontSize: 11 },
        lineStyle: { curveness: 0.25, opacity: 0.55 },
        emphasis: { focus: 'adjacency', lineStyle: { width: 4 } },
        data: settings.nodes.map((n) => ({
          id: n.id,
          name: n.name,
          value: n.weight,
          silo: n.silo,
          symbolSize: 10 + 30 * Math.sqrt(n.weight / maxNode),
          itemStyle: { color: n.silo === null ? SERIES_COLORS[0] : n.silo >= SILO_THRESHOLD ? BAD_COLOR : GOOD_COLOR },
        })),
        links: settings.edges.map((e) => ({
          source: e.source,
          target: e.target,
          value: e.weight,
          lineStyle: { width: 0.5 + 6 * (e.weight / maxEdge) },
        })),
      },
    ],
  };
}
