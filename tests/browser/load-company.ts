// Loads a simulated company straight into a warehouse — organisation, directory, events (direct
// inserts, as the collector would write them) — runs every job over it, and creates one dashboard
// user per role. Shared by the browser tests and the dashboard benchmark (which loads 10 M events, so
// it may skip re-validating the simulator's events and reuse a company loaded by an earlier run).
import { directorySchema } from '../../contracts/directory.ts';
import { eventSchema, type Event, type EventInput } from '../../contracts/events.ts';
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
import { sql } from '../../warehouse/sql.ts';
import { z } from 'zod';

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

const BATCH = 100_000;

export interface LoadCompanyOptions {
  scenario: string;
  seed?: number;
  org?: string;
  people?: number;
  days?: number;
  log?: (line: string) => void;
  /** Keep events already loaded for this org (the benchmark's --reuse): only jobs catch up and users are (re)created. */
  reuse?: boolean;
  /** Parse every event with the contract first (default true); the benchmark trusts the simulator, as bench:jobs does, to load 10 M events in minutes. */
  validate?: boolean;
  /**
   * When the events count as received (default `now`, all at once). `event-time`: a second after each
   * happened, as with a live feed — what the benchmark wants, or every event would be "received in
   * the last 24 h" and the Data page's raw-event panels would scan the whole year.
   */
  receivedAt?: 'now' | 'event-time';
}

export async function loadCompany(warehouse: Warehouse, options: LoadCompanyOptions): Promise<LoadedCompany> {
  const log = options.log ?? (() => {});
  const company = generateCompany({
    scenario: options.scenario,
    seed: options.seed ?? 1,
    org: options.org ?? 'acme',
    ...(options.people !== undefined ? { people: options.people } : {}),
    ...(options.days !== undefined ? { days: options.days } : {}),
  });
  const directory = directorySchema.parse(company.directory);
  const loaded = options.reuse ? await countEvents(warehouse, company.org) : 0;
  let events = loaded;
  if (loaded > 0) {
    log(`reusing ${loaded} events already loaded for ${company.org}`);
  } else {
    await upsertOrg(warehouse, { id: company.org, name: company.orgName, timezone: company.timezone });
    await upsertDirectory(warehouse, directory);
    // Save the scenario's rollout plan, as a change manager would, so rollout and executive pages have a baseline and pilot.
    await saveSettings(warehouse, { org: company.org, section: 'rollout', value: rolloutPlanOf(company), changedBy: 'test', expectedVersion: 0 });
    events = await insertEvents(warehouse, company.events(), { validate: options.validate ?? true, receivedAt: options.receivedAt ?? 'now' }, log);
    log(`inserted ${events} events for ${company.org} (${company.from}..${company.to}); running jobs`);
  }

  // On reuse only what changed since the last run is recomputed (a job added since then gets its full span).
  const results = await runJobs({ warehouse, clock: systemClock, log }, { mode: loaded > 0 ? 'incremental' : 'all', retries: 0 });
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

async function countEvents(warehouse: Warehouse, org: string): Promise<number> {
  const rows = await warehouse.query(sql`SELECT count() AS n FROM events WHERE org = ${org}`, z.object({ n: z.coerce.number() }), { org });
  return rows[0]?.n ?? 0;
}

async function insertEvents(
  warehouse: Warehouse,
  inputs: Iterable<EventInput>,
  { validate, receivedAt }: { validate: boolean; receivedAt: 'now' | 'event-time' },
  log: (line: string) => void,
): Promise<number> {
  const now = Date.now();
  let lines: string[] = [];
  let events = 0;
  const flush = async () => {
    if (lines.length === 0) return;
    await warehouse.insertJsonLines('events', lines.join('\n'), lines.length);
    events += lines.length;
    lines = [];
  };
  for (const input of inputs) {
    // Without validation only the time needs parsing (RFC 3339 with offset → epoch ms), as bench:jobs does.
    const event = validate ? eventSchema.parse(input) : ({ ...input, time: Date.parse(input.time) } as unknown as Event);
    lines.push(JSON.stringify(toEventRow(event, receivedAt === 'now' ? now : Date.parse(input.time) + 1000)));
    if (lines.length >= BATCH) {
      await flush();
      if (events % 1_000_000 === 0) log(`  ${events} events inserted`);
    }
  }
  await flush();
  return events;
}
