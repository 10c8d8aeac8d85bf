// People erasure (waited-for mutations, rollups recomputed without the person), the retention job,
// the audit log, and the schema guard that keeps PERSON_COLUMNS complete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { retentionJob } from '../../../jobs/retention.ts';
import { runJobs } from '../../../jobs/run-jobs.ts';
import { JOBS } from '../../../jobs/registry.ts';
import { audit, listAuditLog } from '../../../warehouse/audit-log.ts';
import { upsertOrg } from '../../../warehouse/orgs.ts';
import { PERSON_COLUMNS, erasePerson, waitForMutations } from '../../../warehouse/people-erasure.ts';
import { monthPartition } from '../../../warehouse/privacy/housekeeping.ts';
import { getRetentionDays, setRetentionDays } from '../../../warehouse/privacy/retention.ts';
import { enablePseudonymisation, pseudonymiserFor } from '../../../warehouse/pseudonymise.ts';
import { formatDateTime } from '../../../warehouse/row-values.ts';
import { sql } from '../../../warehouse/sql.ts';
import { createTestWarehouse, type TestWarehouse } from '../../support/test-warehouse.ts';

let db: TestWarehouse;
const log = () => {};
const countRow = z.object({ n: z.coerce.number() });

function event(id: number, actor: string, day: string, hour = 3) {
  return {
    id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    org: 'acme',
    type: 'message.sent',
    time: `${day} ${String(hour).padStart(2, '0')}:00:00`,
    time_ms: 0,
    actor,
    conversation: 'c1',
    object: `m${id}`,
    parent: '',
    channel: 'im',
    source: 'api',
    urgent: 0,
    recipients: 1,
    kind: '',
    outcome: '',
    amount: 0,
    duration_sec: 0,
    attendees: 0,
    automated: 0,
    received_at: formatDateTime(Date.now()),
  };
}

function person(id: string, manager = '') {
  return {
    org: 'acme', id, valid_from: '2025-01-01', department: 'fin', manager, level: '', location: '', timezone: '',
    hired_at: null, left_at: null, licensed: 1, wave: '', ambassador: 0, updated_at: formatDateTime(Date.now()),
  };
}

async function count(statement: ReturnType<typeof sql>): Promise<number> {
  return (await db.warehouse.query(statement, countRow, 'system'))[0]?.n ?? 0;
}

beforeAll(async () => {
  db = await createTestWarehouse();
  await upsertOrg(db.warehouse, { id: 'acme', name: 'Acme', timezone: 'Asia/Hong_Kong' });
  await upsertOrg(db.warehouse, { id: 'globex', name: 'Globex', timezone: 'UTC' });
});

afterAll(async () => {
  await db?.drop();
});

describe('PERSON_COLUMNS', () => {
  it('names every column of the schema that holds a person id', async () => {
    // audit_log.actor holds dashboard users' emails, not directory person ids.
    const rows = await db.warehouse.query(
      sql`SELECT table, name FROM system.columns WHERE database = ${db.warehouse.database} AND table != 'audit_log'
          AND (name IN ('actor', 'person', 'manager', 'person_id') OR (table = 'people' AND name = 'id'))`,
      z.object({ table: z.string(), name: z.string() }),
      'system',
    );
    const listed = new Set(PERSON_COLUMNS.map((c) => `${c.table}.${c.column}`));
    expect(rows.map((r) => `${r.table}.${r.name}`).filter((c) => !listed.has(c))).toEqual([]);
  });
});

