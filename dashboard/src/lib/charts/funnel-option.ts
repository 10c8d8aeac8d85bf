// Builds the adoption funnel (invited → activated → weekly active → habitual): stages in order, each
// labelled with its count and its share of the first stage.
import { BASE_OPTION, type ChartOption } from './option.ts';

export interface FunnelSettings {
  stages: readonly { name: string; value: number }[];
  formatCount(value: number): string;
  formatShare(value: number | null): string;
}

export function buildFunnelOption(settings: FunnelSettings): ChartOption {
  const first = settings.stages[0]?.value ?? 0;
  const labelOf = (value: number) => `${settings.formatCount(value)} · ${settings.formatShare(first > 0 ? value / first : null)}`;
  return {
    ...BASE_OPTION,
    tooltip: { trigger: 'item', formatter: (p) => `${(p as { name: string }).name}<br/><b>${labelOf(Number((p as { value: unknown }).value))}</b>` },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        left: '8%',
        right: '8%',
        top: 8,
        bottom: 8,
        minSize: '12%',
        gap: 3,
        label: { position: 'inside', formatter: (p) => `${p.name}\n${labelOf(Number(p.value))}`, color: '#fff', fontWeight: 500 },
        data: settings.stages.map((s) => ({ name: s.name, value: s.value })),
      },
    ],
  };
}
