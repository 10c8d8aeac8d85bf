// The overview's tables: per-department summary and the day × department grid.
import { describe, expect, it } from 'vitest';
import { buildDailyGrid, summariseByDepartment, type ActiveRateRow } from '../../../dashboard/src/lib/overview-tables.ts';

function row(day: string, department: string, activeUsers: number, licensed: number): ActiveRateRow {
  const departmentName = department === 'fin' ? 'Finance' : 'Operations';
  return { day, department, departmentName, activeUsers, licensed, rate: licensed > 0 ? activeUsers / licensed : null };
}

const rows = [row('2025-03-01', 'ops', 6, 10), row('2025-03-01', 'fin', 1, 4), row('2025-03-02', 'fin', 3, 4)];

describe('summariseByDepartment', () => {
  it('shows each department on its latest day and its active person-days over licensed person-days', () => {
    expect(summariseByDepartment(rows)).toEqual([
      { department: 'fin', departmentName: 'Finance', latest: { day: '2025-03-02', activeUsers: 3, licensed: 4, rate: 0.75 }, averageRate: 0.5 },
      { department: 'ops', departmentName: 'Operations', latest: { day: '2025-03-01', activeUsers: 6, licensed: 10, rate: 0.6 }, averageRate: 0.6 },
    ]);
  });

  it('has no average where nobody was licensed', () => {
    expect(summariseByDepartment([row('2025-03-01', 'fin', 2, 0)])[0]?.averageRate).toBeNull();
  });
});

describe('buildDailyGrid', () => {
  it('gives every day a row and every department a column, empty where there is no figure', () => {
    const grid = buildDailyGrid(rows, ['2025-03-01', '2025-03-02']);
    expect(grid.departments.map((d) => d.departmentName)).toEqual(['Finance', 'Operations']);
    expect(grid.days.map((d) => d.cells.map((c) => c?.activeUsers))).toEqual([
      [1, 6],
      [3, undefined],
    ]);
  });
});
