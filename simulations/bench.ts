// Benchmark: events per second from the simulator to an NDJSON file, and the full `enterprise`
// scenario (about 10 M events) with its directory and ground truth. Prints the figures for docs.
// Usage: npx tsx simulations/bench.ts [--quick]  (--quick: skip the full enterprise run)
import { cpus, loadavg, tmpdir } from 'node:os';
import { availableParallelism } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateCompany } from './generate-company.ts';
import { writeEventsFile } from './write-events-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'waypoint-bench-'));

async function run(label: string, scenario: string, opts: { days?: number; truth: boolean }) {
  const company = generateCompany({ scenario, seed: 1, org: 'bench', ...(opts.days !== undefined ? { days: opts.days } : {}) });
  const cpu = process.cpuUsage();
  const result = await writeEventsFile({ file: join(dir, `${scenario}.ndjson`), company, truth: opts.truth });
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const line = {
    label,
    events: result.events,
    seconds: Number(result.seconds.toFixed(2)),
    eventsPerSecond: Math.round(result.events / result.seconds),
    cpuSeconds: Number(cpuSeconds.toFixed(2)),
    eventsPerCpuSecond: Math.round(result.events / cpuSeconds),
    megabytes: Math.round(result.bytes / 1e6),
    peakRssMB: Math.round(process.memoryUsage().rss / 1e6),
  };
  console.log(JSON.stringify(line));
  return line;
}

console.log(JSON.stringify({ node: process.version, nproc: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', loadavg: loadavg().map((x) => x.toFixed(2)) }));
try {
  await run('default (with truth)', 'default', { truth: true });
  await run('enterprise, first 60 days, NDJSON only', 'enterprise', { days: 60, truth: false });
  if (!process.argv.includes('--quick')) {
    await run('enterprise, full year, NDJSON + directory + truth', 'enterprise', { truth: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ loadavgAfter: loadavg().map((x) => x.toFixed(2)) }));
}
