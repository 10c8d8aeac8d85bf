// With pseudonymisation on, the collector stores keyed pseudonyms, never the platform's person ids —
// in events and in the directory alike, so department attribution still works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runJobs } from '../../../jobs/run-jobs.ts';
import { findOrg } from '../../../warehouse/orgs.ts';
import { findMetric } from '../../../warehouse/read-api/catalogue.ts';
import { readMetric } from '../../../warehouse/read-api/read-metric.ts';
import { enablePseudonymisation, isPseudonym, pseudonymiserFor } from '../../../warehouse/pseudonymise.ts';
import { sql } from '../../../warehouse/sql.ts';
import { createTestCollector, type TestCollector } from '../../support/collector.ts';
import { makeEvent } from '../../support/events.ts';

let c: TestCollector;
beforeAll(async () => {
  c = await createTestCollector('acme', 'UTC');
  await enablePseudonymisation(c.warehouse, 'acme');
});
afterAll(async () => {
  await c.close();
});

describe('pseudonymisation at ingest', () => {
  it('replaces actors, people and managers by their pseudonyms before storing', async () => {
    const directory = await c.post('/v1/directory', {
      org: 'acme',
      departments: [{ id: 'fin', name: 'Finance' }],
      people: [
        { id: 'alice@platform', department: 'fin', manager: 'bob@platform', hiredAt: '2024-01-01' },
        { id: 'bob@platform', department: 'fin', hiredAt: '2024-01-01' },
      ],
    });
    expect(directory.statusCode).toBe(200);
    const json = await c.post('/v1/events', { events: [makeEvent({ actor: 'alice@platform', time: '2024-05-01T09:00:00Z' })] });
    expect(json.statusCode).toBe(202);
    const ndjson = await c.post('/v1/events', JSON.stringify(makeEvent({ actor: 'bob@platform', time: '2024-05-01T10:00:00Z' })) + '\n', {
      'content-type': 'application/x-ndjson',
    });
    expect(ndjson.statusCode).toBe(202);

    const actors = await c.warehouse.query(sql`SELECT DISTINCT actor FROM events WHERE org = ${'acme'} ORDER BY actor`, z.object({ actor: z.string() }), { org: 'acme' });
    const people = await c.warehouse.query(sql`SELECT id, manager FROM people FINAL WHERE org = ${'acme'} ORDER BY id`, z.object({ id: z.string(), manager: z.string() }), { org: 'acme' });
    const all = [...actors.map((a) => a.actor), ...people.map((p) => p.id), ...people.map((p) => p.manager).filter(Boolean)];
    expect(all.length).toBe(5);
    expect(all.every(isPseudonym)).toBe(true);
    expect(JSON.stringify([actors, people])).not.toContain('@platform');

    const p = (await pseudonymiserFor(c.warehouse, 'acme'))!;
    expect(actors.map((a) => a.actor).sort()).toEqual([p('alice@platform'), p('bob@platform')].sort());
    expect(people.find((x) => x.id === p('alice@platform'))?.manager).toBe(p('bob@platform'));
  });

  it('keeps metrics working: pseudonymised activity lands in the right department', async () => {
    await runJobs({ warehouse: c.warehouse, clock: { now: () => Date.parse('2024-05-02T00:00:00Z') }, log: () => {} }, { range: { from: '2024-05-01', to: '2024-05-01' } });
    const org = (await findOrg(c.warehouse, 'acme'))!;
    // k = 1: two people, and this test is about attribution, not suppression.
    const { points } = await readMetric(c.warehouse, { org, metric: findMetric('active_rate')!, from: '2024-05-01', to: '2024-05-01', groupBy: 'department', stat: 'p50', k: 1 });
    // Both licensed people of Finance were active: 2 of 2 person-days.
    expect(points.find((x) => x.department === 'fin')).toMatchObject({ value: 1, n: 2 });
  });
});
