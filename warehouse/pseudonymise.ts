// Pseudonymisation of person ids at ingest: with it enabled for an organisation, the collector
// replaces every person id (event `actor`, directory `id` and `manager`) by a keyed HMAC under a
// per-organisation secret before anything is stored, so the warehouse never holds the platform's
// real user ids. The same id always maps to the same pseudonym, so every metric still works.
//
// Why keyed: a plain hash of a user id can be reversed by hashing the (small, guessable) directory
// of ids; without the secret that is impossible. The secret lives in org_secrets; whoever can read
// that table and has the platform's id list can re-identify, so ClickHouse access stays restricted.
import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Directory } from '../contracts/directory.ts';
import type { Warehouse } from './client.ts';
import { formatDateTime } from './row-values.ts';
import { sql } from './sql.ts';

const PURPOSE = 'pseudonym';
/** Pseudonyms look like `p_` + 32 hex digits (128 bits of the HMAC): unmistakable in data. */
const PREFIX = 'p_';

export type Pseudonymiser = (personId: string) => string;

/** The pseudonym of one id under a secret. Pure; the org is mixed in so one secret never serves two orgs alike. */
export function pseudonymise(secret: Buffer, org: string, personId: string): string {
  const mac = createHmac('sha256', secret).update(org).update('\u0000').update(personId).digest();
  return PREFIX + mac.subarray(0, 16).toString('hex');
}

export function isPseudonym(id: string): boolean {
  return /^p_[0-9a-f]{32}$/.test(id);
}

const secretRow = z.object({ secret: z.string() });

async function readSecret(warehouse: Warehouse, org: string): Promise<Buffer | undefined> {
  const rows = await warehouse.query(
    sql`SELECT secret FROM org_secrets FINAL WHERE org = ${org} AND purpose = ${PURPOSE} LIMIT 1`,
    secretRow,
    { org },
  );
  const text = rows[0]?.secret;
  return text ? Buffer.from(text, 'base64') : undefined;
}

/**
 * Turns pseudonymisation on for an organisation by creating its secret; a second call keeps the
 * existing secret (a new one would split every person's history in two). Returns whether it was new.
 */
export async function enablePseudonymisation(warehouse: Warehouse, org: string): Promise<boolean> {
  if (await readSecret(warehouse, org)) return false;
  await warehouse.insert('org_secrets', [
    { org, purpose: PURPOSE, secret: randomBytes(32).toString('base64'), created_at: formatDateTime(Date.now()) },
  ]);
  return true;
}

/** The organisation's pseudonymiser, or undefined when pseudonymisation is off for it. */
export async function pseudonymiserFor(warehouse: Warehouse, org: string): Promise<Pseudonymiser | undefined> {
  const secret = await readSecret(warehouse, org);
  return secret ? (personId) => pseudonymise(secret, org, personId) : undefined;
}

/**
 * A per-process cache for the collector's hot path: one lookup per organisation per `ttlMs`
 * (default one minute), so enabling pseudonymisation takes effect within that time.
 */
export function createPseudonymiserCache(warehouse: Warehouse, ttlMs = 60_000, now: () => number = Date.now) {
  const cache = new Map<string, { at: number; value: Promise<Buffer | undefined> }>();
  const secretFor = (org: string): Promise<Buffer | undefined> => {
    const hit = cache.get(org);
    if (hit && now() - hit.at < ttlMs) return hit.value;
    const value = readSecret(warehouse, org);
    cache.set(org, { at: now(), value });
    // A failed lookup is not cached: the next batch asks again.
    value.catch(() => cache.delete(org));
    return value;
  };
  return {
    /** The secret itself, for code that pseudonymises elsewhere (the collector's parse workers). */
    secretFor,
    async forOrg(org: string): Promise<Pseudonymiser | undefined> {
      const secret = await secretFor(org);
      return secret ? (personId) => pseudonymise(secret, org, personId) : undefined;
    },
  };
}

/** The directory with every person id and manager replaced by its pseudonym. */
export function pseudonymiseDirectory(directory: Directory, secret: Buffer): Directory {
  const p = (id: string) => pseudonymise(secret, directory.org, id);
  return {
    ...directory,
    people: directory.people.map((person) => ({ ...person, id: p(person.id), ...(person.manager ? { manager: p(person.manager) } : {}) })),
  };
}
