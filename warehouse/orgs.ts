// Organisations: id, display name and the IANA timezone their days and weeks are counted in.
import { z } from 'zod';
import { orgIdSchema } from '../contracts/events.ts';
import { timezoneSchema } from '../contracts/directory.ts';
import type { Warehouse } from './client.ts';
import { formatDateTime } from './row-values.ts';
import { sql } from './sql.ts';

export const orgSchema = z.object({
  id: orgIdSchema,
  name: z.string().min(1).max(200),
  timezone: timezoneSchema,
});
export type Org = z.output<typeof orgSchema>;

export class UnknownOrgError extends Error {
  override name = 'UnknownOrgError';
  constructor(readonly org: string) {
    super(`unknown organisation: ${org}`);
  }
}

/** Creates or renames an organisation (the latest write wins). */
export async function upsertOrg(warehouse: Warehouse, input: z.input<typeof orgSchema>): Promise<Org> {
  const org = orgSchema.parse(input);
  const now = formatDateTime(Date.now());
  const existing = await findOrg(warehouse, org.id);
  await warehouse.insert('orgs', [
    { id: org.id, name: org.name, timezone: org.timezone, created_at: now, updated_at: now },
  ]);
  return existing && existing.name === org.name && existing.timezone === org.timezone ? existing : org;
}

export async function findOrg(warehouse: Warehouse, id: string): Promise<Org | undefined> {
  const rows = await warehouse.query(
    sql`SELECT id, name, timezone FROM orgs FINAL WHERE id = ${id} LIMIT 1`,
    orgSchema,
    'system',
  );
  return rows[0];
}

export async function getOrg(warehouse: Warehouse, id: string): Promise<Org> {
  const org = await findOrg(warehouse, id);
  if (!org) throw new UnknownOrgError(id);
  return org;
}

export async function listOrgs(warehouse: Warehouse): Promise<Org[]> {
  return warehouse.query(sql`SELECT id, name, timezone FROM orgs FINAL ORDER BY id`, orgSchema, 'system');
}
