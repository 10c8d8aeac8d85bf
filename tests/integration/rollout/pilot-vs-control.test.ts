// The rollout job's stored pilot-vs-control effect (difference-in-differences with a 90% bootstrap
// interval) for approval cycle time — what the executive page and the API show — equals the same DiD
// computed from the simulator's own events, in a simulated bank, across seeds. The
// truth is the same DiD computed in plain TypeScript from the simulator's own events (first decision −
// first request, by the decision's local day and the requester's department), not from the warehouse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directorySchema } from '../../../contracts/directory.ts';
import { eventSchema } from '../../../contracts/events.ts';
import type { RolloutBody } from '../../../contracts/rollout.ts';
import { addDays } from '../../../jobs/days.ts';
import type { ApprovalDay, Series } from '../../../jobs/rollout/daily-series.ts';
import { estimateEffect } from '../../../jobs/rollout/effects.ts';
import { systemClock } from '../../../jobs/job.ts';
import { runJobs } from '../../../jobs/run-jobs.ts';
import { generateCompany, type SimulatedCompany } from '../../../simulations/generate-company.ts';
import { rolloutPlanOf } from '../../../simulations/rollout-plan.ts';
import { saveSettings } from '../../../warehouse/org-settings.ts';
import { toEventRow } from '../../../warehouse/events.ts';
import { upsertDirectory } from '../../../warehouse/directory.ts';
import { upsertOrg } from '../../../warehouse/orgs.ts';
import { readRolloutResults } from '../../../warehouse/rollout-results.ts';
import { createTestWarehouse, type TestWarehouse } from '../../support/test-warehouse.ts';

const SEEDS = [1, 2, 3];
// hk-bank's pilot starts on day 28 and wave 2 on day 70: 70 days keep the control group untreated
// throughout the page's "after" window (pilot start + 14 days … the range's end).
const DAYS = 70;
const PEOPLE = 150;

interface Study {
  company: SimulatedCompany;
  pilotDepartments: string[];
  secondWaveStart: string;
  page: RolloutBody<'pilot-vs-control'>;
}

let t: TestWarehouse;
const studies: Study[] = [];

async function insertCompany(warehouse: TestWarehouse['warehouse'], company: SimulatedCompany): Promise<void> {
  await upsertOrg(warehouse, { id: company.org, name: company.orgName, timezone: company.timezone });
  await upsertDirectory(warehouse, directorySchema.parse(company.directory));
  await saveSettings(warehouse, { org: company.org, section: 'rollout', value: rolloutPlanOf(company), changedBy: 'test', expectedVersion: 0 });
  const receivedAt = Date.now();
  let batch: object[] = [];
  for (const input of company.events()) {
    batch.push(toEventRow(eventSchema.parse(input), receivedAt));
    if (batch.length >= 50_000) {
      await warehouse.insert('events', batch);
      batch = [];
    }
  }
  await warehouse.insert('events', batch);
}

