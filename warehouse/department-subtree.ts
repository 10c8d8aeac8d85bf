// A department and everything under it in the directory's tree: a department manager's scope, a
// department filter, a department-scoped KPI. Pure and import-free, so the dashboard's browser bundle
// (via $lib/access.ts) and the jobs share one definition.
export interface DepartmentNode {
  id: string;
  parent: string;
}

/** The root and every department below it; a cycle in the tree stops instead of looping. */
export function departmentSubtree(departments: readonly DepartmentNode[], root: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const d of departments) {
    const list = children.get(d.parent);
    if (list) list.push(d.id);
    else children.set(d.parent, [d.id]);
  }
  const seen = new Set<string>([root]);
  const queue = [root];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    for (const child of children.get(id) ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        queue.push(child);
      }
    }
  }
  return seen;
}
