// Resolves the URL's filters for one user against the directory: the date range (default: the 28
// days up to the latest computed day), the departments in scope (the chosen subtree, the chosen wave,
// and for a department manager never more than their own subtree) and the comparison period.
import { error } from '@sveltejs/kit';
import { allowedDepartmentIds, departmentSubtree } from '$lib/access.ts';
import { rangeEndingOn, type DayRange, type RangeProblem } from '$lib/date-range.ts';
import { comparisonRange, parseFilterParams, type Filters } from '$lib/filters.ts';
import type { FilterOptions } from '$lib/page-data.ts';
import type { User } from '$warehouse/users.ts';
import { departmentTree, type DirectoryInfo } from './directory.ts';


export interface ResolvedFilters {
  filters: Filters;
  comparison: DayRange | undefined;
  rangeProblem: RangeProblem | undefined;
  /** Department ids in scope; undefined = the whole organisation (including people not in the directory). */
  departments: string[] | undefined;
  options: FilterOptions;
}

function todayUtc(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

export function resolveFilters(params: URLSearchParams, directory: DirectoryInfo, user: User, now = Date.now()): ResolvedFilters {
  const requested = parseFilterParams(params);
  const anchorDay = directory.latestDay ?? todayUtc(now);
  const range = requested.range.kind === 'valid' ? requested.range.range : rangeEndingOn(anchorDay);
  const rangeProblem = requested.range.kind === 'rejected' ? requested.range.problem : undefined;

  const allowed = allowedDepartmentIds({ kind: 'user', ...user }, directory.departments);
  const known = new Set(directory.departments.map((d) => d.id));
  let department = known.has(requested.department) ? requested.department : '';
  if (department && allowed && !allowed.has(department)) error(403, 'That department is outside the part of the organisation you can see.');
  // A manager's "all" is their own subtree; show it selected.
  if (!department && allowed) department = user.department;

  let scope: Set<string> | undefined = department ? departmentSubtree(directory.departments, department) : undefined;
  if (allowed) scope = new Set([...(scope ?? allowed)].filter((d) => allowed.has(d)));
  const wave = directory.waves.some((w) => w.id === requested.wave) ? requested.wave : '';
  if (wave) {
    const inWave = [...directory.waveOf.entries()].filter(([, w]) => w === wave).map(([d]) => d);
    scope = new Set(inWave.filter((d) => !scope || scope.has(d)));
  }

  const filters: Filters = { range, department, wave, compare: requested.compare };
  return {
    filters,
    comparison: comparisonRange(range, requested.compare),
    rangeProblem,
    departments: scope ? [...scope].sort() : undefined,
    options: {
      departments: departmentTree(directory.departments, allowed),
      waves: directory.waves.map((w) => ({ id: w.id, name: w.id })),
      anchorDay,
      allDepartmentsAllowed: allowed === undefined,
    },
  };
}
