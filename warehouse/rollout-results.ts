// Storage of the rollout job's results: one row per organisation × section per computation, read
// back as the latest per section with argMax (18.16 has no window functions, and a ReplacingMergeTree
// may not have merged yet). Bodies are validated against contracts/rollout.ts on the way in and out.
import { z } from 'zod';
import { ROLLOUT_SECTIONS, type RolloutResults, type RolloutSection, type StoredSection } from '../contracts/rollout.ts';
import { SETTINGS_SECTIONS, type SettingsSection } from '../contracts/settings.ts';
import type { Warehouse } from './client.ts';
import { formatDateTime } from './row-values.ts';
import { sql } from './sql.ts';

export class StoredResultError extends Error {
  override name = 'StoredResultError';
}

const latestRow = z.object({
  section: z.string(),
  computed_at: z.string(),
  settings_version: z.string(),
  range_from: z.string(),
  range_to: z.string(),
  body: z.string(),
});
const settingsRow = z.object({ section: z.string(), version: z.coerce.number() });

let lastVersion = 0;
/** Strictly increasing within the process, so two writes in one millisecond still order. */
function nextVersion(now: number): number {
  lastVersion = Math.max(now * 1000, lastVersion + 1);
  return lastVersion;
}

export interface WriteMeta {
  computedAt: number;
  settingsVersion: string;
  range: { from: string; to: string };
}

/** Stores every section of one computation (one insert, so a reader sees the whole set or the previous one per section). */
export async function writeRolloutResults(warehouse: Warehouse, org: string, results: RolloutResults, meta: WriteMeta): Promise<number> {
  const version = nextVersion(meta.computedAt);
  const computedAt = formatDateTime(meta.computedAt);
  const rows = (Object.keys(ROLLOUT_SECTIONS) as RolloutSection[]).map((section) => {
    const parsed = ROLLOUT_SECTIONS[section].safeParse(results[section]);
    if (!parsed.success) throw new StoredResultError(`rollout section ${section} does not match its schema: ${parsed.error.message}`);
    return {
      org,
      section,
      version,
      computed_at: computedAt,
      settings_version: meta.settingsVersion,
      range_from: meta.range.from,
      range_to: meta.range.to,
      body: JSON.stringify(parsed.data),
    };
  });
  await warehouse.insert('rollout_results', rows);
  // Superseded versions would otherwise pile up until a background merge (a run every 5 minutes per
  // organisation), and argMax reads every body still there: merge now, so a page reads one row per
  // section. The table holds a few rows per organisation, so this is cheap.
  await warehouse.command(sql`OPTIMIZE TABLE rollout_results FINAL`, 'system');
  return rows.length;
}

export type StoredResults = { [S in RolloutSection]?: StoredSection<S> };

/** The latest stored computation of the given sections (all by default); a section never computed is absent. */
export async function readRolloutResults(warehouse: Warehouse, org: string, sections: readonly RolloutSection[] = Object.keys(ROLLOUT_SECTIONS) as RolloutSection[]): Promise<StoredResults> {
  if (sections.length === 0) return {};
  // The primary key is (org, section): this reads only the org's few rows per section.
  const rows = await warehouse.query(
    sql`SELECT section, toString(argMax(computed_at, version)) AS computed_at, argMax(settings_version, version) AS settings_version,
          toString(argMax(range_from, version)) AS range_from, toString(argMax(range_to, version)) AS range_to, argMax(body, version) AS body
        FROM rollout_results WHERE org = ${org} AND has(${sections}, section) GROUP BY section ORDER BY section`,
    latestRow,
    { org },
  );
  const out: Record<string, StoredSection<RolloutSection>> = {};
  for (const r of rows) {
    const section = r.section as RolloutSection;
    const schema = ROLLOUT_SECTIONS[section];
    if (!schema) continue;
    const parsed = schema.safeParse(JSON.parse(r.body));
    // A body written by an older release with another shape reads as "not computed", until the next run rewrites it.
    if (!parsed.success) continue;
    out[section] = { section, computedAt: r.computed_at, settingsVersion: r.settings_version, range: { from: r.range_from, to: r.range_to }, body: parsed.data } as StoredSection<RolloutSection>;
  }
  return out as StoredResults;
}

/**
 * The organisation's current settings versions as one string (`rollout=2;kpis=1;roi=0`, 0 = never
 * saved): stored with each computation, so a reader can tell results that predate the settings.
 */
export async function currentSettingsVersion(warehouse: Warehouse, org: string): Promise<string> {
  const rows = await warehouse.query(
    sql`SELECT section, max(version) AS version FROM org_settings WHERE org = ${org} GROUP BY section ORDER BY section`,
    settingsRow,
    { org },
  );
  const versions = new Map(rows.map((r) => [r.section, r.version]));
  return (Object.keys(SETTINGS_SECTIONS) as SettingsSection[]).map((s) => `${s}=${versions.get(s) ?? 0}`).join(';');
}
