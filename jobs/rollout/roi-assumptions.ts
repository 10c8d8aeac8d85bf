// ROI assumptions: every number an ROI figure depends on that is not measured, each with low, base
// and high values, editable per organisation. The defaults are assumptions, documented in docs/roi.md.
import { z } from 'zod';

const range = z
  .object({ low: z.number().finite().min(0), base: z.number().finite().min(0), high: z.number().finite().min(0) })
  .refine((r) => r.low <= r.base && r.base <= r.high, 'must satisfy low ≤ base ≤ high');
export type AssumptionRange = z.output<typeof range>;

export const roiAssumptionsSchema = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/).default('HKD'),
  /** Loaded cost of one working hour, per level (`default` applies to levels not listed). */
  hourlyCostByLevel: z.record(z.string(), range).refine((r) => 'default' in r, 'needs a `default` level'),
  licencePerSeatMonth: range,
  /** One-off rollout and training cost per seat. */
  rolloutCostPerSeat: range,
  /** Minutes of manual work one automated workflow event replaces. */
  minutesPerManualOperation: range,
  /** Share of waiting time saved that turns into productive time (0–1). */
  productiveFraction: range.refine((r) => r.high <= 1, 'is a fraction (≤ 1)'),
  /** Cost of one day of delay, per approval kind (`default` for kinds not listed). */
  delayCostPerDayByKind: z.record(z.string(), range).refine((r) => 'default' in r, 'needs a `default` kind'),
  horizonMonths: z.number().int().min(1).max(60).default(12),
});
export type RoiAssumptions = z.output<typeof roiAssumptionsSchema>;

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
  delayCostPerDayByKind: {
    default: { low: 100, base: 200, high: 400 },
    procurement: { low: 500, base: 1000, high: 2000 },
    expense: { low: 50, base: 100, high: 200 },
    leave: { low: 0, base: 20, high: 50 },
  },
  horizonMonths: 12,
});
