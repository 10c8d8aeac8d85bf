// ROI assumptions: every number an ROI figure depends on that is not measured, each with low, base
// and high values, editable per organisation. The defaults are assumptions, documented in docs/roi.md.
import { roiAssumptionsSchema, type RoiAssumptions } from '../../contracts/settings.ts';

export { roiAssumptionsSchema, type AssumptionRange, type RoiAssumptions } from '../../contracts/settings.ts';

/** Assumptions, not facts: shown as such wherever they are used. */
export const DEFAULT_ROI_ASSUMPTIONS: RoiAssumptions = roiAssumptionsSchema.parse({
  currency: 'HKD',
  hourlyCostByLevel: {
    default: { low: 250, base: 350, high: 450 },
    staff: { low: 200, base: 280, high: 360 },
    manager: { low: 400, base: 520, high: 650 },
    director: { low: 700, base: 900, high: 1200 },
  },
  licencePerSeatMonth: { low: 40, base: 60, high: 90 },
  rolloutCostPerSeat: { low: 300, base: 600, high: 1000 },
  minutesPerManualOperation: { low: 5, base: 10, high: 15 },
  productiveFraction: { low: 0.2, base: 0.35, high: 0.5 },
  blockingReplyShare: { low: 0.05, base: 0.1, high: 0.2 },
  maxBlockedHoursPerWait: { low: 0.5, base: 1, high: 2 },
  delayCostPerDayByKind: {
    default: { low: 100, base: 200, high: 400 },
    procurement: { low: 500, base: 1000, high: 2000 },
    expense: { low: 50, base: 100, high: 200 },
    leave: { low: 0, base: 20, high: 50 },
  },
  horizonMonths: 12,
});
