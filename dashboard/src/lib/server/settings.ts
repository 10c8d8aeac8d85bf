// The organisation's settings as the pages use them: the saved rollout plan, KPI targets and ROI
// assumptions, or the documented defaults while none are saved. A missing settings table (an older
// database) reads as "nothing saved".
import { DEFAULT_ROI_ASSUMPTIONS } from '$jobs/rollout/roi-assumptions.ts';
import type { KpiTarget, RoiAssumptions, RolloutPlan } from '$contracts/settings.ts';
import type { Warehouse } from '$warehouse/client.ts';
import { getSettings } from '$warehouse/org-settings.ts';

export interface OrgSettings {
  plan: RolloutPlan | undefined;
  kpis: KpiTarget[] | undefined;
  roi: RoiAssumptions;
  roiSaved: boolean;
}

async function orUndefined<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (err) {
    console.warn('settings: could not read organisation settings', err instanceof Error ? err.message : err);
    return undefined;
  }
}

export async function loadOrgSettings(warehouse: Warehouse, org: string): Promise<OrgSettings> {
  const [plan, kpis, roi] = await Promise.all([
    orUndefined(getSettings(warehouse, org, 'rollout')),
    orUndefined(getSettings(warehouse, org, 'kpis')),
    orUndefined(getSettings(warehouse, org, 'roi')),
  ]);
  return { plan: plan?.value, kpis: kpis?.value, roi: roi?.value ?? DEFAULT_ROI_ASSUMPTIONS, roiSaved: roi !== undefined };
}
