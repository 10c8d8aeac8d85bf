// The `waypoint` command: one entry point for operators, the demo, docker-compose and the tests.
// Each subcommand parses its flags, loads the configuration once and calls into the deployables.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config/env.ts';
import { KEY_SCOPES, createApiKey, listApiKeys, revokeApiKey, type KeyScope } from '../warehouse/api-keys.ts';
import { createWarehouse, type Warehouse } from '../warehouse/client.ts';
import { migrate } from '../warehouse/migrate.ts';
import { getOrg, listOrgs, upsertOrg } from '../warehouse/orgs.ts';
import { loadEmailImport, readEmailEdges } from '../importers/email-edges.ts';
import { startLocalClickHouse, statusLocalClickHouse, stopLocalClickHouse } from '../warehouse/local-clickhouse.ts';
import { createUser, ROLES } from '../warehouse/users.ts';
import { startCollector } from '../collector/main.ts';
import { startScheduler } from '../jobs/scheduler.ts';
import { runJobs } from '../jobs/run-jobs.ts';
import { systemClock } from '../jobs/job.ts';
import { simulateCommand } from '../simulations/simulate-command.ts';
import { startDashboard } from '../dashboard/start-dashboard.ts';
import { localClickHouseOptions } from './local-clickhouse-options.ts';
import { runDemo } from './demo.ts';
import { generatePassword, readStdin, waitForShutdown } from './process-helpers.ts';
import { PEOPLE_USAGE, PeopleUsageError, peopleCommand } from './people-command.ts';
import { audit } from '../warehouse/audit-log.ts';
import { RetentionError } from '../warehouse/privacy/retention.ts';
import { UnknownOrgError } from '../warehouse/orgs.ts';

export class UsageError extends Error {
  override name = 'UsageError';
}

const USAGE = `Usage: waypoint <command> [options]

  clickhouse start|stop|status            the locally managed ClickHouse (ignored when CLICKHOUSE_URL is set)
  migrate                                 apply warehouse migrations
  collector | dashboard | scheduler       run that service in the foreground
  orgs create --org ORG --name NAME --timezone TZ
  orgs list
  keys create --org ORG --scope ingest|read     (prints the key alone on its last line)
  keys list --org ORG
  keys revoke --org ORG --id ID
  users create --org ORG --email EMAIL --role ROLE [--department ID]
                                          (password from stdin, or generated and printed)
  jobs run [--from YYYY-MM-DD --to YYYY-MM-DD]
${PEOPLE_USAGE}
  import email-edges --org ORG --edges FILE --departments FILE --start YYYY-MM-DD
                                          (a legacy e-mail log as a baseline; see docs/roi.md)
  simulate --scenario NAME --seed N [--org ORG --people N --days N] (--to URL --key KEY | --out FILE)
  demo                                    everything above, with a simulated company

Configuration comes from the environment; see docs/operations.md.`;

const log = (line: string) => process.stderr.write(`${line}\n`);

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`missing --${name}`);
  return value;
}

async function withWarehouse<T>(config: Config, fn: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  const warehouse = createWarehouse(config.clickhouse);
  try {
    if (!(await warehouse.ping().catch(() => false))) {
      throw new UsageError(
        config.clickhouse.managed
          ? `ClickHouse is not running at ${config.clickhouse.url}: run \`npx waypoint clickhouse start\` (or set CLICKHOUSE_URL)`
          : `ClickHouse at ${config.clickhouse.url} does not answer (CLICKHOUSE_URL)`,
      );
    }
    return await fn(warehouse);
  } finally {
    await warehouse.close();
  }
}

