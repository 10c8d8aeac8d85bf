// A valid rollout plan to start tests from.
import type { RolloutPlan } from '../../contracts/settings.ts';

export function makeRolloutPlan(overrides: Partial<RolloutPlan> = {}): RolloutPlan {
  return {
    baseline: { from: '2024-01-01', to: '2024-01-28' },
    stages: {
      diagnose: '2024-01-01',
      commitment: '2024-01-29',
      pilot: '2024-02-05',
      waves: '2024-03-04',
      integration: '2024-04-01',
      optimisation: '2024-05-06',
    },
    waves: [
      { id: 'pilot', name: 'Pilot', start: '2024-02-05', departments: ['fin', 'ops'] },
      { id: 'wave-1', name: 'Wave 1', start: '2024-03-04', departments: ['sales'] },
    ],
    pilotDepartments: ['fin', 'ops'],
    ambassadors: ['p1'],
    ...overrides,
  };
}
