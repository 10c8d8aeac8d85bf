// Progress toward a KPI target (step 2): progress = (current − baseline) ÷ (target − baseline), so
// 0 is "where we started" and 1 is "target reached", whichever direction the target lies in.
// Status compares progress with the share of the time to the deadline already used:
//   met       progress ≥ 1
//   missed    the deadline has passed and progress < 1
//   on_track  progress ≥ elapsed share − tolerance (default 0.10)
//   at_risk   otherwise
export type KpiStatus = 'met' | 'on_track' | 'at_risk' | 'missed';

export interface KpiProgressInput {
  baseline: number;
  target: number;
  current: number;
  /** The day the baseline window ended (progress is expected to start here), and the deadline. */
  start: string;
  deadline: string;
  today: string;
  tolerance?: number;
}

export interface KpiProgress {
  progress: number;
  elapsed: number;
  status: KpiStatus;
}

const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);

export function kpiProgress(input: KpiProgressInput): KpiProgress {
  if (input.target === input.baseline) throw new RangeError('target equals baseline: progress is undefined');
  const progress = (input.current - input.baseline) / (input.target - input.baseline);
  const span = dayMs(input.deadline) - dayMs(input.start);
  const elapsed = span <= 0 ? 1 : Math.min(1, Math.max(0, (dayMs(input.today) - dayMs(input.start)) / span));
  const tolerance = input.tolerance ?? 0.1;
  let status: KpiStatus;
  if (progress >= 1) status = 'met';
  else if (input.today > input.deadline) status = 'missed';
  else if (progress >= elapsed - tolerance) status = 'on_track';
  else status = 'at_risk';
  return { progress, elapsed, status };
}
