// The stored pilot-vs-control intervals against the TRUE effect the simulator built in. Two scenarios
// (hk-bank, manufacturing-inventory) × SEEDS seeds go end to end — simulated company → collector over
// HTTP → ClickHouse → every job → the rollout job's stored difference-in-differences — and each KPI
// metric's 90% bootstrap interval is checked against the simulator's potential-outcomes truth over the
// same "after" window (simulations/true-effects.ts: the pilot's metric as generated minus the metric
// the same events would have had without the rollout, from the same random draws).
//
// A 90% interval misses the truth about 1 time in 10 even when everything is right, so the test does
// not demand that every interval covers: it counts misses over all (scenario, seed, metric) checks and
// fails when they exceed what a 90% interval allows — at most MAX_MISS_SHARE of the checks (the 99th
// percentile of Binomial(n, 0.1) for n ≈ 30 is 7 misses, i.e. ~23%). The seeds are 1..SEEDS, fixed, not chosen.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Collector } from '../../../collector/app.ts';
import type { KpiMetric, RolloutBody } from '../../../contracts/rollout.ts';
import { systemClock } from '../../../jobs/job.ts';
import { runJobs } from '../../../jobs/run-jobs.ts';
import { generateCompany, type SimulatedCompany } from '../../../simulations/generate-company.ts';
import { rolloutPlanOf } from '../../../simulations/rollout-plan.ts';
import { sendToCollector } from '../../../simulations/send-to-collector.ts';
import type { TrueEffects } from '../../../simulations/true-effects.ts';
import { createApiKey } from '../../../warehouse/api-keys.ts';
import { saveSettings } from '../../../warehouse/org-settings.ts';
import { upsertOrg } from '../../../warehouse/orgs.ts';
import { readRolloutResults } from '../../../warehouse/rollout-results.ts';
import { createTestWarehouse, type TestWarehouse } from '../../support/test-warehouse.ts';

export const SEEDS = 3;
/** The share of checks a 90% interval may miss before the test fails (expected ≈ 10%; see above). */
export const MAX_MISS_SHARE = 0.25;
const PEOPLE = 150;
// Each scenario runs until the day its second wave starts, so the control group stays untreated in the
// whole "after" window (hk-bank: pilot day 28, wave 2 day 70; manufacturing-inventory: 56 and 98).
const SCENARIOS = [
  { scenario: 'hk-bank', days: 70 },
  { scenario: 'manufacturing-inventory', days: 98 },
];

interface Check {
  org: string;
  metric: KpiMetric;
  truth: number;
  effect: number;
  low: number;
  high: number;
  covered: boolean;
}

let t: TestWarehouse;
let collector: Collector;
const checks: Check[] = [];
const studies: { company: SimulatedCompany; stored: RolloutBody<'pilot-vs-control'>; truth: TrueEffects }[] = [];

/** The truth in the unit the stored effect is in, or null when the simulator measured none. */
function truthOf(truth: TrueEffects, metric: KpiMetric): number | null {
  switch (metric) {
    case 'reply_latency':
      return truth.reply_latency.dailyMedian.effectSec;
    case 'cross_team_reply_latency':
      return truth.cross_team_reply_latency.dailyMedian.effectSec;
    case 'approval_cycle_time':
      return truth.approval_cycle.dailyMedian.effectSec;
    case 'active_rate':
      return truth.active_rate.effect;
    case 'meeting_hours_per_person_week':
      return truth.meeting_hours_per_person.perLicensedPersonWeek.effect;
  }
}

