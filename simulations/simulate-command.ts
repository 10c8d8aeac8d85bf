// `waypoint simulate`: generate a scenario and either upload it to a collector or write it to files.
import { parseArgs } from 'node:util';
import { generateCompany } from './generate-company.ts';
import { listScenarios, loadScenario, ScenarioError } from './scenario.ts';
import { CollectorError, sendToCollector } from './send-to-collector.ts';
import { writeEventsFile } from './write-events-file.ts';

export const SIMULATE_USAGE = `usage: waypoint simulate --scenario NAME --seed N [--org ORG --people N --days N] (--to URL --key KEY | --out FILE.ndjson [--no-truth])

  --scenario NAME   one of: ${listScenarios().join(', ')}
  --seed N          non-negative integer; the same seed gives byte-identical output
  --org ORG         organisation id the events belong to (default: the scenario's)
  --people N        headcount at the start (default: the scenario's)
  --days N          simulated days (default: the scenario's)
  --to URL --key KEY    upload the directory, then the events, to a collector
  --out FILE.ndjson     write the events, FILE.directory.json and FILE.truth.json
  --no-truth            with --out: skip the ground truth (FILE.truth.json), for pure speed
  --batch-size N --concurrency N   upload tuning (defaults 5000 and 4)
`;

class UsageError extends Error {
  override name = 'UsageError';
}

function integer(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name} must be from ${min} to ${max}, got ${n}`);
  return n;
}

export async function simulateCommand(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        scenario: { type: 'string' },
        seed: { type: 'string' },
        org: { type: 'string' },
        people: { type: 'string' },
        days: { type: 'string' },
        to: { type: 'string' },
        key: { type: 'string' },
        out: { type: 'string' },
        'batch-size': { type: 'string' },
        concurrency: { type: 'string' },
        'no-truth': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    say(`waypoint simulate: ${error instanceof Error ? error.message : String(error)}\n\n${SIMULATE_USAGE}`);
    return 2;
  }
  if (values.help === true) {
    io.stdout.write(SIMULATE_USAGE);
    return 0;
  }
  const str = (name: string): string | undefined => {
    const v = values[name];
    return typeof v === 'string' ? v : undefined;
  };
  try {
    const scenario = str('scenario');
    if (scenario === undefined) throw new UsageError('--scenario is required');
    if (!listScenarios().includes(scenario)) throw new UsageError(`unknown scenario "${scenario}" (available: ${listScenarios().join(', ')})`);
    const seed = integer('seed', str('seed'), 0, Number.MAX_SAFE_INTEGER);
    if (seed === undefined) throw new UsageError('--seed is required');
    const people = integer('people', str('people'), 5, 200_000);
    const days = integer('days', str('days'), 1, 800);
    const batchSize = integer('batch-size', str('batch-size'), 1, 100_000);
    const concurrency = integer('concurrency', str('concurrency'), 1, 64);
    const to = str('to');
    const key = str('key');
    const out = str('out');
    if (to !== undefined && out !== undefined) throw new UsageError('give either --to URL --key KEY or --out FILE, not both');
    if (to === undefined && out === undefined) throw new UsageError('give --to URL --key KEY (upload) or --out FILE.ndjson (write files)');
    if (to !== undefined && key === undefined) throw new UsageError('--to needs --key KEY (the ingest key)');
    if (to === undefined && key !== undefined) throw new UsageError('--key is only used with --to URL');
    if (to !== undefined && !/^https?:\/\/[^\s]+$/.test(to)) throw new UsageError(`--to must be an http(s) URL, got "${to}"`);
    if ((batchSize !== undefined || concurrency !== undefined) && to === undefined) throw new UsageError('--batch-size and --concurrency are only used with --to URL');
    const truth = values['no-truth'] !== true;
    if (!truth && out === undefined) throw new UsageError('--no-truth is only used with --out FILE');

    const org = str('org') ?? loadScenario(scenario).org;
    const company = generateCompany({ scenario, seed, org, ...(people !== undefined ? { people } : {}), ...(days !== undefined ? { days } : {}) });
    say(`simulating "${scenario}" (seed ${seed}) as ${company.orgName} [${company.org}], ${company.from} to ${company.to}, timezone ${company.timezone}`);

    if (out !== undefined) {
      const result = await writeEventsFile({ file: out, company, truth, log: say });
      say(`wrote ${result.events} events (${result.bytes} bytes) in ${result.seconds.toFixed(1)} s`);
      io.stdout.write(`${JSON.stringify({ events: result.events, file: result.file, directory: result.directoryFile, ...(truth ? { truth: result.truthFile } : {}) })}\n`);
      return 0;
    }
    const result = await sendToCollector({
      url: to as string,
      key: key as string,
      company,
      log: say,
      ...(batchSize !== undefined ? { batchSize } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
    });
    io.stdout.write(`${JSON.stringify(result)}\n`);
    return result.rejected > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ScenarioError) {
      say(`waypoint simulate: ${error.message}\n\n${SIMULATE_USAGE}`);
      return 2;
    }
    if (error instanceof CollectorError) {
      say(`waypoint simulate: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
