// The rollout job end to end on a real ClickHouse: it stores exactly what the computation returns, the
// rollout API serves what is stored (JSON and CSV, k-suppressed, scoped to the caller's organisation
// and role), "not computed yet" is a clear 409, and saving settings recomputes at once under the job
// lock, with the pages able to tell results that predate the settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directorySchema } from '../../../contracts/directory.ts';
import { eventSchema } from '../../../contracts/events.ts';
import { ROLLOUT_SECTION_IDS, type RolloutSection } from '../../../contracts/rollout.ts';
import { handleRolloutRequest, suppressSmallGroups } from '../../../dashboard/src/routes/api/v1/rollout/handle-rollout-request.ts';
import type { Principal } from '../../../dashboard/src/lib/access.ts';
import { dayInTimezone } from '../../../jobs/days.ts';
import { systemClock } from '../../../jobs/job.ts';
import { acquireJobLock } from '../../../jobs/job-lock.ts';
import { runJobs } from '../../../jobs/run-jobs.ts';
import { computeRollout } from '../../../jobs/rollout/compute-rollout.ts';
import { recomputeRollout } from '../../../jobs/rollout/rollout-job.ts';
import { generateCompany, type SimulatedCompany } from '../../../simulations/generate-company.ts';
import { rolloutPlanOf } from '../../../simulations/rollout-plan.ts';
import { upsertDirectory } from '../../../warehouse/directory.ts';
import { toEventRow } from '../../../warehouse/events.ts';
import { saveSettings } from '../../../warehouse/org-settings.ts';
import { upsertOrg, type Org } from '../../../warehouse/orgs.ts';
import { findMetric } from '../../../warehouse/read-api/catalogue.ts';
import { readMetric } from '../../../warehouse/read-api/read-metric.ts';
import { currentSettingsVersion, readRolloutResults } from '../../../warehouse/rollout-results.ts';
import { createTestWarehouse, type TestWarehouse } from '../../support/test-warehouse.ts';

const K = 5;
let t: TestWarehouse;
let bank: SimulatedCompany;
let org: Org;
const empty: Org = { id: 'empty-co', name: 'Empty Co', timezone: 'UTC' };

async function insertCompany(company: SimulatedCompany): Promise<void> {
  await upsertOrg(t.warehouse, { id: company.org, name: company.orgName, timezone: company.timezone });
  await upsertDirectory(t.warehouse, directorySchema.parse(company.directory));
  await saveSettings(t.warehouse, { org: company.org, section: 'rollout', value: rolloutPlanOf(company), changedBy: 'test', expectedVersion: 0 });
  const receivedAt = Date.now();
  let batch: object[] = [];
  for (const input of company.events()) {
    batch.push(toEventRow(eventSchema.parse(input), receivedAt));
    if (batch.length >= 50_000) {
      await t.warehouse.insert('events', batch);
      batch = [];
    }
  }
  await t.warehouse.insert('events', batch);
}

const token = (orgId: string): Principal => ({ kind: 'token', org: orgId, keyId: 'test' });
const user = (orgId: string, role: 'admin' | 'executive' | 'change_manager' | 'hr' | 'department_manager', department = ''): Principal => ({ kind: 'user', org: orgId, email: `${role}@test`, role, department });

function call(principal: Principal, section: string, query = '', accept = 'application/json', allowedDepartments?: ReadonlySet<string>) {
  return handleRolloutRequest(
    { warehouse: t.warehouse, k: K },
    { section, url: new URL(`http://dashboard.test/api/v1/rollout/${section}${query}`), headers: new Headers({ accept }), principal, allowedDepartments },
  );
}

beforeAll(async () => {
  t = await createTestWarehouse();
  bank = generateCompany({ scenario: 'hk-bank', seed: 4, org: 'bank', people: 120, days: 70 });
  await insertCompany(bank);
  await upsertOrg(t.warehouse, empty);
  org = { id: bank.org, name: bank.orgName, timezone: bank.timezone };
  const results = await runJobs({ warehouse: t.warehouse, clock: systemClock, log: () => {} }, { mode: 'all', retries: 0 });
  const failed = results.filter((r) => r.error);
  if (failed.length > 0) throw new Error(`jobs failed: ${failed.map((f) => `${f.job}: ${String(f.error)}`).join('; ')}`);
}, 300_000);

