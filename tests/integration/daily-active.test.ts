// The daily-active rollup on hand-built events: local days in the org's timezone, department on the
// day, automated and email activity excluded, a re-sent event id counted once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyActiveJob } from '../../jobs/daily-active.ts';
import { runJobs } from '../../jobs/run-jobs.ts';
import { getActiveRateByDepartment, getLatestActivityDay } from '../../warehouse/queries/get-active-rate-by-department.ts';
import { getOrg } from '../../warehouse/orgs.ts';
import { createTestCollector, type TestCollector } from '../support/collector.ts';
import { makeEvent } from '../support/events.ts';

let c: TestCollector;
const clock = { now: () => Date.parse('2024-05-10T00:00:00Z') };
const deps = () => ({ warehouse: c.warehouse, clock, log: () => {} });

beforeAll(async () => {
  c = await createTestCollector('acme', 'Asia/Hong_Kong'); // UTC+8, no DST
  const directory = await c.post('/v1/directory', {
    org: 'acme',
    departments: [
      { id: 'fin', name: 'Finance' },
      { id: 'ops', name: 'Operations' },
    ],
    people: [
      { id: 'a', department: 'fin', hiredAt: '2024-01-01' },
      { id: 'b', department: 'fin', hiredAt: '2024-01-01' },
      { id: 'c', department: 'ops', hiredAt: '2024-01-01' },
      // c moves to finance on 2 May (local).
      { id: 'c', department: 'fin', hiredAt: '2024-01-01', validFrom: '2024-05-02' },
      { id: 'd', department: 'ops', hiredAt: '2024-01-01', leftAt: '2024-05-02' },
      { id: 'e', department: 'ops', hiredAt: '2024-01-01', licensed: false },
    ],
  });
  expect(directory.statusCode).toBe(200);
  const resent = makeEvent({ actor: 'b', time: '2024-05-01T10:00:00+08:00' });
  const batches = [
    [
      // 2024-04-30 23:59:59 local (15:59:59 UTC) → 30 April.
      makeEvent({ actor: 'a', time: '2024-04-30T15:59:59Z' }),
      // 2024-05-01 00:00:00 local (16:00:00 UTC on 30 April) → 1 May.
      makeEvent({ actor: 'a', time: '2024-04-30T16:00:00Z' }),
      resent,
      makeEvent({ actor: 'c', time: '2024-05-01T12:00:00+08:00' }),
      makeEvent({ actor: 'c', time: '2024-05-02T12:00:00+08:00' }),
      // Not activity: automated, and legacy email.
      makeEvent({ actor: 'd', time: '2024-05-01T12:00:00+08:00', type: 'approval.decided', channel: 'workflow', attrs: { kind: 'leave', outcome: 'approved', automated: true } }),
      makeEvent({ actor: 'd', time: '2024-05-01T12:00:00+08:00', channel: 'email' }),
      // Someone missing from the directory: counted under '' (not in directory), not dropped.
      makeEvent({ actor: 'ghost', time: '2024-05-01T12:00:00+08:00' }),
    ],
    [resent],
    [resent],
  ];
  for (const events of batches) expect((await c.post('/v1/events', { events })).statusCode).toBe(202);
  const results = await runJobs(deps(), { range: { from: '2024-04-30', to: '2024-05-02' } });
  expect(results.filter((r) => r.error)).toEqual([]);
  expect(results.some((r) => r.job === 'daily-active')).toBe(true);
});
afterAll(async () => {
  await c.close();
});

function pick(points: Awaited<ReturnType<typeof getActiveRateByDepartment>>, day: string, department: string) {
  return points.find((p) => p.day === day && p.department === department);
}

describe('daily-active job', () => {
  it('puts events on local days in the organisation timezone', async () => {
    const points = await getActiveRateByDepartment(c.warehouse, { org: 'acme', from: '2024-04-30', to: '2024-05-02' });
    expect(pick(points, '2024-04-30', 'fin')).toMatchObject({ activeUsers: 1, licensed: 2, rate: 0.5 });
    // 1 May: a (just after midnight) and b (sent three times) in finance; c still in operations.
    expect(pick(points, '2024-05-01', 'fin')).toMatchObject({ activeUsers: 2, licensed: 2, rate: 1, departmentName: 'Finance' });
    expect(pick(points, '2024-05-01', 'ops')).toMatchObject({ activeUsers: 1, licensed: 2 });
  });

  it('attributes a moved person to their department on that day and drops leavers from headcount', async () => {
    const points = await getActiveRateByDepartment(c.warehouse, { org: 'acme', from: '2024-05-02', to: '2024-05-02' });
    expect(pick(points, '2024-05-02', 'fin')).toMatchObject({ activeUsers: 1, licensed: 3 });
    // d left on 2 May, e is not licensed and c moved out: operations has nobody to count that day.
    expect(pick(points, '2024-05-02', 'ops')).toBeUndefined();
  });

  it('counts activity of people missing from the directory separately', async () => {
    const points = await getActiveRateByDepartment(c.warehouse, { org: 'acme', from: '2024-05-01', to: '2024-05-01' });
    expect(pick(points, '2024-05-01', '')).toMatchObject({ activeUsers: 1, licensed: 0, rate: null, departmentName: '(not in directory)' });
  });

  it('yields the same rows when re-run (idempotent)', async () => {
    const before = await getActiveRateByDepartment(c.warehouse, { org: 'acme', from: '2024-04-30', to: '2024-05-02' });
    const org = await getOrg(c.warehouse, 'acme');
    await dailyActiveJob.run({ ...deps(), clock: { now: () => clock.now() + 5000 } }, org, { from: '2024-04-30', to: '2024-05-02' });
    const after = await getActiveRateByDepartment(c.warehouse, { org: 'acme', from: '2024-04-30', to: '2024-05-02' });
    expect(after).toEqual(before);
  });

  it('reports the latest day with data', async () => {
    expect(await getLatestActivityDay(c.warehouse, 'acme')).toBe('2024-05-02');
    expect(await getLatestActivityDay(c.warehouse, 'nobody')).toBeUndefined();
  });
});
