// Prints the seed figures as the scenarios produce them (a Markdown table for docs/simulations.md).
// Usage: npx tsx simulations/print-seed-figures.ts
import { generateCompany } from './generate-company.ts';
import type { GroundTruth } from './ground-truth.ts';
import { loadScenario } from './scenario.ts';
import { formatSeedFigure, SEED_FIGURES, seedFigureCommand } from './seed-figures.ts';

const truths = new Map<string, GroundTruth>();
console.log('| Figure (seed) | Scenario | Measured | Accepted | Definition | Command |');
console.log('|---|---|---:|---|---|---|');
for (const f of SEED_FIGURES) {
  const command = seedFigureCommand(f);
  let truth = truths.get(command);
  if (!truth) {
    const company = generateCompany({ scenario: f.scenario, seed: f.seed, org: loadScenario(f.scenario).org, ...(f.people !== undefined ? { people: f.people } : {}), ...(f.days !== undefined ? { days: f.days } : {}) });
    truth = company.groundTruth();
    truths.set(command, truth);
  }
  const value = f.measure(truth);
  const ok = value >= f.min && value <= f.max ? '' : ' **(outside)**';
  console.log(`| ${f.figure} | \`${f.scenario}\` | ${formatSeedFigure(f, value)}${ok} | ${formatSeedFigure(f, f.min)} to ${formatSeedFigure(f, f.max)} | ${f.definition} | \`${command}\` |`);
}