afterAll(async () => {
  await t?.drop();
});

describe('the rollout job', () => {
  it('stores every section exactly as the computation returns it, with the settings version used', async () => {
    const stored = await readRolloutResults(t.warehouse, org.id);
    const computed = await computeRollout(t.warehouse, org, dayInTimezone(Date.now(), org.timezone));
    expect(computed).toBeDefined();
    expect(Object.keys(stored).sort()).toEqual([...ROLLOUT_SECTION_IDS].sort());
    for (const section of ROLLOUT_SECTION_IDS) {
      expect(stored[section]!.body, section).toEqual(JSON.parse(JSON.stringify(computed!.results[section])));
      expect(stored[section]!.settingsVersion).toBe('rollout=1;kpis=0;roi=0');
      expect(stored[section]!.range).toEqual({ from: bank.from, to: computed!.range.to });
    }
    // The plan's pilot and windows reach the stored DiD.
    const pvc = stored['pilot-vs-control']!.body;
    expect(pvc.pilotDepartments).toEqual(rolloutPlanOf(bank).pilotDepartments);
    expect(pvc.effects.length).toBe(5);
    for (const e of pvc.effects) expect(e.low).toBeLessThanOrEqual(e.high);
  });

  it('stores nothing for an organisation without rollups, and the API says so with a 409', async () => {
    expect(await readRolloutResults(t.warehouse, empty.id)).toEqual({});
    const response = await call(token(empty.id), 'roi');
    expect(response.status).toBe(409);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'not_computed', message: expect.stringContaining('has not been computed yet') });
    const status = JSON.parse((await call(token(empty.id), 'status')).body);
    expect(status.sections.every((s: { computed: boolean }) => !s.computed)).toBe(true);
  });
});

