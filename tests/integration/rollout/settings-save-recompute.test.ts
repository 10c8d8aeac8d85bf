// Saving settings on the real (built) dashboard recomputes the rollout results at once: after the
// settings page's save action, the stored sections carry the new settings version and the new KPI,
// and the rollout API, read with a read token, serves them as current — no scheduled run in between.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directorySchema } from '../../../contracts/directory.ts';
import { eventSchema } from '../../../contracts/events.ts';
import { systemClock } from '../../../jobs/job.ts';
import { runJobs } from '../../../jobs/run-jobs.ts';
import { generateCompany } from '../../../simulations/generate-company.ts';
import { rolloutPlanOf } from '../../../simulations/rollout-plan.ts';
import { createApiKey } from '../../../warehouse/api-keys.ts';
import { listAuditLog } from '../../../warehouse/audit-log.ts';
import { upsertDirectory } from '../../../warehouse/directory.ts';
import { toEventRow } from '../../../warehouse/events.ts';
import { saveSettings } from '../../../warehouse/org-settings.ts';
import { upsertOrg } from '../../../warehouse/orgs.ts';
import { readRolloutResults } from '../../../warehouse/rollout-results.ts';
import { createUser } from '../../../warehouse/users.ts';
import { createTestWarehouse, type TestWarehouse } from '../../support/test-warehouse.ts';
import { get, PASSWORD, signIn, startDashboardProcess, stopDashboardProcess, type Dashboard } from '../security/harness.ts';

let t: TestWarehouse;
let dashboard: Dashboard;
const company = generateCompany({ scenario: 'hk-bank', seed: 5, org: 'savebank', people: 60, days: 42 });

beforeAll(async () => {
  t = await createTestWarehouse();
  await upsertOrg(t.warehouse, { id: company.org, name: company.orgName, timezone: company.timezone });
  await upsertDirectory(t.warehouse, directorySchema.parse(company.directory));
  await saveSettings(t.warehouse, { org: company.org, section: 'rollout', value: rolloutPlanOf(company), changedBy: 'test', expectedVersion: 0 });
  const receivedAt = Date.now();
  await t.warehouse.insert('events', [...company.events()].map((e) => toEventRow(eventSchema.parse(e), receivedAt)));
  const results = await runJobs({ warehouse: t.warehouse, clock: systemClock, log: () => {} }, { mode: 'all', retries: 0 });
  const failed = results.filter((r) => r.error);
  if (failed.length > 0) throw new Error(`jobs failed: ${failed.map((f) => `${f.job}: ${String(f.error)}`).join('; ')}`);
  await createUser(t.warehouse, { org: company.org, email: 'exec@savebank.test', role: 'executive', password: PASSWORD });
  dashboard = await startDashboardProcess(t);
}, 300_000);

afterAll(async () => {
  await stopDashboardProcess(dashboard);
  await t?.drop();
});

describe('the settings page save action', () => {
  it('recomputes the rollout results with the saved KPIs before it answers', async () => {
    const before = (await readRolloutResults(t.warehouse, company.org, ['kpis'])).kpis!;
    expect(before.settingsVersion).toBe('rollout=1;kpis=0;roi=0');
    const cookie = await signIn(dashboard.url, 'exec@savebank.test');
    const kpis = [{ id: 'approvals-in-a-day', metric: 'approval_cycle_time', department: null, baseline: rolloutPlanOf(company).baseline, target: 86400, deadline: '2026-12-31', owner: 'CFO' }];
    const response = await fetch(`${dashboard.url}/settings?/save`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: dashboard.url, accept: 'application/json', 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ section: 'kpis', version: '0', body: JSON.stringify(kpis) }).toString(),
    });
    const result = (await response.json()) as { type: string; data: string };
    expect(result.type).toBe('success');
    // SvelteKit serialises action data with devalue: the outcome is in there as a plain string.
    expect(result.data).toContain('"recompute"');
    expect(result.data).toContain('"computed"');

    const after = (await readRolloutResults(t.warehouse, company.org, ['kpis'])).kpis!;
    expect(after.settingsVersion).toBe('rollout=1;kpis=1;roi=0');
    expect(after.computedAt >= before.computedAt).toBe(true);
    expect(after.body.rows.map((r) => [r.id, r.owner, r.target, r.fromSettings])).toEqual([['approvals-in-a-day', 'CFO', 86400, true]]);

    const { key } = await createApiKey(t.warehouse, company.org, 'read');
    const api = await get(dashboard.url, '/api/v1/rollout/kpis', { authorization: `Bearer ${key}`, accept: 'application/json' });
    expect(api.status).toBe(200);
    expect(await api.json()).toMatchObject({ stale: false, settingsVersion: 'rollout=1;kpis=1;roi=0', data: { fromSettings: true } });

    // The change is in the audit log with who, which section and which version.
    const changes = await listAuditLog(t.warehouse, company.org, { actions: ['settings.change'] });
    expect(changes.map((c) => [c.actor, c.target, JSON.parse(c.detail) as unknown])).toEqual([['exec@savebank.test', 'kpis', { version: 1 }]]);
  });
});
