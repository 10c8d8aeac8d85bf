// Organisation settings are versioned, validated with precise errors, audited, and never lost to a concurrent edit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_ROI_ASSUMPTIONS } from '../../../jobs/rollout/roi-assumptions.ts';
import { getSettings, InvalidSettingsError, listSettingsHistory, saveSettings, SettingsConflictError } from '../../../warehouse/org-settings.ts';
import { sql } from '../../../warehouse/sql.ts';
import { makeRolloutPlan } from '../../support/rollout-plan.ts';
import { createTestWarehouse, type TestWarehouse } from '../../support/test-warehouse.ts';

let t: TestWarehouse;
beforeAll(async () => {
  t = await createTestWarehouse();
});
afterAll(async () => {
  await t.drop();
});

describe('org settings', () => {
  it('saves versions with who and when, and reads the latest', async () => {
    expect(await getSettings(t.warehouse, 'acme', 'roi')).toBeUndefined();
    await saveSettings(t.warehouse, { org: 'acme', section: 'roi', value: DEFAULT_ROI_ASSUMPTIONS, changedBy: 'cfo@acme.example', expectedVersion: 0, now: Date.parse('2024-01-02T03:04:05Z') });
    const changed = { ...DEFAULT_ROI_ASSUMPTIONS, horizonMonths: 24 };
    await saveSettings(t.warehouse, { org: 'acme', section: 'roi', value: changed, changedBy: 'ceo@acme.example', expectedVersion: 1, note: 'two-year view' });
    const current = await getSettings(t.warehouse, 'acme', 'roi');
    expect(current).toMatchObject({ version: 2, changedBy: 'ceo@acme.example', note: 'two-year view' });
    expect(current?.value.horizonMonths).toBe(24);
    const history = await listSettingsHistory(t.warehouse, 'acme', 'roi');
    expect(history.map((h) => [h.version, h.changedBy])).toEqual([
      [2, 'ceo@acme.example'],
      [1, 'cfo@acme.example'],
    ]);
    expect(history[1]?.changedAt).toBe('2024-01-02 03:04:05');
  });

  it('refuses a save based on an outdated version', async () => {
    await expect(
      saveSettings(t.warehouse, { org: 'acme', section: 'roi', value: DEFAULT_ROI_ASSUMPTIONS, changedBy: 'x', expectedVersion: 1 }),
    ).rejects.toBeInstanceOf(SettingsConflictError);
  });

  it('names the invalid field', async () => {
    const plan = makeRolloutPlan();
    const bad = { ...plan, stages: { ...plan.stages, waves: '2024-01-15' } };
    const error = await saveSettings(t.warehouse, { org: 'acme', section: 'rollout', value: bad, changedBy: 'x', expectedVersion: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSettingsError);
    expect((error as InvalidSettingsError).issues).toContainEqual({ field: 'stages.waves', reason: 'must not be before pilot' });
  });

  it('keeps organisations apart', async () => {
    expect(await getSettings(t.warehouse, 'globex', 'roi')).toBeUndefined();
  });

  it('publishes the plan\'s wave start days for the adoption metrics', async () => {
    await saveSettings(t.warehouse, { org: 'acme', section: 'rollout', value: makeRolloutPlan(), changedBy: 'cm@acme.example', expectedVersion: 0 });
    const waves = await t.warehouse.query(
      sql`SELECT wave, toString(start_day) AS start FROM waves FINAL WHERE org = ${'acme'} ORDER BY wave`,
      z.object({ wave: z.string(), start: z.string() }),
      { org: 'acme' },
    );
    expect(waves).toEqual([
      { wave: 'pilot', start: '2024-02-05' },
      { wave: 'wave-1', start: '2024-03-04' },
    ]);
  });
});
