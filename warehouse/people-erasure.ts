// Erasure of one person (`waypoint people erase`): their events and directory rows are deleted with
// ClickHouse mutations, the command waits until every mutation is done, and the rollups of the days
// their data touched are recomputed, so no figure still counts them.
//
// PERSON_COLUMNS is the list of every column that holds a person id; a test compares it with the
// schema (system.columns), so a new table with a person column cannot be forgotten here.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Warehouse } from './client.ts';
import { ident, sql, timezone } from './sql.ts';
import { getOrg, type Org } from './orgs.ts';
import { audit } from './audit-log.ts';

export interface PersonColumn {
  table: string;
  column: string;
  /** `delete` removes the row; `blank` sets the column to '' (a reference to the person in someone else's row). */
  mode: 'delete' | 'blank';
}

export const PERSON_COLUMNS: readonly PersonColumn[] = [
  { table: 'events', column: 'actor', mode: 'delete' },
  { table: 'people', column: 'id', mode: 'delete' },
  // Other people's directory rows name them as manager: keep the rows, drop the reference.
  { table: 'people', column: 'manager', mode: 'blank' },
  { table: 'adoption_people', column: 'person', mode: 'delete' },
];

export class ErasureError extends Error {
  override name = 'ErasureError';
}

export interface ErasureResult {
  org: string;
  events: number;
  directoryRows: number;
  /** The local days whose rollups were recomputed, when the person had any data. */
  recomputed?: { from: string; to: string };
}

export interface ErasureOptions {
  /**
   * Recomputes the rollups for an inclusive range of days (the CLI passes `runJobs` with that range).
   * Omitted: rollups are left for the next scheduled run, and the result says which days need it.
   */
  recompute?: (range: { from: string; to: string }) => Promise<void>;
  /** The day today is in the organisation's timezone (YYYY-MM-DD); headcount changes run to it. */
  today: string;
  /** How far the jobs' rollups reach around an event's day (max `affects` over all jobs). */
  affects?: { back: number; forward: number };
  /** Give up waiting for the mutations after this long (default 10 minutes). */
  mutationTimeoutMs?: number;
  /** Who asked, for the audit log (default `cli`). */
  actor?: string;
}

const spanRow = z.object({ first: z.string(), last: z.string(), n: z.coerce.number() });
const countRow = z.object({ n: z.coerce.number() });
const pendingRow = z.object({ n: z.coerce.number(), failed: z.string() });

async function eventSpan(warehouse: Warehouse, org: Org, person: string) {
  const rows = await warehouse.query(
    sql`SELECT if(count() = 0, '', toString(min(toDate(time, ${timezone(org.timezone)})))) AS first, if(count() = 0, '', toString(max(toDate(time, ${timezone(org.timezone)})))) AS last, count() AS n
        FROM events WHERE org = ${org.id} AND actor = ${person}`,
    spanRow,
    { org: org.id },
  );
  const row = rows[0];
  return row && row.n > 0 ? row : undefined;
}

async function directorySpan(warehouse: Warehouse, org: Org, person: string) {
  const rows = await warehouse.query(
    sql`SELECT if(count() = 0, '', toString(min(valid_from))) AS first, if(count() = 0, '', toString(max(valid_from))) AS last, count() AS n
        FROM people WHERE org = ${org.id} AND id = ${person}`,
    spanRow,
    { org: org.id },
  );
  const row = rows[0];
  return row && row.n > 0 ? row : undefined;
}

/** Waits until no mutation on these tables of this database is still running. */
export async function waitForMutations(warehouse: Warehouse, tables: readonly string[], timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    const rows = await warehouse.query(
      sql`SELECT count() AS n, toString(any(command)) AS failed FROM system.mutations
          WHERE database = ${warehouse.database} AND has(${tables}, table) AND is_done = 0`,
      pendingRow,
      'system',
    );
    if ((rows[0]?.n ?? 0) === 0) return;
    if (Date.now() > deadline) throw new ErasureError(`mutations still running after ${timeoutMs} ms: ${rows[0]?.failed ?? ''}`);
    await sleep(delay);
  }
}

function earlier(a: string, b: string): string {
  return a < b ? a : b;
}

function addDays(dayText: string, n: number): string {
  const d = new Date(`${dayText}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * Erases one person of one organisation. `person` is the id as stored (the pseudonym when the
 * organisation pseudonymises; the CLI converts). Safe to re-run: a second run finds nothing.
 */
export async function erasePerson(warehouse: Warehouse, orgId: string, person: string, options: ErasureOptions): Promise<ErasureResult> {
  if (person === '') throw new ErasureError('the person id is empty');
  const org = await getOrg(warehouse, orgId);
  const events = await eventSpan(warehouse, org, person);
  const directory = await directorySpan(warehouse, org, person);

  const tables = [...new Set(PERSON_COLUMNS.map((c) => c.table))];
  for (const { table, column, mode } of PERSON_COLUMNS) {
    const where = sql`org = ${org.id} AND ${ident(column)} = ${person}`;
    const count = await warehouse.query(sql`SELECT count() AS n FROM ${ident(table)} WHERE ${where}`, countRow, { org: org.id });
    if ((count[0]?.n ?? 0) === 0) continue;
    await warehouse.command(
      mode === 'delete'
        ? sql`ALTER TABLE ${ident(table)} DELETE WHERE ${where}`
        : sql`ALTER TABLE ${ident(table)} UPDATE ${ident(column)} = '' WHERE ${where}`,
      { org: org.id },
    );
  }
  await waitForMutations(warehouse, tables, options.mutationTimeoutMs);

  const affects = options.affects ?? { back: 0, forward: 0 };
  let recomputed: ErasureResult['recomputed'];
  if (events || directory) {
    // An event on day X changes rollup days X − back … X + forward; a directory row changes
    // headcount and attribution from its valid_from up to today.
    const starts = [events ? addDays(events.first, -affects.back) : undefined, directory?.first].filter((d): d is string => d !== undefined);
    const from = starts.reduce(earlier);
    const lastEventReach = events ? addDays(events.last, affects.forward) : options.today;
    const to = lastEventReach > options.today ? lastEventReach : options.today;
    recomputed = { from, to };
    await options.recompute?.(recomputed);
  }

  // The log keeps proof that an erasure happened without keeping whom it concerned in clear.
  const fingerprint = createHash('sha256').update(`${org.id}\u0000${person}`).digest('hex').slice(0, 16);
  await audit(warehouse, {
    org: org.id,
    actor: options.actor ?? 'cli',
    action: 'person.erase',
    target: `person:${fingerprint}`,
    detail: { events: events?.n ?? 0, directoryRows: directory?.n ?? 0, ...(recomputed ? { recomputed } : {}) },
  });
  return { org: org.id, events: events?.n ?? 0, directoryRows: directory?.n ?? 0, ...(recomputed ? { recomputed } : {}) };
}
