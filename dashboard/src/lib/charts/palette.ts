// Series colours shared by every chart: distinguishable, and readable on a white or dark card.
export const SERIES_COLORS = [
  '#2563eb',
  '#16a34a',
  '#d97706',
  '#9333ea',
  '#dc2626',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#7c3aed',
  '#ea580c',
] as const;

export const AXIS_COLOR = '#94a3b8';
export const GRID_LINE_COLOR = '#e2e8f0';
export const TEXT_COLOR = '#475569';
