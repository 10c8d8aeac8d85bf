// The pilot-vs-control windows: the "after" window stops before the control group starts adopting.
import { describe, expect, it } from 'vitest';
import { controlStartOf, didWindows } from '../../../dashboard/src/lib/server/pages/rollout-measures.ts';

const baseline = { from: '2025-07-07', to: '2025-08-03' };
const waves = [
  { start: '2025-08-04', departments: ['exec', 'risk'] },
  { start: '2025-09-15', departments: ['ops'] },
  { start: '2025-10-20', departments: ['retail'] },
];

describe('didWindows', () => {
  it('starts two weeks into the pilot and ends the day before the next wave', () => {
    const start = controlStartOf(waves, ['exec', 'risk'], '2025-08-04');
    expect(start).toBe('2025-09-15');
    expect(didWindows(baseline, '2025-08-04', '2025-12-31', start)).toEqual({ before: baseline, after: { from: '2025-08-18', to: '2025-09-14' } });
  });

  it('ends at the range end when that comes first, and starts at the pilot when the window is short', () => {
    expect(didWindows(baseline, '2025-08-04', '2025-08-20', '2025-09-15')?.after).toEqual({ from: '2025-08-04', to: '2025-08-20' });
  });

  it('has no window before the pilot starts', () => {
    expect(didWindows(baseline, '2025-08-04', '2025-08-01')).toBeUndefined();
  });

  it('ignores waves made only of pilot departments', () => {
    expect(controlStartOf([{ start: '2025-09-01', departments: ['exec'] }], ['exec'], '2025-08-04')).toBeUndefined();
  });
});