beforeAll(async () => {
  t = await createTestWarehouse();
  collector = buildApp({ warehouse: t.warehouse, logLevel: 'silent', flushLingerMs: 20 });
  await collector.app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(collector.app.server.address() as AddressInfo).port}`;
  const companies: SimulatedCompany[] = [];
  for (const { scenario, days } of SCENARIOS) {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const company = generateCompany({ scenario, seed, org: `${scenario}-${seed}`, people: PEOPLE, days });
      await upsertOrg(t.warehouse, { id: company.org, name: company.orgName, timezone: company.timezone });
      await saveSettings(t.warehouse, { org: company.org, section: 'rollout', value: rolloutPlanOf(company), changedBy: 'test', expectedVersion: 0 });
      const { key } = await createApiKey(t.warehouse, company.org, 'ingest');
      const sent = await sendToCollector({ url, key, company, batchSize: 5000, concurrency: 2 });
      if (sent.rejected > 0) throw new Error(`${company.org}: the collector rejected ${sent.rejected} simulated events`);
      companies.push(company);
    }
  }
  const results = await runJobs({ warehouse: t.warehouse, clock: systemClock, log: () => {} }, { mode: 'all', retries: 0 });
  const failed = results.filter((r) => r.error);
  if (failed.length > 0) throw new Error(`jobs failed: ${failed.map((f) => `${f.job}: ${String(f.error)}`).join('; ')}`);
  for (const company of companies) {
    const stored = (await readRolloutResults(t.warehouse, company.org, ['pilot-vs-control']))['pilot-vs-control']?.body;
    if (!stored?.windows) throw new Error(`${company.org}: no stored pilot-vs-control windows`);
    const truth = company.trueEffects(stored.windows.after);
    studies.push({ company, stored, truth });
    for (const e of stored.effects) {
      const value = truthOf(truth, e.metric);
      if (value === null) continue;
      checks.push({ org: company.org, metric: e.metric, truth: value, effect: e.effect, low: e.low, high: e.high, covered: value >= e.low && value <= e.high });
    }
  }
}, 900_000);

afterAll(async () => {
  await collector?.app.close();
  await t?.drop();
});

describe('stored 90% pilot-vs-control intervals contain the simulated true effect', () => {
  it('measures every KPI metric for every company over the window the truth is computed for', () => {
    for (const { company, stored, truth } of studies) {
      expect(truth.window, company.org).toEqual(stored.windows!.after);
      expect(stored.effects.map((e) => e.metric).sort(), company.org).toEqual(['active_rate', 'approval_cycle_time', 'cross_team_reply_latency', 'meeting_hours_per_person_week', 'reply_latency']);
    }
    expect(checks.length).toBeGreaterThanOrEqual(SCENARIOS.length * SEEDS * 4);
  });

  it(`misses no more than ${MAX_MISS_SHARE * 100}% of (scenario, seed, metric) checks`, () => {
    const misses = checks.filter((c) => !c.covered);
    const report = misses.map((c) => `${c.org} ${c.metric}: truth ${c.truth.toFixed(4)} outside [${c.low.toFixed(4)}, ${c.high.toFixed(4)}] (estimate ${c.effect.toFixed(4)})`).join('\n');
    console.info(`true-effect coverage: ${checks.length - misses.length}/${checks.length} intervals contain the truth\n${report}`);
    expect(misses.length / checks.length, report).toBeLessThanOrEqual(MAX_MISS_SHARE);
  });

  // Coverage alone could come from intervals too wide to say anything. The simulator builds large
  // effects into reply latency and the active rate: there every interval must exclude zero, on the
  // side of the truth. (Cross-team latency, approvals and meeting hours rest on few events a day in
  // a 150-person company, so their intervals may straddle zero.)
  it('gives decisive intervals where the built-in effect is large: reply latency and active rate exclude zero on the side of the truth', () => {
    const table = checks.map((c) => `${c.org} ${c.metric}: truth ${c.truth.toFixed(4)} in [${c.low.toFixed(4)}, ${c.high.toFixed(4)}] ${c.covered ? '' : 'MISS'}`).join('\n');
    console.info(`true-effect checks:\n${table}`);
    const strong = checks.filter((x) => x.metric === 'reply_latency' || x.metric === 'active_rate');
    expect(strong.length).toBe(SCENARIOS.length * SEEDS * 2);
    for (const c of strong) {
      const excludesZero = c.low > 0 || c.high < 0;
      expect(excludesZero, `${c.org} ${c.metric} [${c.low}, ${c.high}]`).toBe(true);
      expect(Math.sign(c.effect), `${c.org} ${c.metric}`).toBe(Math.sign(c.truth));
    }
  });
});