describe('erasePerson', () => {
  it("deletes the person's events and directory rows, blanks them as manager, and recomputes rollups without them", async () => {
    const days = ['2025-03-03', '2025-03-04', '2025-03-05'];
    const people = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
    let id = 0;
    await db.warehouse.insert('events', people.flatMap((p) => days.map((d) => event(++id, p, d))));
    await db.warehouse.insert('events', [{ ...event(++id, 'alice', '2025-03-04'), org: 'globex' }]);
    await db.warehouse.insert('people', [person('alice'), ...people.slice(1).map((p) => person(p, 'alice'))]);
    const range = { from: '2025-03-03', to: '2025-03-05' };
    await runJobs({ warehouse: db.warehouse, clock: { now: () => Date.parse('2025-03-06T00:00:00Z') }, log }, { range, retries: 0 });
    const activeOn = async (d: string) =>
      count(sql`SELECT toUInt64(uniqExactMerge(people)) AS n FROM activity_daily FINAL WHERE org = 'acme' AND day = toDate(${d})`);
    expect(await activeOn('2025-03-04')).toBe(6);

    const recomputed: { from: string; to: string }[] = [];
    const result = await erasePerson(db.warehouse, 'acme', 'alice', {
      today: '2025-03-06',
      affects: { back: 1, forward: 1 },
      recompute: async (r) => {
        recomputed.push(r);
        await runJobs({ warehouse: db.warehouse, clock: { now: () => Date.parse('2025-03-06T00:00:00Z') }, log }, { range: r, retries: 0 });
      },
    });
    expect(result).toMatchObject({ org: 'acme', events: 3, directoryRows: 1 });
    expect(recomputed).toEqual([{ from: '2025-01-01', to: '2025-03-06' }]);
    expect(await count(sql`SELECT count() AS n FROM events WHERE org = 'acme' AND actor = 'alice'`)).toBe(0);
    expect(await count(sql`SELECT count() AS n FROM people WHERE org = 'acme' AND (id = 'alice' OR manager = 'alice')`)).toBe(0);
    expect(await count(sql`SELECT count() AS n FROM people WHERE org = 'acme'`)).toBe(5);
    // Another organisation's "alice" is someone else and stays.
    expect(await count(sql`SELECT count() AS n FROM events WHERE org = 'globex' AND actor = 'alice'`)).toBe(1);
    expect(await activeOn('2025-03-04')).toBe(5);
    // The audit entry proves the erasure without naming the person.
    const entries = await listAuditLog(db.warehouse, 'acme', { actions: ['person.erase'] });
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries)).not.toContain('alice');

    const again = await erasePerson(db.warehouse, 'acme', 'alice', { today: '2025-03-06' });
    expect(again).toEqual({ org: 'acme', events: 0, directoryRows: 0 });
  });

  it('finds a pseudonymised person by the pseudonym of their platform id', async () => {
    await enablePseudonymisation(db.warehouse, 'globex');
    expect(await enablePseudonymisation(db.warehouse, 'globex')).toBe(false);
    const pseudonymise = (await pseudonymiserFor(db.warehouse, 'globex'))!;
    const stored = pseudonymise('u-12345');
    await db.warehouse.insert('events', [{ ...event(9001, stored, '2025-03-04'), org: 'globex' }]);
    const result = await erasePerson(db.warehouse, 'globex', pseudonymise('u-12345'), { today: '2025-03-06' });
    expect(result.events).toBe(1);
  });
});