async function clickhouseCommand(config: Config, action: string | undefined): Promise<number> {
  if (!config.clickhouse.managed) {
    log(`CLICKHOUSE_URL is set (${config.clickhouse.url}); Waypoint does not manage that server.`);
    return action === 'status' ? 0 : 1;
  }
  const options = localClickHouseOptions(config, log);
  switch (action) {
    case 'start': {
      const { pid, url, started } = await startLocalClickHouse(options);
      console.log(`${started ? 'started' : 'already running'}: ClickHouse at ${url} (pid ${pid}, data in ${options.dir})`);
      return 0;
    }
    case 'stop':
      console.log((await stopLocalClickHouse(options)) ? 'stopped' : 'not running');
      return 0;
    case 'status': {
      const status = await statusLocalClickHouse(options);
      console.log(status.running ? `running at ${status.url} (pid ${status.pid})` : 'not running');
      return status.running ? 0 : 3;
    }
    default:
      throw new UsageError('usage: waypoint clickhouse start|stop|status');
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'simulate') return simulateCommand(argv.slice(1), { stdout: process.stdout, stderr: process.stderr });

  const config = loadConfig();
  const args = (tokens: string[]) =>
    parseArgs({
      args: tokens,
      options: {
        org: { type: 'string' },
        name: { type: 'string' },
        timezone: { type: 'string' },
        scope: { type: 'string' },
        id: { type: 'string' },
        email: { type: 'string' },
        role: { type: 'string' },
        department: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        edges: { type: 'string' },
        departments: { type: 'string' },
        start: { type: 'string' },
      },
      strict: true,
    }).values;

  switch (command) {
    case 'clickhouse':
      return clickhouseCommand(config, sub);
    case 'migrate':
      return withWarehouse(config, async (warehouse) => {
        const applied = await migrate(warehouse);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'up to date');
        return 0;
      });
    case 'collector': {
      // Starts even when ClickHouse is down: acknowledged events wait in the spool until it is back.
      const collector = await startCollector(config);
      log(`collector listening on ${collector.url}`);
      const signal = await waitForShutdown();
      log(`${signal}: draining the collector`);
      await collector.close();
      return 0;
    }
    case 'dashboard': {
      const dashboard = await startDashboard({ host: config.env.DASHBOARD_HOST, port: config.env.DASHBOARD_PORT });
      log(`dashboard on ${dashboard.url}`);
      await waitForShutdown();
      await dashboard.close();
      return 0;
    }
    case 'scheduler': {
      const warehouse = createWarehouse(config.clickhouse);
      const scheduler = startScheduler({ warehouse, clock: systemClock, log });
      log('scheduler running (incremental refresh every 5 minutes, nightly recompute at 02:17)');
      await waitForShutdown();
      await scheduler.stop();
      await warehouse.close();
      return 0;
    }
    case 'orgs':
      return withWarehouse(config, async (warehouse) => {
        if (sub === 'list') {
          for (const org of await listOrgs(warehouse)) console.log(`${org.id}\t${org.timezone}\t${org.name}`);
          return 0;
        }
        if (sub !== 'create') throw new UsageError('usage: waypoint orgs create|list');
        const v = args(rest);
        const org = await upsertOrg(warehouse, { id: required(v, 'org'), name: required(v, 'name'), timezone: required(v, 'timezone') });
        console.log(`organisation ${org.id} (${org.name}, ${org.timezone})`);
        return 0;
      });
    case 'keys':
      return withWarehouse(config, async (warehouse) => {
        const v = args(rest);
        const org = required(v, 'org');
        if (sub === 'create') {
          const scope = required(v, 'scope');
          if (!(KEY_SCOPES as readonly string[]).includes(scope)) throw new UsageError('--scope must be ingest or read');
          const { id, key } = await createApiKey(warehouse, org, scope as KeyScope);
          await audit(warehouse, { org, actor: 'cli', action: 'key.create', target: `key:${id}`, detail: { scope } });
          log(`created ${scope} key ${id} for ${org}; it is shown once:`);
          console.log(key);
          return 0;
        }
        if (sub === 'list') {
          console.log('id\tscope\tcreated (UTC)\tstatus\tlast used (UTC)');
          for (const k of await listApiKeys(warehouse, org)) console.log(`${k.id}\t${k.scope}\t${k.created_at}\t${k.revoked ? 'revoked' : 'active'}\t${k.lastUsedAt ?? 'never'}`);
          return 0;
        }
        if (sub === 'revoke') {
          const ok = await revokeApiKey(warehouse, org, required(v, 'id'));
          if (ok) await audit(warehouse, { org, actor: 'cli', action: 'key.revoke', target: `key:${required(v, 'id')}` });
          console.log(ok ? 'revoked' : 'no such key');
          return ok ? 0 : 1;
        }
        throw new UsageError('usage: waypoint keys create|list|revoke');
      });
    case 'users':
      return withWarehouse(config, async (warehouse) => {
        if (sub !== 'create') throw new UsageError('usage: waypoint users create --org ORG --email EMAIL --role ROLE');
        const v = args(rest);
        const role = required(v, 'role');
        if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
        const fromStdin = process.stdin.isTTY ? '' : (await readStdin()).trim();
        const password = fromStdin || generatePassword();
        await createUser(warehouse, {
          org: required(v, 'org'),
          email: required(v, 'email'),
          role: role as (typeof ROLES)[number],
          ...(typeof v.department === 'string' ? { department: v.department } : {}),
          password,
        });
        await audit(warehouse, { org: required(v, 'org'), actor: 'cli', action: 'user.create', target: required(v, 'email'), detail: { role } });
        console.log(fromStdin ? 'user created' : `user created; password: ${password}`);
        return 0;
      });
    case 'jobs':
      return withWarehouse(config, async (warehouse) => {
        if (sub !== 'run') throw new UsageError('usage: waypoint jobs run [--from DATE --to DATE]');
        const v = args(rest);
        if ((v.from === undefined) !== (v.to === undefined)) throw new UsageError('--from and --to go together');
        const results = await runJobs(
          { warehouse, clock: systemClock, log },
          v.from && v.to ? { range: { from: v.from, to: v.to } } : { mode: 'all' },
        );
        for (const r of results) console.log(`${r.org}\t${r.job}\t${r.range.from}..${r.range.to}\t${r.error ? `FAILED: ${r.error}` : `${r.rows} rows`}`);
        return results.some((r) => r.error) ? 1 : 0;
      });
    case 'import':
      return withWarehouse(config, async (warehouse) => {
        if (sub !== 'email-edges') throw new UsageError('usage: waypoint import email-edges --org ORG --edges FILE --departments FILE --start DATE');
        const v = args(rest);
        const org = await getOrg(warehouse, required(v, 'org'));
        const data = await readEmailEdges({ org: org.id, edgesFile: required(v, 'edges'), departmentsFile: required(v, 'departments'), start: required(v, 'start') });
        const loaded = await loadEmailImport(warehouse, data);
        const s = data.stats;
        console.log(
          `imported ${loaded.events} e-mails (${s.lines} recipient lines, ${s.inferredReplies} inferred replies, ${s.skippedSelf} self-addressed lines skipped) ` +
            `from ${loaded.people} people in ${loaded.departments} departments into ${org.id}; run \`waypoint jobs run\` to compute metrics`,
        );
        return 0;
      });
    case 'people':
      return withWarehouse(config, (warehouse) =>
        peopleCommand(warehouse, sub, rest, log).catch((err: unknown) => {
          const usage = err instanceof PeopleUsageError || err instanceof RetentionError || err instanceof UnknownOrgError;
          throw usage ? new UsageError((err as Error).message) : err;
        }),
      );
    case 'demo':
      return runDemo(config, log);
    default:
      throw new UsageError(`unknown command: ${command}\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof ConfigError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      log(`waypoint: ${(err as Error).message}`);
      process.exitCode = 2;
    } else {
      log(`waypoint: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exitCode = 1;
    }
  },
);