describe('GET /api/v1/rollout/{section}', () => {
  it('serves every stored section as JSON, with when it was computed and whether it is current', async () => {
    const stored = await readRolloutResults(t.warehouse, org.id);
    for (const section of ROLLOUT_SECTION_IDS) {
      const response = await call(token(org.id), section);
      expect(response.status, section).toBe(200);
      const body = JSON.parse(response.body);
      expect(body).toMatchObject({ section, computedAt: stored[section]!.computedAt, stale: false, range: stored[section]!.range });
      expect(body.data, section).toEqual(suppressSmallGroups(stored[section]!.body, K));
    }
  });

  it('suppresses every row about fewer than k people, keeping the row and dropping its figures', async () => {
    const adoption = JSON.parse((await call(token(org.id), 'adoption')).body).data;
    const stored = (await readRolloutResults(t.warehouse, org.id, ['adoption'])).adoption!.body;
    const small = stored.funnel.filter((f) => f.invited < K);
    const large = stored.funnel.filter((f) => f.invited >= K);
    expect(large.length).toBeGreaterThan(0);
    for (const f of small) expect(adoption.funnel).toContainEqual({ department: f.department, wave: f.wave, invited: null, activated: null, weekly: null, habitual: null, suppressed: true });
    for (const f of large) expect(adoption.funnel).toContainEqual({ ...f, suppressed: false });
    // A hand-made row of 4 people loses its figures; `people` is never served.
    expect(suppressSmallGroups({ rows: [{ department: 'x', reach: 0.5, people: 4 }, { department: 'y', reach: 0.25, people: 5 }] }, K)).toEqual({
      rows: [
        { department: 'x', reach: null, suppressed: true },
        { department: 'y', reach: 0.25, suppressed: false },
      ],
    });
  });

  it('serves CSV tables: one row per stored row, the chosen table, dotted columns for nested figures', async () => {
    const stored = await readRolloutResults(t.warehouse, org.id);
    const kpis = await call(token(org.id), 'kpis', '', 'text/csv');
    expect(kpis.status).toBe(200);
    expect(kpis.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = kpis.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,metric,unit,owner,baselineWindow.from,baselineWindow.to,baseline,target,current,currentWindow.from,currentWindow.to,deadline,progress,status,fromSettings');
    expect(lines.length - 1).toBe(stored.kpis!.body.rows.length);
    const gates = await call(token(org.id), 'stage-gates', '', 'text/csv');
    const gateLines = gates.body.trimEnd().split('\r\n');
    expect(gateLines[0]).toBe('step,stepMet,id,description,value,threshold,comparison,met');
    expect(gateLines.length - 1).toBe(stored['stage-gates']!.body.stages.reduce((s, g) => s + g.criteria.length, 0));
    const components = await call(token(org.id), 'roi', '?table=components', 'text/csv');
    const componentLines = components.body.trimEnd().split('\r\n');
    expect(componentLines[0]!.startsWith('scenario,id,monthly,formula,inputs.')).toBe(true);
    expect(componentLines.length - 1).toBe(stored.roi!.body.scenarios ? 12 : 0);
    const unknown = await call(token(org.id), 'roi', '?table=nope', 'text/csv');
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body).message).toBe('query parameter table: roi has the tables scenarios, components');
  });

  it("reads only the caller's organisation: another org's token gets its own (empty) results, and ?org= naming another is 403", async () => {
    const other = await call(token(empty.id), 'adoption');
    expect(other.status).toBe(409);
    expect(other.body).not.toContain(bank.org);
    for (const org of [bank.org, bank.org.toUpperCase(), ` ${bank.org}`]) {
      const response = await call(token(empty.id), 'adoption', `?org=${encodeURIComponent(org)}`);
      expect(response.status).toBe(403);
      expect(response.body).not.toContain('"data"');
    }
    expect((await call(token(bank.org), 'adoption', `?org=${bank.org}`)).status).toBe(200);
  });

  it("limits each section to its page's roles, and a department manager to their own departments", async () => {
    const pages: Record<RolloutSection, string[]> = {
      diagnose: ['admin', 'executive', 'change_manager'],
      kpis: ['admin', 'executive'],
      'pilot-vs-control': ['admin', 'executive'],
      roi: ['admin', 'executive'],
      adoption: ['admin', 'executive', 'change_manager'],
      ambassadors: ['admin', 'executive', 'change_manager'],
      integration: ['admin', 'executive', 'change_manager'],
      optimisation: ['admin', 'executive', 'change_manager'],
      'stage-gates': ['admin', 'executive', 'change_manager'],
    };
    for (const section of ROLLOUT_SECTION_IDS) {
      for (const role of ['admin', 'executive', 'change_manager', 'hr'] as const) {
        const response = await call(user(org.id, role), section);
        expect(response.status, `${role} ${section}`).toBe(pages[section].includes(role) ? 200 : 403);
      }
    }
    const pilot = rolloutPlanOf(bank).pilotDepartments[0]!;
    const mine = new Set([pilot]);
    const manager = user(org.id, 'department_manager', pilot);
    expect((await call(manager, 'roi', '', 'application/json', mine)).status).toBe(403);
    expect((await call(manager, 'stage-gates', '', 'application/json', mine)).status).toBe(403);
    const adoption = JSON.parse((await call(manager, 'adoption', '', 'application/json', mine)).body).data;
    const departments = new Set<string>(adoption.byDepartment.map((r: { department: string }) => r.department));
    expect([...departments]).toEqual([pilot]);
    // Organisation-level figures and other departments' ids stay out of a subtree's view.
    expect(adoption.groups).toBeNull();
    for (const w of adoption.waves) expect(w.departments.every((d: string) => d === pilot)).toBe(true);
    expect(JSON.parse((await call(manager, 'optimisation', '', 'application/json', mine)).body).data.docCoEditing).toBeNull();
    const outside = bank.directory.departments!.find((d) => d.id !== pilot)!.id;
    const refused = await call(manager, 'adoption', `?department=${outside}`, 'application/json', mine);
    expect(refused.status).toBe(403);
  });

  it('answers bad requests with a precise 4xx naming the problem', async () => {
    const unknown = await call(token(org.id), 'everything');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).message).toBe(`unknown rollout section; use one of status, ${ROLLOUT_SECTION_IDS.join(', ')}`);
    const extra = await call(token(org.id), 'kpis', '?groupBy=day');
    expect(extra.status).toBe(400);
    expect(JSON.parse(extra.body).message).toContain('groupBy');
    const twice = await call(token(org.id), 'kpis', '?department=a&department=b');
    expect(JSON.parse(twice.body).message).toBe('query parameter department is given more than once');
  });
});

