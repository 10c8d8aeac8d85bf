// Ambassador reach and low-engagement groups from hand-built inputs, with the answers worked out by hand.
import { describe, expect, it } from 'vitest';
import { ambassadorReach } from '../../../jobs/rollout/compute-ambassadors.ts';
import { lowEngagement, type DepartmentEngagement } from '../../../jobs/rollout/compute-optimisation.ts';

describe('ambassadorReach', () => {
  // fin: ambassador a1 and colleagues c1..c5 (c5 unlicensed); ops: no ambassador.
  const people = [
    { id: 'a1', department: 'fin', licensed: 1 },
    { id: 'c1', department: 'fin', licensed: 1 },
    { id: 'c2', department: 'fin', licensed: 1 },
    { id: 'c3', department: 'fin', licensed: 1 },
    { id: 'c4', department: 'fin', licensed: 1 },
    { id: 'c5', department: 'fin', licensed: 0 },
    { id: 'o1', department: 'ops', licensed: 1 },
  ];
  const result = ambassadorReach({
    people,
    ambassadors: ['a1'],
    activated: new Map([
      ['c1', '2025-03-05'], // 4 days after the first interaction → reached
      ['c2', '2025-03-20'], // 19 days after → not within 14
      ['c3', '2025-02-20'], // active before meeting the ambassador → not reached by them
      ['o1', '2025-03-02'],
    ]),
    interactions: [
      { person: 'c1', adept: 'fin', first: '2025-03-01' },
      { person: 'c1', adept: 'fin', first: '2025-03-03' },
      { person: 'c2', adept: 'fin', first: '2025-03-01' },
      { person: 'c3', adept: 'fin', first: '2025-03-01' },
      // An ambassador of another department does not count for o1.
      { person: 'o1', adept: 'fin', first: '2025-03-01' },
    ],
  });

  it('counts colleagues activated within 14 days of their first interaction with their own department’s ambassador', () => {
    expect(result.windowDays).toBe(14);
    // fin colleagues: c1..c4 licensed (4); interacted c1, c2, c3 (3); reached c1 (1) → 1 / 4.
    expect(result.departments).toEqual([{ department: 'fin', ambassadors: 1, colleagues: 4, interacted: 3, reached: 1, reach: 0.25, people: 4 }]);
  });

  it('counts the last day of the window and not the day after', () => {
    const edge = ambassadorReach({
      people: people.slice(0, 3),
      ambassadors: ['a1'],
      activated: new Map([
        ['c1', '2025-03-15'],
        ['c2', '2025-03-16'],
      ]),
      interactions: [
        { person: 'c1', adept: 'fin', first: '2025-03-01' },
        { person: 'c2', adept: 'fin', first: '2025-03-01' },
      ],
    });
    expect(edge.departments[0]).toMatchObject({ colleagues: 2, interacted: 2, reached: 1, reach: 0.5 });
  });
});

describe('lowEngagement', () => {
  const d = (department: string, over: Partial<DepartmentEngagement>): DepartmentEngagement => ({ department, licensed: 10, active: 8, eventsPerPerson: 20, activityDrop: 0, ambassadors: 1, activation: 0.9, ...over });
  // Events per person 2, 10, 20, 30, 40 → 10th percentile = 2 + 0.4 × (10 − 2) = 5.2: only `a` is in the bottom decile.
  const groups = [
    d('a', { eventsPerPerson: 2, ambassadors: 0 }),
    d('b', { eventsPerPerson: 10, active: 4, activation: 0.4 }),
    d('c', { eventsPerPerson: 20, activityDrop: 0.35 }),
    d('e', { eventsPerPerson: 30, activityDrop: 0.29 }),
    d('f', { eventsPerPerson: 40 }),
  ];
  const low = lowEngagement(groups);

  it('flags the bottom decile, a drop of 30% or more, and reach under 50%, with the evidence', () => {
    expect(low.map((l) => [l.department, l.reasons])).toEqual([
      ['b', ['low_reach']],
      ['a', ['bottom_decile']],
      ['c', ['activity_drop']],
    ]);
    expect(low.find((l) => l.department === 'a')!.evidence.decileCutoff).toBeCloseTo(5.2, 12);
    expect(low.find((l) => l.department === 'b')!.evidence.reach).toBe(0.4);
  });

  it('suggests an ambassador visit without ambassadors, training when under half activated, else an incentive', () => {
    expect(Object.fromEntries(low.map((l) => [l.department, l.action]))).toEqual({ a: 'ambassador_visit', b: 'training', c: 'incentive' });
  });
});
