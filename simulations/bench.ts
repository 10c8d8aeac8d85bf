// Benchmark: the simulator writing NDJSON files — events per second (wall and CPU), peak memory — for
// `default`, a 60-day slice of `enterprise`, and the full `enterprise` year (about 10 M events) with and
// without its ground truth. Each run is a child process, so memory and GC state do not carry over.
// Usage: npm run bench:simulate [-- --quick]  (--quick: skip the two full-year runs)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCompany } from './generate-company.ts';
import { writeEventsFile } from './write-events-file.ts';

interface Run {
  label: string;
  scenario: string;
  days?: number;
  truth: boolean;
}

const RUNS: Run[] = [
  { label: 'default, NDJSON + directory + truth', scenario: 'default', truth: true },
  { label: 'enterprise, first 60 days, NDJSON + directory', scenario: 'enterprise', days: 60, truth: false },
  { label: 'enterprise, full year, NDJSON + directory (--no-truth)', scenario: 'enterprise', truth: false },
  { label: 'enterprise, full year, NDJSON + directory + truth', scenario: 'enterprise', truth: true },
];

/** `enterprise` is sized for about 10 M events (measured 10,063,290 with seed 1). */
const FULL_YEAR_EVENTS = { min: 9_500_000, max: 10_600_000 };

const load = () => loadavg().map((x) => Number(x.toFixed(2)));

/** One run in this process; prints one JSON line. */
async function runOne(run: Run, dir: string): Promise<void> {
  const company = generateCompany({ scenario: run.scenario, seed: 1, org: 'bench', ...(run.days !== undefined ? { days: run.days } : {}) });
  const loadBefore = load();
  const cpu = process.cpuUsage();
  const result = await writeEventsFile({ file: join(dir, `${run.scenario}.ndjson`), company, truth: run.truth });
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  console.log(
    JSON.stringify({
      label: run.label,
      events: result.events,
      wallSeconds: Number(result.seconds.toFixed(2)),
      eventsPerSecond: Math.round(result.events / result.seconds),
      cpuSeconds: Number(cpuSeconds.toFixed(2)),
      eventsPerCpuSecond: Math.round(result.events / cpuSeconds),
      megabytes: Math.round(result.bytes / 1e6),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      loadBefore,
      loadAfter: load(),
    }),
  );
  // The full year is the scenario's size check (the unit test runs it at a tenth of the people).
  if (run.scenario === 'enterprise' && run.days === undefined && (result.events < FULL_YEAR_EVENTS.min || result.events > FULL_YEAR_EVENTS.max)) {
    throw new Error(`enterprise full year gave ${result.events} events; expected ${FULL_YEAR_EVENTS.min}–${FULL_YEAR_EVENTS.max} (about 10 M)`);
  }
}

const oneIndex = process.argv.indexOf('--one');
if (oneIndex >= 0) {
  await runOne(RUNS[Number(process.argv[oneIndex + 1])] as Run, process.argv[oneIndex + 2] as string);
} else {
  const quick = process.argv.includes('--quick');
  console.log(JSON.stringify({ node: process.version, nproc: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', memoryGB: Math.round(totalmem() / 2 ** 30), loadavg: load() }));
  const dir = mkdtempSync(join(tmpdir(), 'waypoint-bench-'));
  try {
    RUNS.forEach((run, i) => {
      if (quick && run.scenario === 'enterprise' && run.days === undefined) return;
      const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--one', String(i), dir], { stdio: 'inherit' });
      if (child.status !== 0) throw new Error(`benchmark run "${run.label}" failed (exit ${child.status})`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
