// Settings page: the rollout plan, KPI targets and ROI assumptions (versioned org settings, edited as
// JSON validated by the shared schemas) and, for admins, the dashboard's users and roles.
import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { DEFAULT_ROI_ASSUMPTIONS } from '$jobs/rollout/roi-assumptions.ts';
import type { SettingsSection } from '$contracts/settings.ts';
import { audit } from '$warehouse/audit-log.ts';
import { getSettings, InvalidSettingsError, saveSettings, SettingsConflictError } from '$warehouse/org-settings.ts';
import { sql } from '$warehouse/sql.ts';
import type { Role, User } from '$warehouse/users.ts';
import type { Warehouse } from '$warehouse/client.ts';

export const SECTIONS = ['rollout', 'kpis', 'roi'] as const satisfies readonly SettingsSection[];

/** Who may change each section: the people who own those decisions. Everyone on the page may read. */
export const EDITORS: Record<SettingsSection, readonly Role[]> = {
  rollout: ['admin', 'change_manager'],
  kpis: ['admin', 'executive'],
  roi: ['admin', 'executive'],
};

const EXAMPLES: Record<SettingsSection, unknown> = {
  rollout: {
    baseline: { from: '2026-01-05', to: '2026-01-18' },
    stages: { diagnose: '2026-01-05', commitment: '2026-01-12', pilot: '2026-01-19', waves: '2026-02-02', integration: '2026-02-09', optimisation: '2026-02-16' },
    waves: [{ id: 'pilot', name: 'Pilot', start: '2026-01-19', departments: ['finance'] }],
    pilotDepartments: ['finance'],
    ambassadors: [],
  },
  kpis: [{ id: 'cross-team-response', metric: 'cross_team_reply_latency', department: null, baseline: { from: '2026-01-05', to: '2026-01-18' }, target: 3600, deadline: '2026-07-01', owner: 'COO' }],
  roi: DEFAULT_ROI_ASSUMPTIONS,
};

export interface SectionState {
  section: SettingsSection;
  version: number;
  saved: boolean;
  json: string;
  changedBy: string;
  changedAt: string;
  canEdit: boolean;
}

const userRow = z.object({ email: z.string(), role: z.string(), department: z.string(), disabled: z.coerce.number() });

async function sectionState(warehouse: Warehouse, user: User, section: SettingsSection): Promise<SectionState> {
  let current: Awaited<ReturnType<typeof getSettings>>;
  try {
    current = await getSettings(warehouse, user.org, section);
  } catch (err) {
    console.warn(`settings: reading ${section} failed`, err instanceof Error ? err.message : err);
    current = undefined;
  }
  return {
    section,
    version: current?.version ?? 0,
    saved: current !== undefined,
    json: JSON.stringify(current?.value ?? EXAMPLES[section], null, 2),
    changedBy: current?.changedBy ?? '',
    changedAt: current?.changedAt ?? '',
    canEdit: EDITORS[section].includes(user.role),
  };
}

export async function loadSettings(warehouse: Warehouse, user: User) {
  const [sections, users] = await Promise.all([
    Promise.all(SECTIONS.map((s) => sectionState(warehouse, user, s))),
    user.role === 'admin'
      ? warehouse.query(sql`SELECT email, role, department, disabled FROM users FINAL WHERE org = ${user.org} ORDER BY email`, userRow, { org: user.org })
      : Promise.resolve(undefined),
  ]);
  return { sections, users };
}

/** The save action: validates the JSON against the section's schema; conflicts and errors go back to the form. */
export async function saveSection(warehouse: Warehouse, user: User, form: FormData) {
  const section = form.get('section');
  if (section !== 'rollout' && section !== 'kpis' && section !== 'roi') return fail(400, { section: '', problem: 'unknown-section' as const, issues: [] as string[] });
  if (!EDITORS[section].includes(user.role)) return fail(403, { section, problem: 'forbidden' as const, issues: [] as string[] });
  const body = String(form.get('body') ?? '');
  const expected = Number(form.get('version') ?? '0');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    return fail(400, { section, problem: 'json' as const, issues: [err instanceof Error ? err.message : String(err)], body });
  }
  try {
    const saved = await saveSettings(warehouse, { org: user.org, section, value, changedBy: user.email, expectedVersion: Number.isInteger(expected) ? expected : 0 });
    // The settings row records who saved which version; the audit log is where an auditor looks for every change.
    await audit(warehouse, { org: user.org, actor: user.email, action: 'settings.change', target: section, detail: { version: saved.version } });
  } catch (err) {
    if (err instanceof InvalidSettingsError) return fail(400, { section, problem: 'invalid' as const, issues: err.issues.map((i) => `${i.field}: ${i.reason}`), body });
    if (err instanceof SettingsConflictError) return fail(409, { section, problem: 'conflict' as const, issues: [err.message], body });
    throw err;
  }
  return { section, saved: true };
}
