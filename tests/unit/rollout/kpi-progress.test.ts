// KPI progress and status on hand-computed cases.
import { describe, expect, it } from 'vitest';
import { kpiProgress } from '../../../jobs/rollout/kpi-progress.ts';

// Cross-team reply latency: baseline 10 h, target 5 h (−50%), over 2024.
const kpi = { baseline: 10, target: 5, start: '2024-01-01', deadline: '2024-12-31' };

describe('kpiProgress', () => {
  it('is halfway at 7.5 h, on track at mid-year', () => {
    const r = kpiProgress({ ...kpi, current: 7.5, today: '2024-07-01' });
    expect(r.progress).toBe(0.5);
    expect(r.elapsed).toBeCloseTo(182 / 365, 12);
    expect(r.status).toBe('on_track');
  });

  it('is at risk when progress trails elapsed time by more than the tolerance', () => {
    expect(kpiProgress({ ...kpi, current: 9, today: '2024-07-01' }).status).toBe('at_risk');
  });

  it('is met once the target is reached, and missed after the deadline otherwise', () => {
    expect(kpiProgress({ ...kpi, current: 4, today: '2024-03-01' })).toMatchObject({ progress: 1.2, status: 'met' });
    expect(kpiProgress({ ...kpi, current: 7.5, today: '2025-01-05' }).status).toBe('missed');
  });

  it('works for targets above the baseline (e.g. active rate 40% → 90%)', () => {
    expect(kpiProgress({ baseline: 0.4, target: 0.9, current: 0.65, start: '2024-01-01', deadline: '2024-12-31', today: '2024-07-01' }).progress).toBeCloseTo(0.5, 12);
  });

  it('refuses a target equal to the baseline', () => {
    expect(() => kpiProgress({ ...kpi, target: 10, current: 9, today: '2024-07-01' })).toThrow(RangeError);
  });
});
