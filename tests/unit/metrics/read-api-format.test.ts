// Pure pieces of the read API: CSV rendering, k-anonymity and period lengths.
import { describe, expect, it } from 'vitest';
import { pointsToCsv } from '../../../warehouse/read-api/handle-metric-request.ts';
import { suppressSmallGroups } from '../../../warehouse/read-api/read-metric.ts';
import { daysInPeriod } from '../../../warehouse/read-api/metrics/adoption.ts';

describe('pointsToCsv', () => {
  it('writes only the columns present, quoting where needed', () => {
    expect(pointsToCsv([{ period: '2024-05-01', value: 0.5, n: 4 }])).toBe('period,value,n\r\n2024-05-01,0.5,4\r\n');
    expect(pointsToCsv([{ department: 'a,b', value: null, n: null, suppressed: true }])).toBe('department,value,n,suppressed\r\n"a,b",,,true\r\n');
  });
});

describe('suppressSmallGroups', () => {
  it('blanks value and n below k people and leaves the rest', () => {
    const points = [
      { department: 'x', value: 3, n: 10, people: 4 },
      { department: 'y', value: 9, n: 30, people: 5 },
    ];
    expect(suppressSmallGroups(points, 5)).toEqual([
      { department: 'x', value: null, n: null, people: 4, suppressed: true },
      { department: 'y', value: 9, n: 30, people: 5 },
    ]);
  });
});

describe('daysInPeriod', () => {
  it('clips weeks and months to the requested range', () => {
    expect(daysInPeriod({ groupBy: 'week', from: '2024-05-01', to: '2024-05-31' }, '2024-04-29')).toBe(5);
    expect(daysInPeriod({ groupBy: 'month', from: '2024-02-10', to: '2024-03-31' }, '2024-02-01')).toBe(20);
    expect(daysInPeriod({ groupBy: 'month', from: '2024-01-01', to: '2024-12-31' }, '2024-02-01')).toBe(29);
    expect(daysInPeriod({ groupBy: 'department', from: '2024-01-01', to: '2024-01-31' }, '')).toBe(31);
  });
});
