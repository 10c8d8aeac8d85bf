// The lock that keeps job runs from overlapping, across processes and hosts: a claim row in
// ClickHouse stamped by the server clock, renewed by heartbeat, that expires if its holder dies.
// A claimant wins only if no other live claim is as old as its own (equal stamps: both back off),
// so two runners can never both proceed; a crashed holder blocks others for at most `ttlSec`.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Warehouse } from '../warehouse/client.ts';
import { sql } from '../warehouse/sql.ts';

export interface LockOptions {
  name?: string;
  /** How long a claim lives without a heartbeat. */
  ttlSec?: number;
  heartbeatMs?: number;
  holder?: string;
}

export interface HeldLock {
  holder: string;
  release(): Promise<void>;
}

const claimRow = z.object({ holder: z.string(), claimed: z.coerce.number() });

let counter = 0;
/** Replacing version: later writes by the same holder must win even within one millisecond. */
const nextVersion = () => Date.now() * 1000 + (counter++ % 1000);

export async function acquireJobLock(warehouse: Warehouse, options: LockOptions = {}): Promise<HeldLock | undefined> {
  const name = options.name ?? 'jobs';
  const ttl = options.ttlSec ?? 120;
  const holder = options.holder ?? randomUUID();
  await warehouse.command(
    sql`INSERT INTO job_locks (name, holder, claimed_at, expires_at, version)
        SELECT ${name}, ${holder}, now(), now() + ${ttl}, toUInt64(${nextVersion()})`,
    'system',
  );
  const live = await warehouse.query(
    sql`SELECT holder, toUInt64(claimed_at) AS claimed FROM job_locks FINAL WHERE name = ${name} AND expires_at > now()`,
    claimRow,
    'system',
  );
  const mine = live.find((c) => c.holder === holder);
  const release = async () => {
    await warehouse.command(
      sql`INSERT INTO job_locks (name, holder, claimed_at, expires_at, version)
          SELECT ${name}, ${holder}, toDateTime(0, 'UTC'), toDateTime(0, 'UTC'), toUInt64(${nextVersion()})`,
      'system',
    );
  };
  if (!mine || live.some((c) => c.holder !== holder && c.claimed <= mine.claimed)) {
    await release();
    return undefined;
  }
  let beating: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    beating = warehouse
      .command(
        sql`INSERT INTO job_locks (name, holder, claimed_at, expires_at, version)
            SELECT name, holder, claimed_at, now() + ${ttl}, toUInt64(${nextVersion()})
            FROM job_locks FINAL WHERE name = ${name} AND holder = ${holder}`,
        'system',
      )
      .catch(() => {
        // A missed heartbeat is retried on the next tick; the claim only lapses after ttlSec.
      });
  }, options.heartbeatMs ?? 20_000);
  timer.unref();
  return {
    holder,
    async release() {
      clearInterval(timer);
      await beating; // a renewal still in flight must land before the release, or it would revive the claim
      await release();
    },
  };
}