describe('retention', () => {
  it('the job deletes events older than the period, leaves newer ones and other orgs alone, and audits it', async () => {
    await db.warehouse.insert('events', [
      { ...event(5001, 'old', '2024-01-10'), org: 'globex' },
      { ...event(5002, 'new', '2025-03-01'), org: 'globex' },
    ]);
    await db.warehouse.insert('events', [event(5003, 'old-acme', '2024-01-10')]);
    await expect(setRetentionDays(db.warehouse, 'globex', 5, 'test')).rejects.toThrow(/31 to 3650/);
    await setRetentionDays(db.warehouse, 'globex', 365, 'test');
    expect(await getRetentionDays(db.warehouse, 'globex')).toBe(365);
    const results = await runJobs(
      { warehouse: db.warehouse, clock: { now: () => Date.parse('2025-03-10T00:00:00Z') }, log },
      { jobs: [retentionJob], retries: 0 },
    );
    expect(results.find((r) => r.org === 'globex')?.rows).toBe(1);
    expect(results.find((r) => r.org === 'acme')?.rows).toBe(0);
    await waitForMutations(db.warehouse, ['events']);
    expect(await count(sql`SELECT count() AS n FROM events WHERE org = 'globex' AND actor = 'old'`)).toBe(0);
    expect(await count(sql`SELECT count() AS n FROM events WHERE org = 'globex' AND actor = 'new'`)).toBe(1);
    expect(await count(sql`SELECT count() AS n FROM events WHERE org = 'acme' AND actor = 'old-acme'`)).toBe(1);
    expect((await listAuditLog(db.warehouse, 'globex', { actions: ['retention.purge'] }))[0]?.detail).toContain('"cutoff":"2024-03-10"');
    await setRetentionDays(db.warehouse, 'globex', undefined, 'test');
    expect(await getRetentionDays(db.warehouse, 'globex')).toBeUndefined();
  });

  it('drops sign-in attempts older than last month and ingestion counters older than three months', async () => {
    const attempt = (at: string) => ({ key_hash: 'h', kind: 'email', outcome: 0, attempt_id: at, at, at_ms: Date.parse(`${at.replace(' ', 'T')}Z`) });
    await db.warehouse.insert('login_attempts', ['2025-01-31 23:59:59', '2025-02-01 00:00:00', '2025-03-09 12:00:00'].map(attempt));
    const stat = (minute: string) => ({ org: 'acme', minute, collector: 'c1', metric: 'accepted', reason: '', value: 1 });
    await db.warehouse.insert('ingest_stats', ['2024-11-30 23:59:00', '2024-12-01 00:00:00', '2025-03-09 12:00:00'].map(stat));
    // 2025-03-10: keep February and March of attempts; December to March of counters.
    const now = Date.parse('2025-03-10T00:00:00Z');
    expect([monthPartition(now, 1), monthPartition(now, 3), monthPartition(Date.parse('2025-01-15T00:00:00Z'), 1)]).toEqual(['202502', '202412', '202412']);
    await runJobs({ warehouse: db.warehouse, clock: { now: () => now }, log }, { jobs: [retentionJob], retries: 0 });
    const left = z.object({ at: z.string() });
    expect((await db.warehouse.query(sql`SELECT toString(at) AS at FROM login_attempts ORDER BY at`, left, 'system')).map((r) => r.at)).toEqual([
      '2025-02-01 00:00:00',
      '2025-03-09 12:00:00',
    ]);
    expect((await db.warehouse.query(sql`SELECT toString(minute) AS at FROM ingest_stats WHERE org = 'acme' ORDER BY minute`, left, { org: 'acme' })).map((r) => r.at)).toEqual([
      '2024-12-01 00:00:00',
      '2025-03-09 12:00:00',
    ]);
  });

  it('is a Job that the registry can run last', () => {
    expect(retentionJob.name).toBe('retention');
    expect(JOBS.every((j) => j.name !== 'retention') || JOBS.at(-1)?.name === 'retention').toBe(true);
  });
});

describe('audit log', () => {
  it('is scoped per organisation and clips oversized fields', async () => {
    await audit(db.warehouse, { org: 'acme', actor: 'a@acme.test', action: 'settings.change', target: 'roi', detail: { field: 'x'.repeat(10_000) } });
    await audit(db.warehouse, { org: 'globex', actor: 'b@globex.test', action: 'settings.change', target: 'roi' });
    const acme = await listAuditLog(db.warehouse, 'acme', { actions: ['settings.change'] });
    expect(acme).toHaveLength(1);
    expect(acme[0]!.detail.length).toBeLessThanOrEqual(4096);
    expect(acme.every((e) => e.org === 'acme')).toBe(true);
  });
});
