// Loads a simulated company straight into a warehouse — organisation, directory, events (direct
// inserts, as the collector would write them) — runs every job over it, and creates one dashboard
// user per role. Shared by the browser tests and the dashboard benchmark.
import { directorySchema } from '../../contracts/directory.ts';
import { eventSchema } from '../../contracts/events.ts';
import { systemClock } from '../../jobs/job.ts';
import { runJobs } from '../../jobs/run-jobs.ts';
import { generateCompany } from '../../simulations/generate-company.ts';
import { rolloutPlanOf } from '../../simulations/rollout-plan.ts';
import { saveSettings } from '../../warehouse/org-settings.ts';
import type { Warehouse } from '../../warehouse/client.ts';
import { upsertDirectory } from '../../warehouse/directory.ts';
import { toEventRow } from '../../warehouse/events.ts';
import { upsertOrg } from '../../warehouse/orgs.ts';
import { createUser, ROLES, type Role } from '../../warehouse/users.ts';

export const PASSWORD = 'browser-test-password';

export interface LoadedCompany {
  org: string;
  from: string;
  to: string;
  events: number;
  /** email per role; the department manager manages `managerDepartment`. */
  users: Record<Role, string>;
  managerDepartment: string;
}

const BATCH = 50_000;

export async function loadCompany(
  warehouse: Warehouse,
  options: { scenario: string; seed?: number; org?: string; people?: number; days?: number; log?: (line: string) => void },
): Promise<LoadedCompany> {
  const log = options.log ?? (() => {});
  const company = generateCompany({
    scenario: options.scenario,
    seed: options.seed ?? 1,
    org: options.org ?? 'acme',
    ...(options.people !== undefined ? { people: options.people } : {}),
    ...(options.days !== undefined ? { days: options.days } : {}),
  });
  await upsertOrg(warehouse, { id: company.org, name: company.orgName, timezone: company.timezone });
  const directory = directorySchema.parse(company.directory);
  await upsertDirectory(warehouse, directory);
  // Save the scenario's rollout plan, as a change manager would, so rollout and executive pages have a baseline and pilot.
  await saveSettings(warehouse, { org: company.org, section: 'rollout', value: rolloutPlanOf(company), changedBy: 'test', expectedVersion: 0 });

  const receivedAt = Date.now();
  let batch: object[] = [];
  let events = 0;
  for (const input of company.events()) {
    batch.push(toEventRow(eventSchema.parse(input), receivedAt));
    if (batch.length >= BATCH) {
      await warehouse.insert('events', batch);
      events += batch.length;
      batch = [];
      log(`  ${events} events inserted`);
    }
  }
  await warehouse.insert('events', batch);
  events += batch.length;
  log(`inserted ${events} events for ${company.org} (${company.from}..${company.to}); running jobs`);

  const results = await runJobs({ warehouse, clock: systemClock, log }, { mode: 'all', retries: 0 });
  const failed = results.filter((r) => r.error);
  if (failed.length > 0) throw new Error(`jobs failed: ${failed.map((f) => `${f.job}: ${f.error}`).join('; ')}`);

  // The manager runs a department with people in it (a leaf with the most licensed people).
  const counts = new Map<string, number>();
  for (const p of directory.people) counts.set(p.department, (counts.get(p.department) ?? 0) + 1);
  const managerDepartment = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  const users = Object.fromEntries(ROLES.map((role) => [role, `${role.replace('_', '-')}@${company.org}.test`])) as Record<Role, string>;
  for (const role of ROLES) {
    await createUser(warehouse, {
      org: company.org,
      email: users[role],
      role,
      department: role === 'department_manager' ? managerDepartment : '',
      password: PASSWORD,
    });
  }
  return { org: company.org, from: company.from, to: company.to, events, users, managerDepartment };
}
