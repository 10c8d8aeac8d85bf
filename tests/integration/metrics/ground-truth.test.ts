// The simulated `default` company end to end: directory and events through the collector, every
// rollup job, then the read API compared with the simulator's independently computed ground truth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCompany, type GroundTruth } from '../../../simulations/generate-company.ts';
import { loadScenario } from '../../../simulations/scenario.ts';
import { addDays } from '../../../jobs/days.ts';
import { upsertWaveStarts } from '../../../warehouse/queries/upsert-wave-starts.ts';
import { createMetricFixture, valueAt, type MetricFixture } from './metric-fixture.ts';

let f: MetricFixture;
let truth: GroundTruth;
const company = generateCompany({ scenario: 'default', seed: 1, org: 'acme' });

beforeAll(async () => {
  const { org: _org, ...directory } = company.directory;
  f = await createMetricFixture('acme', company.timezone, directory, `${addDays(company.to, 1)}T12:00:00Z`);
  await upsertWaveStarts(
    f.warehouse,
    'acme',
    loadScenario('default').waves.map((w) => ({ wave: w.id, startDay: addDays(company.from, w.startDay) })),
  );
  const builder = company.createGroundTruthBuilder();
  for (const batch of company.ndjsonBatches(5000, builder)) {
    const res = await f.post('/v1/events', batch.body.toString('latin1'), { 'content-type': 'application/x-ndjson' });
    expect(res.statusCode, res.body).toBe(202);
  }
  truth = builder.finish();
  await f.run({ range: { from: company.from, to: company.to } });
}, 300_000);
afterAll(async () => {
  await f.close();
});

/** Within 2 % (or 1 s / 0.5 percentage points for tiny values). */
function close(actual: number | null | undefined, expected: number, absolute: number): boolean {
  return actual !== null && actual !== undefined && Math.abs(actual - expected) <= Math.max(absolute, Math.abs(expected) * 0.02);
}

describe('against the simulator’s ground truth', () => {
  const range = () => ({ from: company.from, to: company.to });

  it('active users per day and department', async () => {
    const misses: string[] = [];
    const departments = [...new Set(truth.activeUsers.map((r) => r.department))];
    for (const department of departments) {
      const { body } = await f.read('active_users', { ...range(), department });
      for (const row of truth.activeUsers.filter((r) => r.department === department && r.active > 0)) {
        const got = valueAt(body, { period: row.day }) ?? 0;
        if (got !== row.active) misses.push(`${row.day} ${department}: ${got} ≠ ${row.active}`);
      }
    }
    expect(misses).toEqual([]);
  });

  it('weekly median reply and read latency per department', async () => {
    const misses: string[] = [];
    for (const [metric, rows] of [['reply_latency', truth.replyLatency], ['read_latency', truth.readLatency]] as const) {
      for (const department of [...new Set(rows.map((r) => r.department))]) {
        const { body } = await f.read(metric, { ...range(), groupBy: 'week', department });
        for (const row of rows.filter((r) => r.department === department)) {
          const got = valueAt(body, { period: row.week });
          if (!close(got, row.medianSec, 1)) misses.push(`${metric} ${row.week} ${department}: ${got} vs ${row.medianSec} (n ${row.count})`);
        }
      }
    }
    expect(misses).toEqual([]);
  });

  it('approval cycle by kind over the run', async () => {
    const { body } = await f.read('approval_cycle', { ...range(), groupBy: 'kind' });
    for (const row of truth.approvalCycleByKind) expect(close(valueAt(body, { kind: row.kind }), row.medianSec, 1), row.kind).toBe(true);
  });

  it('task completion within 7 days per week', async () => {
    const { body } = await f.read('task_completion_rate', { ...range(), groupBy: 'week' });
    const weeks = new Map<string, { created: number; done: number }>();
    for (const r of truth.taskCompletion) {
      const w = weeks.get(r.week) ?? { created: 0, done: 0 };
      w.created += r.created;
      w.done += r.completedWithin7Days;
      weeks.set(r.week, w);
    }
    for (const [week, w] of weeks) if (w.created > 0) expect(close(valueAt(body, { period: week }), w.done / w.created, 0.005), week).toBe(true);
  });
});
