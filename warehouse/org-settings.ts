// Versioned organisation settings. A save appends version n+1 with who and when (nothing is
// overwritten), so history and audit come free; readers take the latest version. A save names the
// version it edited, and a concurrent edit in between is refused rather than silently lost.
import { z } from 'zod';
import { SETTINGS_SECTIONS, type SettingsSection, type SettingsValue } from '../contracts/settings.ts';
import type { Warehouse } from './client.ts';
import { formatDateTime } from './row-values.ts';
import { sql } from './sql.ts';

export class SettingsConflictError extends Error {
  override name = 'SettingsConflictError';
  constructor(readonly section: SettingsSection, readonly expected: number, readonly actual: number) {
    super(`${section} settings were changed by someone else (version ${actual}, you edited ${expected}); reload and try again`);
  }
}

export class InvalidSettingsError extends Error {
  override name = 'InvalidSettingsError';
  constructor(readonly section: SettingsSection, readonly issues: { field: string; reason: string }[]) {
    super(`invalid ${section} settings: ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`);
  }
}

export interface SettingsVersion<S extends SettingsSection> {
  section: S;
  version: number;
  value: SettingsValue<S>;
  changedBy: string;
  changedAt: string;
  note: string;
}

const row = z.object({
  version: z.coerce.number(),
  body: z.string(),
  changed_by: z.string(),
  changed_at: z.string(),
  note: z.string(),
});

function parseValue<S extends SettingsSection>(section: S, value: unknown): SettingsValue<S> {
  const parsed = SETTINGS_SECTIONS[section].safeParse(value);
  if (!parsed.success) {
    throw new InvalidSettingsError(
      section,
      parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', reason: i.message })),
    );
  }
  return parsed.data as SettingsValue<S>;
}

function toVersion<S extends SettingsSection>(section: S, r: z.output<typeof row>): SettingsVersion<S> {
  return { section, version: r.version, value: parseValue(section, JSON.parse(r.body)), changedBy: r.changed_by, changedAt: r.changed_at, note: r.note };
}

/** The current settings of a section, or undefined when never saved. */
export async function getSettings<S extends SettingsSection>(warehouse: Warehouse, org: string, section: S): Promise<SettingsVersion<S> | undefined> {
  const rows = await warehouse.query(
    sql`SELECT version, body, changed_by, toString(changed_at) AS changed_at, note FROM org_settings
        WHERE org = ${org} AND section = ${section} ORDER BY version DESC, changed_at DESC LIMIT 1`,
    row,
    { org },
  );
  return rows[0] ? toVersion(section, rows[0]) : undefined;
}

/** Every saved version, newest first: the audit trail of a section. */
export async function listSettingsHistory<S extends SettingsSection>(warehouse: Warehouse, org: string, section: S): Promise<SettingsVersion<S>[]> {
  const rows = await warehouse.query(
    sql`SELECT version, body, changed_by, toString(changed_at) AS changed_at, note FROM org_settings
        WHERE org = ${org} AND section = ${section} ORDER BY version DESC, changed_at DESC`,
    row,
    { org },
  );
  return rows.map((r) => toVersion(section, r));
}

/**
 * Validates and saves a new version. `expectedVersion` is the version the editor started from
 * (0 for a first save); if another save happened since, SettingsConflictError.
 */
export async function saveSettings<S extends SettingsSection>(
  warehouse: Warehouse,
  input: { org: string; section: S; value: unknown; changedBy: string; expectedVersion: number; note?: string; now?: number },
): Promise<SettingsVersion<S>> {
  const value = parseValue(input.section, input.value);
  const current = await getSettings(warehouse, input.org, input.section);
  const currentVersion = current?.version ?? 0;
  if (currentVersion !== input.expectedVersion) throw new SettingsConflictError(input.section, input.expectedVersion, currentVersion);
  const saved = {
    org: input.org,
    section: input.section,
    version: currentVersion + 1,
    body: JSON.stringify(value),
    changed_by: input.changedBy,
    changed_at: formatDateTime(input.now ?? Date.now()),
    note: input.note ?? '',
  };
  await warehouse.insert('org_settings', [saved]);
  if (input.section === 'rollout') await syncWaves(warehouse, input.org, value as SettingsValue<'rollout'>, saved.changed_at);
  return { section: input.section, version: saved.version, value, changedBy: saved.changed_by, changedAt: saved.changed_at, note: saved.note };
}

/** The metrics jobs read wave start days from `waves`; the rollout plan is their source. */
async function syncWaves(warehouse: Warehouse, org: string, plan: SettingsValue<'rollout'>, updatedAt: string): Promise<void> {
  await warehouse.insert(
    'waves',
    plan.waves.map((w) => ({ org, wave: w.id, start_day: w.start, updated_at: updatedAt })),
  );
}