describe('recompute on settings save', () => {
  it('marks stored results as predating the settings, and recomputing brings them up to date', async () => {
    const before = (await readRolloutResults(t.warehouse, org.id, ['kpis'])).kpis!;
    expect(before.body.fromSettings).toBe(false);
    const plan = rolloutPlanOf(bank);
    await saveSettings(t.warehouse, {
      org: org.id,
      section: 'kpis',
      value: [{ id: 'faster-approvals', metric: 'approval_cycle_time', department: null, baseline: plan.baseline, target: 3600, deadline: '2026-12-31', owner: 'COO' }],
      changedBy: 'exec@test',
      expectedVersion: 0,
    });
    expect(await currentSettingsVersion(t.warehouse, org.id)).toBe('rollout=1;kpis=1;roi=0');
    const stale = JSON.parse((await call(token(org.id), 'kpis')).body);
    expect(stale).toMatchObject({ stale: true, settingsVersion: 'rollout=1;kpis=0;roi=0', currentSettingsVersion: 'rollout=1;kpis=1;roi=0' });

    expect(await recomputeRollout(t.warehouse, org)).toEqual({ status: 'computed', sections: ROLLOUT_SECTION_IDS.length });
    const after = JSON.parse((await call(token(org.id), 'kpis')).body);
    expect(after).toMatchObject({ stale: false, settingsVersion: 'rollout=1;kpis=1;roi=0' });
    expect(after.data.rows).toHaveLength(1);
    expect(after.data.rows[0]).toMatchObject({ id: 'faster-approvals', owner: 'COO', target: 3600, fromSettings: true });
    // The saved KPI also satisfies the commitment gate now.
    const gates = JSON.parse((await call(token(org.id), 'stage-gates')).body).data;
    expect(gates.stages.find((s: { step: string }) => s.step === 'commitment')).toMatchObject({ met: true });
  });

  it("measures a department's KPI on that department's people, exactly as the read API does", async () => {
    const plan = rolloutPlanOf(bank);
    const departments = bank.directory.departments ?? [];
    const leaf = plan.pilotDepartments.find((d) => !departments.some((x) => x.parent === d))!;
    const kpi = (id: string, department: string | null) => ({ id, metric: 'active_rate', department, baseline: plan.baseline, target: 0.95, deadline: '2026-12-31', owner: 'CHRO' });
    const version = Number(/kpis=(\d+)/.exec(await currentSettingsVersion(t.warehouse, org.id))![1]);
    await saveSettings(t.warehouse, {
      org: org.id,
      section: 'kpis',
      value: [kpi('org-active', null), kpi('pilot-active', leaf), kpi('ghost-active', 'no-such-department')],
      changedBy: 'hr@test',
      expectedVersion: version,
    });
    expect(await recomputeRollout(t.warehouse, org)).toMatchObject({ status: 'computed' });
    const rows = (await readRolloutResults(t.warehouse, org.id, ['kpis'])).kpis!.body.rows;
    const row = (id: string) => rows.find((r) => r.id === id)!;
    const apiValue = async (window: { from: string; to: string }) => {
      const result = await readMetric(t.warehouse, { org, metric: findMetric('active_rate')!, ...window, groupBy: 'department', stat: 'p50', k: 1 });
      return result.points.find((p) => p.department === leaf)!.value!;
    };
    expect(row('pilot-active').baseline).toBeCloseTo(await apiValue(plan.baseline), 12);
    expect(row('pilot-active').current).toBeCloseTo(await apiValue(row('pilot-active').currentWindow), 12);
    // The pilot department is not the organisation: after the pilot starts its rate differs.
    expect(row('pilot-active').current).not.toBeCloseTo(row('org-active').current!, 3);
    // A department the directory does not know has no value rather than the organisation's.
    expect(row('ghost-active')).toMatchObject({ baseline: null, current: null, progress: null });
  });

  it('waits for a scheduled run holding the job lock, and reports busy rather than overlap it', async () => {
    const held = await acquireJobLock(t.warehouse, { heartbeatMs: 60_000 });
    expect(held).toBeDefined();
    try {
      const started = performance.now();
      expect(await recomputeRollout(t.warehouse, org, { waitMs: 1500 })).toEqual({ status: 'busy' });
      expect(performance.now() - started).toBeGreaterThanOrEqual(1500);
    } finally {
      await held!.release();
    }
    expect((await recomputeRollout(t.warehouse, org)).status).toBe('computed');
  });
});
