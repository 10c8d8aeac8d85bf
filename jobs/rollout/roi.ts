// ROI from measured, control-adjusted changes (see docs/roi.md for the formulas and a worked example).
// Every benefit is counted only beyond the control group: inputs are difference-in-differences
// effects, not before/after changes. Each component returns the numbers it was computed from.
import type { AssumptionRange, RoiAssumptions } from './roi-assumptions.ts';

export const WEEKS_PER_MONTH = 52 / 12;

export type Scenario = 'low' | 'base' | 'high';

export interface RoiMeasures {
  /** Licensed seats paid for. */
  seats: number;
  /** People the per-person effects apply to (those on the platform). */
  people: number;
  /** Share of those people per level, summing to 1 (levels missing from assumptions use `default`). */
  levelMix: Record<string, number>;
  /** Meeting hours saved per person per week (DiD, positive = fewer hours). */
  meetingHoursSavedPerPersonWeek: number;
  /**
   * Reply waits: the pilot's baseline median reply latency and its DiD effect (seconds, negative =
   * faster), and replies per person-week. The waiting component turns them into blocked hours saved.
   */
  replyWait: { baselineSeconds: number; effectSeconds: number; repliesPerPersonWeek: number };
  /** Approval days saved per approval (DiD) and approvals per month, by kind. */
  approvals: Record<string, { daysSavedPerApproval: number; approvalsPerMonth: number }>;
  /** Automated workflow events per month that replace a manual operation. */
  automatedOperationsPerMonth: number;
}

export interface RoiComponent {
  id: 'meetings' | 'waiting' | 'approvals' | 'automation';
  monthly: number;
  formula: string;
  inputs: Record<string, number>;
}

export interface RoiResult {
  scenario: Scenario;
  currency: string;
  hourlyCost: number;
  components: RoiComponent[];
  monthlyBenefit: number;
  monthlyLicence: number;
  oneOffCost: number;
  horizonMonths: number;
  totalBenefit: number;
  totalCost: number;
  netBenefit: number;
  /** netBenefit ÷ totalCost. */
  roi: number;
  /** First month whose cumulative benefit covers cumulative cost; null if not within the horizon. */
  paybackMonth: number | null;
}

// In the low scenario benefits take their low values and costs their high ones; high is the reverse.
const benefitPick: Record<Scenario, keyof AssumptionRange> = { low: 'low', base: 'base', high: 'high' };
const costPick: Record<Scenario, keyof AssumptionRange> = { low: 'high', base: 'base', high: 'low' };

/**
 * Hours of blocked waiting saved per person-week. A wait costs at most `cap` hours (past that the person
 * has moved on), so a wait saves min(before, cap) − min(after, cap), where after = baseline + effect;
 * only the blocking share of replies count. Negative when replies got slower.
 */
export function blockedHoursSavedPerPersonWeek(wait: RoiMeasures['replyWait'], capHours: number, blockingShare: number): number {
  const before = Math.min(wait.baselineSeconds / 3600, capHours);
  const after = Math.min(Math.max(0, wait.baselineSeconds + wait.effectSeconds) / 3600, capHours);
  return (before - after) * wait.repliesPerPersonWeek * blockingShare;
}

function weightedHourlyCost(a: RoiAssumptions, mix: Record<string, number>, pick: keyof AssumptionRange): number {
  const total = Object.values(mix).reduce((s, v) => s + v, 0);
  if (total <= 0) return a.hourlyCostByLevel.default![pick];
  let cost = 0;
  for (const [level, share] of Object.entries(mix)) cost += (share / total) * (a.hourlyCostByLevel[level] ?? a.hourlyCostByLevel.default!)[pick];
  return cost;
}

