// The departments a signed-in principal may see, from the directory: everything for most roles,
// the own subtree for a department manager (the pure rule is allowedDepartmentIds in $lib/access.ts).
import { z } from 'zod';
import { sql } from '$warehouse/sql.ts';
import { allowedDepartmentIds, type Principal } from '$lib/access.ts';
import { getServerContext } from '../context.ts';

const departmentRow = z.object({ id: z.string(), parent: z.string() });

/** `undefined` = the whole organisation; otherwise the department ids the principal may see. */
export async function loadAllowedDepartments(principal: Principal): Promise<ReadonlySet<string> | undefined> {
  if (principal.kind === 'token' || principal.role !== 'department_manager') return undefined;
  const departments = await getServerContext().warehouse.query(
    sql`SELECT id, parent FROM departments FINAL WHERE org = ${principal.org}`,
    departmentRow,
    { org: principal.org },
  );
  return allowedDepartmentIds(principal, departments);
}
