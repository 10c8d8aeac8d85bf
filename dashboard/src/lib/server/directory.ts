// What the pages need to know about an organisation's structure: departments (names, tree), each
// department's wave (the wave most of its people are in), wave start days, and the latest day with
// computed rollups. Cached briefly per organisation: it changes with a directory upload, not per click.
import { z } from 'zod';
import type { Warehouse } from '$warehouse/client.ts';
import { readDataSpan } from '$warehouse/queries/rollups/live-rows.ts';
import { sql } from '$warehouse/sql.ts';

export interface Department {
  id: string;
  name: string;
  parent: string;
}

export interface DirectoryInfo {
  departments: Department[];
  /** department id → wave id ('' when its people have none). */
  waveOf: Map<string, string>;
  waves: { id: string; start: string | undefined }[];
  /** department id → current licensed people (for sizes and k-suppression of static lists). */
  headcount: Map<string, number>;
  /** Latest day any rollup was computed for; undefined before the first job run. */
  latestDay: string | undefined;
  /** First day with a computed rollup. */
  firstDay: string | undefined;
}

const departmentRow = z.object({ id: z.string(), name: z.string(), parent: z.string() });
const waveRow = z.object({ department: z.string(), wave: z.string(), people: z.coerce.number(), licensed: z.coerce.number() });
const startRow = z.object({ wave: z.string(), start: z.string() });
const firstActiveRow = z.object({ wave: z.string(), start: z.string() });

const TTL_MS = 30_000;
const cache = new Map<string, { at: number; info: Promise<DirectoryInfo> }>();

async function readDirectory(warehouse: Warehouse, org: string): Promise<DirectoryInfo> {
  const [departments, waves, starts, span, firstActive] = await Promise.all([
    warehouse.query(sql`SELECT id, name, parent FROM departments FINAL WHERE org = ${org} ORDER BY name, id`, departmentRow, { org }),
    warehouse.query(
      sql`SELECT department, wave, count() AS people, countIf(licensed = 1) AS licensed FROM (
            SELECT id, argMax(department, valid_from) AS department, argMax(wave, valid_from) AS wave, argMax(licensed, valid_from) AS licensed
            FROM people FINAL WHERE org = ${org} GROUP BY id)
          GROUP BY department, wave`,
      waveRow,
      { org },
    ),
    warehouse.query(sql`SELECT wave, toString(argMax(start_day, updated_at)) AS start FROM waves WHERE org = ${org} GROUP BY wave`, startRow, { org }),
    readDataSpan(warehouse, org),
    // Until a rollout plan names wave start days, a wave starts when its first people activated.
    warehouse.query(
      sql`SELECT wave, toString(min(activated)) AS start FROM adoption_people
          WHERE org = ${org} AND activated IS NOT NULL AND wave != ''
            AND version = (SELECT max(version) FROM rollup_versions WHERE org = ${org} AND rollup = 'adoption_people')
          GROUP BY wave`,
      firstActiveRow,
      { org },
    ),
  ]);
  const best = new Map<string, { wave: string; people: number }>();
  const headcount = new Map<string, number>();
  const waveIds = new Set<string>();
  for (const row of waves) {
    headcount.set(row.department, (headcount.get(row.department) ?? 0) + row.licensed);
    if (row.wave) waveIds.add(row.wave);
    const current = best.get(row.department);
    if (!current || row.people > current.people) best.set(row.department, { wave: row.wave, people: row.people });
  }
  const startOf = new Map([...firstActive, ...starts].map((s) => [s.wave, s.start]));
  for (const s of [...starts, ...firstActive]) waveIds.add(s.wave);
  return {
    departments,
    waveOf: new Map([...best.entries()].map(([d, b]) => [d, b.wave])),
    waves: [...waveIds].sort().map((id) => ({ id, start: startOf.get(id) })).sort((a, b) => (a.start ?? '9999').localeCompare(b.start ?? '9999')),
    headcount,
    latestDay: span?.to,
    firstDay: span?.from,
  };
}

export function loadDirectory(warehouse: Warehouse, org: string, now = Date.now()): Promise<DirectoryInfo> {
  const hit = cache.get(org);
  if (hit && now - hit.at < TTL_MS) return hit.info;
  const info = readDirectory(warehouse, org);
  cache.set(org, { at: now, info });
  // A failed read must not stick for the whole TTL.
  info.catch(() => cache.delete(org));
  return info;
}

/** Departments in tree order with their depth, for the department filter. */
export function departmentTree(departments: readonly Department[], only?: Set<string>): { id: string; name: string; depth: number }[] {
  const ids = new Set(departments.map((d) => d.id));
  const children = new Map<string, Department[]>();
  for (const d of departments) {
    const parent = ids.has(d.parent) && d.parent !== d.id ? d.parent : '';
    const list = children.get(parent) ?? [];
    list.push(d);
    children.set(parent, list);
  }
  const out: { id: string; name: string; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (parent: string, depth: number) => {
    for (const d of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      if (seen.has(d.id)) continue;
      seen.add(d.id);
      if (!only || only.has(d.id)) out.push({ id: d.id, name: d.name || d.id, depth });
      walk(d.id, only && !only.has(d.id) ? depth : depth + 1);
    }
  };
  walk('', 0);
  return out;
}
