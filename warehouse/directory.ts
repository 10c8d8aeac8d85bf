// Upserts the directory: departments by id, people by (id, validFrom) so history is kept.
import type { Directory } from '../contracts/directory.ts';
import type { Warehouse } from './client.ts';
import { formatDateTime } from './row-values.ts';

export async function upsertDirectory(warehouse: Warehouse, directory: Directory): Promise<{ departments: number; people: number }> {
  const now = formatDateTime(Date.now());
  const org = directory.org;
  await warehouse.insert(
    'departments',
    directory.departments.map((d) => ({ org, id: d.id, name: d.name, parent: d.parent ?? '', updated_at: now })),
  );
  await warehouse.insert(
    'people',
    directory.people.map((p) => ({
      org,
      id: p.id,
      valid_from: p.validFrom ?? p.hiredAt ?? '1970-01-01',
      department: p.department,
      manager: p.manager ?? '',
      level: p.level ?? '',
      location: p.location ?? '',
      timezone: p.timezone ?? '',
      hired_at: p.hiredAt ?? null,
      left_at: p.leftAt ?? null,
      licensed: p.licensed ? 1 : 0,
      wave: p.wave ?? '',
      ambassador: p.ambassador ? 1 : 0,
      updated_at: now,
    })),
  );
  return { departments: directory.departments.length, people: directory.people.length };
}
