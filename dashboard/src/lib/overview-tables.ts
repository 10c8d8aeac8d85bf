// Turns active-rate rows into the overview's two tables: a summary per department and a day ×
// department grid. Pure and client-safe, so the page and its unit test share it.
import type { ActiveRateDatum } from './charts/active-rate-option.ts';

export interface ActiveRateRow extends ActiveRateDatum {
  activeUsers: number;
  licensed: number;
}

export interface DepartmentSummary {
  department: string;
  departmentName: string;
  /** The department's figures on the last day of the range that has a row for it. */
  latest: { day: string; activeUsers: number; licensed: number; rate: number | null };
  /** Active person-days ÷ licensed person-days over the range; null if nobody was licensed. */
  averageRate: number | null;
}

export interface DailyGrid {
  departments: { department: string; departmentName: string }[];
  days: { day: string; cells: (ActiveRateRow | undefined)[] }[];
}

function byName(a: { departmentName: string }, b: { departmentName: string }): number {
  return a.departmentName.localeCompare(b.departmentName);
}

export function summariseByDepartment(rows: readonly ActiveRateRow[]): DepartmentSummary[] {
  const groups = new Map<string, { name: string; latest: ActiveRateRow; active: number; licensed: number }>();
  for (const row of rows) {
    const group = groups.get(row.department);
    if (!group) {
      groups.set(row.department, { name: row.departmentName, latest: row, active: row.activeUsers, licensed: row.licensed });
      continue;
    }
    group.active += row.activeUsers;
    group.licensed += row.licensed;
    if (row.day > group.latest.day) group.latest = row;
  }
  return [...groups.entries()]
    .map(([department, g]) => ({
      department,
      departmentName: g.name,
      latest: { day: g.latest.day, activeUsers: g.latest.activeUsers, licensed: g.latest.licensed, rate: g.latest.rate },
      averageRate: g.licensed > 0 ? g.active / g.licensed : null,
    }))
    .sort(byName);
}

/** One row per day of `days`; each cell is that department's row for the day, if any. */
export function buildDailyGrid(rows: readonly ActiveRateRow[], days: readonly string[]): DailyGrid {
  const departments = new Map<string, string>();
  const cells = new Map<string, ActiveRateRow>();
  for (const row of rows) {
    departments.set(row.department, row.departmentName);
    cells.set(`${row.day}\u0000${row.department}`, row);
  }
  const ordered = [...departments.entries()].map(([department, departmentName]) => ({ department, departmentName })).sort(byName);
  return {
    departments: ordered,
    days: days.map((day) => ({ day, cells: ordered.map((d) => cells.get(`${day}\u0000${d.department}`)) })),
  };
}
