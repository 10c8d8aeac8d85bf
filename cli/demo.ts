// `npm run demo`: a local ClickHouse, the schema, the collector and dashboard, a simulated company
// sent through the collector over HTTP, the jobs once, then the scheduler — until Ctrl-C, which
// stops everything this process started. A second run finds the data and reuses it.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../config/env.ts';
import { startCollector } from '../collector/main.ts';
import { startDashboard } from '../dashboard/start-dashboard.ts';
import { systemClock } from '../jobs/job.ts';
import { runJobs } from '../jobs/run-jobs.ts';
import { startScheduler } from '../jobs/scheduler.ts';
import { generateCompany } from '../simulations/generate-company.ts';
import { rolloutPlanOf } from '../simulations/rollout-plan.ts';
import { sendToCollector } from '../simulations/send-to-collector.ts';
import { saveSettings } from '../warehouse/org-settings.ts';
import { createApiKey } from '../warehouse/api-keys.ts';
import { createWarehouse } from '../warehouse/client.ts';
import { startLocalClickHouse, stopLocalClickHouse } from '../warehouse/local-clickhouse.ts';
import { migrate } from '../warehouse/migrate.ts';
import { findOrg, upsertOrg } from '../warehouse/orgs.ts';
import { createUser } from '../warehouse/users.ts';
import { localClickHouseOptions } from './local-clickhouse-options.ts';
import { generatePassword, waitForShutdown } from './process-helpers.ts';

const DEMO_ORG = 'demo';
const DEMO_EMAIL = 'admin@demo.example';

const credentialsSchema = z.object({ email: z.string(), password: z.string(), ingestKey: z.string() });

export async function runDemo(config: Config, log: (line: string) => void): Promise<number> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: unknown) => log(`while stopping: ${String(err)}`));
  };
  try {
    if (config.clickhouse.managed) {
      const options = localClickHouseOptions(config, log);
      const ch = await startLocalClickHouse(options);
      log(`ClickHouse ${ch.started ? 'started' : 'already running'} at ${ch.url} (data in ${options.dir})`);
      if (ch.started) cleanups.push(() => stopLocalClickHouse(options));
    }
    const warehouse = createWarehouse(config.clickhouse);
    cleanups.push(() => warehouse.close());
    const applied = await migrate(warehouse);
    log(applied.length ? `schema: applied ${applied.join(', ')}` : 'schema: up to date');

    // The demo prints its own progress; the collector's per-request logs would drown it.
    const collector = await startCollector({ ...config, env: { ...config.env, LOG_LEVEL: 'warn' } });
    cleanups.push(() => collector.close());
    log(`collector listening on ${collector.url}`);
    const dashboard = await startDashboard({ host: config.env.DASHBOARD_HOST, port: config.env.DASHBOARD_PORT });
    cleanups.push(() => dashboard.close());

    const credentialsFile = path.join(config.dataDir, 'demo-credentials.json');
    let credentials = existsSync(credentialsFile) ? credentialsSchema.parse(JSON.parse(readFileSync(credentialsFile, 'utf8'))) : undefined;
    if (credentials && (await findOrg(warehouse, DEMO_ORG))) {
      log('demo data found: reusing it (delete .data/ to start over)');
    } else {
      const company = generateCompany({ scenario: 'default', seed: 1, org: DEMO_ORG });
      await upsertOrg(warehouse, { id: DEMO_ORG, name: company.orgName, timezone: company.timezone });
      const { key } = await createApiKey(warehouse, DEMO_ORG, 'ingest');
      credentials = { email: DEMO_EMAIL, password: generatePassword(), ingestKey: key };
      await createUser(warehouse, { org: DEMO_ORG, email: credentials.email, role: 'admin', password: credentials.password });
      // The company's rollout plan (baseline, steps, waves, pilot), as a change manager would enter it.
      await saveSettings(warehouse, { org: DEMO_ORG, section: 'rollout', value: rolloutPlanOf(company), changedBy: 'demo', expectedVersion: 0, note: 'from the simulated scenario' });
      mkdirSync(config.dataDir, { recursive: true });
      writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2));
      chmodSync(credentialsFile, 0o600);
      log(`sending the simulated company "${company.orgName}" through the collector…`);
      const sent = await sendToCollector({ url: collector.url, key, company, log });
      log(`sent ${sent.sent} events in ${sent.batches} batches: ${sent.accepted} accepted, ${sent.rejected} rejected`);
    }

    // A 202 means "in the collector's spool"; push the spool into ClickHouse before computing.
    await collector.flush();
    const jobDeps = { warehouse, clock: systemClock, log };
    const results = await runJobs(jobDeps, { mode: 'all' });
    for (const r of results) log(`job ${r.job} for ${r.org} over ${r.range.from}..${r.range.to}: ${r.error ?? `${r.rows} rows`}`);
    const scheduler = startScheduler(jobDeps);
    cleanups.push(() => scheduler.stop());

    console.log(`
Waypoint is running.
  Dashboard:  ${dashboard.url}
  Sign in as: ${credentials.email}
  Password:   ${credentials.password}
  Collector:  ${collector.url}  (ingest key in ${credentialsFile})
Press Ctrl-C to stop everything this command started.`);
    await waitForShutdown();
    log('stopping…');
    await stopAll();
    return 0;
  } catch (err) {
    await stopAll();
    throw err;
  }
}