/** The local calendar day of an instant in a timezone. */
function localDay(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

/** Approval cycles per local decision day, group (1 = pilot) and kind, straight from the simulator's events. */
function trueApprovalSeries(company: SimulatedCompany, pilot: ReadonlySet<string>): Series {
  const versions = new Map<string, { from: string; department: string }[]>();
  for (const p of company.directory.people ?? []) {
    const list = versions.get(p.id) ?? [];
    list.push({ from: p.validFrom ?? '0000-00-00', department: p.department });
    versions.set(p.id, list.sort((a, b) => a.from.localeCompare(b.from)));
  }
  const departmentOn = (person: string, day: string) => (versions.get(person) ?? []).filter((v) => v.from <= day).at(-1)?.department ?? '';
  const requests = new Map<string, { at: number; actor: string; kind: string }>();
  const decisions = new Map<string, number>();
  for (const e of company.events()) {
    if (e.type !== 'approval.requested' && e.type !== 'approval.decided') continue;
    const at = Date.parse(e.time);
    if (e.type === 'approval.requested') {
      const seen = requests.get(e.object);
      const kind = (e.attrs as { kind?: string } | undefined)?.kind ?? '';
      if (!seen || at < seen.at) requests.set(e.object, { at, actor: e.actor, kind });
    } else if (!decisions.has(e.object) || at < decisions.get(e.object)!) {
      decisions.set(e.object, at);
    }
  }
  const cycles = new Map<string, { d: string; g: number; kind: string; seconds: number[] }>();
  for (const [object, decided] of decisions) {
    const request = requests.get(object);
    if (!request) continue;
    const d = localDay(decided, company.timezone);
    const g = pilot.has(departmentOn(request.actor, localDay(request.at, company.timezone))) ? 1 : 0;
    const key = `${d}|${g}|${request.kind}`;
    const row = cycles.get(key) ?? { d, g, kind: request.kind, seconds: [] };
    row.seconds.push(Math.max(0, Math.floor(decided / 1000) - Math.floor(request.at / 1000)));
    cycles.set(key, row);
  }
  // The upper median, as ClickHouse's quantileExact(0.5).
  const approvals: ApprovalDay[] = [...cycles.values()].map((r) => {
    const sorted = r.seconds.sort((a, b) => a - b);
    return { d: r.d, g: r.g, kind: r.kind, median: sorted[Math.floor(sorted.length / 2)]!, n: sorted.length, automated: 0 };
  });
  // Every simulated day for both groups, so the DiD's daily units are the same days the page uses.
  const headcount = [];
  for (let d = company.from; d <= company.to; d = addDays(d, 1)) headcount.push({ d, g: 0, licensed: 1 }, { d, g: 1, licensed: 1 });
  return { activity: [], headcount, replies: [], meetings: [], approvals };
}

beforeAll(async () => {
  t = await createTestWarehouse();
  const companies = SEEDS.map((seed) => generateCompany({ scenario: 'hk-bank', seed, org: `hk-bank-${seed}`, people: PEOPLE, days: DAYS }));
  for (const company of companies) await insertCompany(t.warehouse, company);
  const results = await runJobs({ warehouse: t.warehouse, clock: systemClock, log: () => {} }, { mode: 'all', retries: 0 });
  const failed = results.filter((r) => r.error);
  if (failed.length > 0) throw new Error(`jobs failed: ${failed.map((f) => `${f.job}: ${String(f.error)}`).join('; ')}`);

  for (const company of companies) {
    const plan = rolloutPlanOf(company);
    const stored = (await readRolloutResults(t.warehouse, company.org, ['pilot-vs-control']))['pilot-vs-control'];
    if (!stored) throw new Error(`the rollout job stored no pilot-vs-control section for ${company.org}`);
    studies.push({ company, pilotDepartments: plan.pilotDepartments, secondWaveStart: plan.waves[1]!.start!, page: stored.body });
  }
}, 300_000);
afterAll(async () => {
  if (t) await t.drop();
});

describe('stored pilot vs control (hk-bank, approval cycle time)', () => {
  it('compares windows in which the control group has not started yet', () => {
    for (const { page, secondWaveStart, company } of studies) {
      expect(page.windows, company.org).not.toBeNull();
      expect(page.windows!.after.from >= page.pilotStart!).toBe(true);
      expect(page.windows!.after.to < secondWaveStart, `${company.org}: after window ends ${page.windows!.after.to}, wave 2 starts ${secondWaveStart}`).toBe(true);
      expect(page.windows!.before.to < page.pilotStart!).toBe(true);
    }
  });

  it.each(SEEDS.map((seed, i) => ({ seed, i })))('seed $seed: the 90% interval contains the true effect', ({ i }) => {
    const { page, company, pilotDepartments } = studies[i]!;
    const measured = page.effects.find((e) => e.metric === 'approval_cycle_time');
    expect(measured, 'the page estimates an approval-cycle effect').toBeDefined();
    const truth = estimateEffect(trueApprovalSeries(company, new Set(pilotDepartments)), 'approval_cycle_time', page.windows!);
    expect(truth).toBeDefined();
    expect(measured!.low).toBeLessThanOrEqual(measured!.high);
    expect(truth!.effect).toBeGreaterThanOrEqual(measured!.low);
    expect(truth!.effect).toBeLessThanOrEqual(measured!.high);
    // The rollups lose nothing: the page's point estimate is the truth's, to the second.
    expect(Math.abs(measured!.effect - truth!.effect)).toBeLessThan(1);
  });
});