export function computeRoi(measures: RoiMeasures, a: RoiAssumptions, scenario: Scenario): RoiResult {
  const b = benefitPick[scenario];
  const c = costPick[scenario];
  const hourlyCost = weightedHourlyCost(a, measures.levelMix, b);
  const productive = a.productiveFraction[b];
  const cap = a.maxBlockedHoursPerWait[b];
  const blocking = a.blockingReplyShare[b];
  const waitingHours = blockedHoursSavedPerPersonWeek(measures.replyWait, cap, blocking);
  const components: RoiComponent[] = [
    {
      id: 'meetings',
      monthly: measures.meetingHoursSavedPerPersonWeek * measures.people * WEEKS_PER_MONTH * hourlyCost,
      formula: 'meeting hours saved per person-week × people × weeks per month × hourly cost',
      inputs: { hoursPerPersonWeek: measures.meetingHoursSavedPerPersonWeek, people: measures.people, weeksPerMonth: WEEKS_PER_MONTH, hourlyCost },
    },
    {
      id: 'waiting',
      monthly: waitingHours * measures.people * WEEKS_PER_MONTH * productive * hourlyCost,
      formula:
        '(min(baseline wait, cap) − min(baseline wait + effect, cap)) × replies per person-week × blocking share = blocked hours saved per person-week; × people × weeks per month × productive fraction × hourly cost',
      inputs: {
        baselineWaitHours: measures.replyWait.baselineSeconds / 3600,
        effectHours: measures.replyWait.effectSeconds / 3600,
        capHours: cap,
        repliesPerPersonWeek: measures.replyWait.repliesPerPersonWeek,
        blockingShare: blocking,
        hoursPerPersonWeek: waitingHours,
        people: measures.people,
        weeksPerMonth: WEEKS_PER_MONTH,
        productiveFraction: productive,
        hourlyCost,
      },
    },
    {
      id: 'approvals',
      monthly: Object.entries(measures.approvals).reduce(
        (sum, [kind, m]) => sum + m.daysSavedPerApproval * m.approvalsPerMonth * (a.delayCostPerDayByKind[kind] ?? a.delayCostPerDayByKind.default!)[b],
        0,
      ),
      formula: 'Σ over kinds: days saved per approval × approvals per month × cost of a day of delay',
      inputs: Object.fromEntries(
        Object.entries(measures.approvals).flatMap(([kind, m]) => [
          [`${kind}.daysSaved`, m.daysSavedPerApproval],
          [`${kind}.perMonth`, m.approvalsPerMonth],
          [`${kind}.costPerDay`, (a.delayCostPerDayByKind[kind] ?? a.delayCostPerDayByKind.default!)[b]],
        ]),
      ),
    },
    {
      id: 'automation',
      monthly: (measures.automatedOperationsPerMonth * a.minutesPerManualOperation[b] * hourlyCost) / 60,
      formula: 'automated operations per month × minutes each ÷ 60 × hourly cost',
      inputs: { operationsPerMonth: measures.automatedOperationsPerMonth, minutesEach: a.minutesPerManualOperation[b], hourlyCost },
    },
  ];
  const monthlyBenefit = components.reduce((s, x) => s + x.monthly, 0);
  const monthlyLicence = measures.seats * a.licencePerSeatMonth[c];
  const oneOffCost = measures.seats * a.rolloutCostPerSeat[c];
  const months = a.horizonMonths;
  const totalBenefit = monthlyBenefit * months;
  const totalCost = oneOffCost + monthlyLicence * months;
  const netBenefit = totalBenefit - totalCost;
  let paybackMonth: number | null = null;
  for (let m = 1; m <= months; m++) {
    if (monthlyBenefit * m >= oneOffCost + monthlyLicence * m) {
      paybackMonth = m;
      break;
    }
  }
  return {
    scenario,
    currency: a.currency,
    hourlyCost,
    components,
    monthlyBenefit,
    monthlyLicence,
    oneOffCost,
    horizonMonths: months,
    totalBenefit,
    totalCost,
    netBenefit,
    roi: totalCost > 0 ? netBenefit / totalCost : 0,
    paybackMonth,
  };
}

export function computeRoiRange(measures: RoiMeasures, a: RoiAssumptions): Record<Scenario, RoiResult> {
  return { low: computeRoi(measures, a, 'low'), base: computeRoi(measures, a, 'base'), high: computeRoi(measures, a, 'high') };
}
