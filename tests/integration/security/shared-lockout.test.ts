// Lockout shared across dashboard replicas: two (then three) dashboard processes on one ClickHouse,
// each with its own memory, must count sign-in failures together, so running N replicas does not
// give an attacker N times the guesses. The count lives in login_attempts (migration 032).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createWarehouse } from '../../../warehouse/client.ts';
import { sql } from '../../../warehouse/sql.ts';
import { createTestWarehouse, type TestWarehouse } from '../../support/test-warehouse.ts';
import { PASSWORD, emailFor, postLogin, seedTwoOrgs, startDashboardProcess, stopDashboardProcess, type Dashboard } from './harness.ts';

let db: TestWarehouse;
let first: Dashboard;
let second: Dashboard;

// The replicas' statements are not recorded for the conformance replay (docs/clickhouse.md): two
// processes and a burst of parallel sign-ins race each other, and a replay in finishing order would
// read other rows. The same statements are recorded, sequentially, by auth-hardening.test.ts.
const UNRECORDED = { WAYPOINT_RECORD_SQL: '' };

beforeAll(async () => {
  db = await createTestWarehouse();
  await seedTwoOrgs(db);
  [first, second] = await Promise.all([startDashboardProcess(db, UNRECORDED), startDashboardProcess(db, UNRECORDED)]);
});

afterAll(async () => {
  await stopDashboardProcess(first);
  await stopDashboardProcess(second);
  await db?.drop();
});

describe('lockout shared by every dashboard replica', () => {
  it('counts failures on one replica toward the lockout on the other, and the lockout outlives a restart', async () => {
    const email = emailFor('acme', 'hr');
    for (let i = 0; i < 3; i++) expect((await postLogin(first.url, email, `wrong ${i}`)).status).toBe(400);
    // Four failures in all: the second replica still checks the password (and would accept it).
    expect((await postLogin(second.url, email, 'wrong 3')).status).toBe(400);
    // The fifth, on the second replica, reaches the limit both share.
    expect((await postLogin(second.url, email, 'wrong 4')).status).toBe(400);
    for (const replica of [first, second]) {
      const locked = await postLogin(replica.url, email, PASSWORD);
      expect(locked.status, replica.url).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    }
    // A replica started now, with empty memory, sees the same lockout.
    const third = await startDashboardProcess(db, UNRECORDED);
    try {
      expect((await postLogin(third.url, email, PASSWORD)).status).toBe(429);
      // Another account from the same address is unaffected (the address limit is 20).
      expect((await postLogin(third.url, emailFor('acme', 'executive'), PASSWORD)).status).toBe(303);
    } finally {
      await stopDashboardProcess(third);
    }
  });

  it('clears an e-mail\'s failures on any replica after a successful sign-in on another', async () => {
    const email = emailFor('acme', 'change_manager');
    for (let i = 0; i < 4; i++) expect((await postLogin(first.url, email, `wrong ${i}`)).status).toBe(400);
    expect((await postLogin(second.url, email, PASSWORD)).status).toBe(303);
    // Had the four stayed, this one failure on the first replica would make five and lock the account.
    expect((await postLogin(first.url, email, 'wrong again')).status).toBe(400);
    expect((await postLogin(first.url, email, PASSWORD)).status).toBe(303);
  });

  it('lets at most 5 of 30 simultaneous guesses on two replicas reach the password check', async () => {
    // Each attempt is written before its password is checked, so a burst sees itself: counting only
    // after the (deliberately slow) scrypt check would let all 30 through before the first failure landed.
    const email = emailFor('acme', 'executive');
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => postLogin((i % 2 === 0 ? first : second).url, email, `guess ${i}`)));
    const checked = burst.filter((r) => r.status === 400).length;
    const refused = burst.filter((r) => r.status === 429).length;
    expect(checked + refused).toBe(30);
    expect(checked).toBeLessThanOrEqual(5);
    expect((await postLogin(first.url, email, PASSWORD)).status).toBe(429);
  });

  it('stores hashes of e-mails and addresses, never the text typed into the e-mail field', async () => {
    await postLogin(first.url, 'typed-my-password-here', 'x');
    // Not recorded either: it reads what the unrecorded replicas wrote.
    const reader = createWarehouse({ ...db.config, recordFile: undefined });
    const rows = await reader
      .query(sql`SELECT key_hash, kind FROM login_attempts ORDER BY at_ms, key_hash, kind`, z.object({ key_hash: z.string(), kind: z.string() }), 'system')
      .finally(() => reader.close());
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash))).toBe(true);
    expect(JSON.stringify(rows)).not.toMatch(/typed-my-password|acme\.test|127\.0\.0\.1/);
  });
});
