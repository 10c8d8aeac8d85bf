// ROI against numbers worked out by hand (the same example as docs/roi.md).
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROI_ASSUMPTIONS, roiAssumptionsSchema } from '../../../jobs/rollout/roi-assumptions.ts';
import { blockedHoursSavedPerPersonWeek, computeRoi, computeRoiRange, type RoiMeasures } from '../../../jobs/rollout/roi.ts';

const measures: RoiMeasures = {
  seats: 100,
  people: 100,
  levelMix: { staff: 1 },
  meetingHoursSavedPerPersonWeek: 0.5,
  // E-mail replies took 20 h at the median; the pilot's DiD effect is −19.5 h (to 30 min); 20 replies
  // per person-week. Base: cap 1 h, blocking share 0.1 ⇒ (1 − 0.5) × 20 × 0.1 = 1 blocked hour saved.
  replyWait: { baselineSeconds: 20 * 3600, effectSeconds: -19.5 * 3600, repliesPerPersonWeek: 20 },
  approvals: { procurement: { daysSavedPerApproval: 2, approvalsPerMonth: 10 } },
  automatedOperationsPerMonth: 1000,
};

describe('computeRoi', () => {
  it('computes each component, the totals and payback (base)', () => {
    const r = computeRoi(measures, DEFAULT_ROI_ASSUMPTIONS, 'base');
    const monthly = Object.fromEntries(r.components.map((c) => [c.id, c.monthly]));
    // 0.5 h × 100 people × 52/12 weeks × 280 = 60,666.67
    expect(monthly.meetings).toBeCloseTo(60666.6667, 3);
    // 1 h × 100 × 52/12 × 0.35 × 280 = 42,466.67
    expect(monthly.waiting).toBeCloseTo(42466.6667, 3);
    // 2 days × 10 approvals × 1,000 = 20,000
    expect(monthly.approvals).toBe(20000);
    // 1,000 ops × 10 min ÷ 60 × 280 = 46,666.67
    expect(monthly.automation).toBeCloseTo(46666.6667, 3);
    expect(r.monthlyBenefit).toBeCloseTo(169800, 6);
    expect(r.monthlyLicence).toBe(6000);
    expect(r.oneOffCost).toBe(60000);
    expect(r.totalCost).toBe(132000);
    expect(r.netBenefit).toBeCloseTo(12 * 169800 - 132000, 6);
    expect(r.roi).toBeCloseTo((12 * 169800 - 132000) / 132000, 9);
    expect(r.paybackMonth).toBe(1);
  });

  it('finds a later payback month, and none when costs outrun benefits (low)', () => {
    const automationOnly: RoiMeasures = { ...measures, meetingHoursSavedPerPersonWeek: 0, replyWait: { baselineSeconds: 0, effectSeconds: 0, repliesPerPersonWeek: 0 }, approvals: {}, automatedOperationsPerMonth: 300 };
    // base: 300 × 10 ÷ 60 × 280 = 14,000/month; 14,000·m ≥ 60,000 + 6,000·m ⇒ m ≥ 7.5 ⇒ month 8.
    expect(computeRoi(automationOnly, DEFAULT_ROI_ASSUMPTIONS, 'base').paybackMonth).toBe(8);
    // low: 300 × 5 ÷ 60 × 200 = 5,000/month < licence 100 × 90 = 9,000/month: never.
    const low = computeRoi(automationOnly, DEFAULT_ROI_ASSUMPTIONS, 'low');
    expect(low.monthlyBenefit).toBeCloseTo(5000, 6);
    expect(low.paybackMonth).toBeNull();
    expect(low.netBenefit).toBeCloseTo(12 * 5000 - (100 * 1000 + 12 * 9000), 6);
  });

  it('orders low ≤ base ≤ high and counts nothing when nothing changed', () => {
    const range = computeRoiRange(measures, DEFAULT_ROI_ASSUMPTIONS);
    expect(range.low.netBenefit).toBeLessThan(range.base.netBenefit);
    expect(range.base.netBenefit).toBeLessThan(range.high.netBenefit);
    const none = computeRoi({ ...measures, meetingHoursSavedPerPersonWeek: 0, replyWait: { baselineSeconds: 0, effectSeconds: 0, repliesPerPersonWeek: 0 }, approvals: {}, automatedOperationsPerMonth: 0 }, DEFAULT_ROI_ASSUMPTIONS, 'base');
    expect(none.monthlyBenefit).toBe(0);
    expect(none.netBenefit).toBe(-132000);
  });

  it('counts blocked hours, not wall-clock latency: capped per wait and only the blocking share', () => {
    const wait = measures.replyWait;
    // base 1 h cap: (1 − 0.5) × 20 × 0.1 = 1; low 0.5 h cap: (0.5 − 0.5) = 0; high 2 h cap: (2 − 0.5) × 20 × 0.2 = 6.
    expect(blockedHoursSavedPerPersonWeek(wait, 1, 0.1)).toBeCloseTo(1, 12);
    expect(blockedHoursSavedPerPersonWeek(wait, 0.5, 0.05)).toBe(0);
    expect(blockedHoursSavedPerPersonWeek(wait, 2, 0.2)).toBeCloseTo(6, 12);
    // Slower replies cost time (negative), and an effect larger than the baseline stops at zero wait.
    expect(blockedHoursSavedPerPersonWeek({ baselineSeconds: 1800, effectSeconds: 1800, repliesPerPersonWeek: 10 }, 1, 0.1)).toBeCloseTo(-0.5, 12);
    expect(blockedHoursSavedPerPersonWeek({ baselineSeconds: 1800, effectSeconds: -3600, repliesPerPersonWeek: 10 }, 1, 0.1)).toBeCloseTo(0.5, 12);
    const range = computeRoiRange(measures, DEFAULT_ROI_ASSUMPTIONS);
    expect(range.low.components.find((c) => c.id === 'waiting')!.monthly).toBe(0);
    // high: 6 h × 100 × 52/12 × 0.5 × 360 = 468,000
    expect(range.high.components.find((c) => c.id === 'waiting')!.monthly).toBeCloseTo(468000, 6);
  });

  it('weights hourly cost by level mix, falling back to the default level', () => {
    const r = computeRoi({ ...measures, levelMix: { staff: 0.5, unknown: 0.5 } }, DEFAULT_ROI_ASSUMPTIONS, 'base');
    expect(r.hourlyCost).toBe(0.5 * 280 + 0.5 * 350);
  });
});

describe('roiAssumptionsSchema', () => {
  it('refuses ranges out of order and fractions above 1', () => {
    const bad = { ...DEFAULT_ROI_ASSUMPTIONS, licencePerSeatMonth: { low: 90, base: 60, high: 40 } };
    expect(roiAssumptionsSchema.safeParse(bad).success).toBe(false);
    const fraction = { ...DEFAULT_ROI_ASSUMPTIONS, productiveFraction: { low: 0.5, base: 1, high: 1.5 } };
    expect(roiAssumptionsSchema.safeParse(fraction).success).toBe(false);
  });
});
