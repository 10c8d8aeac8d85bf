// Records when each rollout wave starts, the anchor of days_to_activation (a person's activation is
// counted from the later of their wave's start and the day they were first licensed).
import type { Warehouse } from '../client.ts';
import { formatDateTime } from '../row-values.ts';

export async function upsertWaveStarts(warehouse: Warehouse, org: string, waves: readonly { wave: string; startDay: string }[]): Promise<void> {
  const now = formatDateTime(Date.now());
  await warehouse.insert(
    'waves',
    waves.map((w) => ({ org, wave: w.wave, start_day: w.startDay, updated_at: now })),
  );
}
