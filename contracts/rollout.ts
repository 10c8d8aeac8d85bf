// The rollout job's stored results, one zod schema per section: what jobs/rollout/ computes per
// organisation, warehouse/rollout-results.ts stores, and the pages and GET /api/v1/rollout/{section}
// read back. Figures about people carry `people` (how many people they cover), so every reader can
// apply k-suppression with its own k; the job stores them unsuppressed, like the rollups it reads.
import { z } from 'zod';
import { dateSchema } from './directory.ts';

const num = z.number().finite();
const maybe = num.nullable();
const dayRange = z.object({ from: dateSchema, to: dateSchema });

/** The metrics KPI targets, pilot-vs-control effects and stage gates are computed for. */
export const KPI_METRICS = ['active_rate', 'reply_latency', 'cross_team_reply_latency', 'approval_cycle_time', 'meeting_hours_per_person_week'] as const;
export type KpiMetric = (typeof KPI_METRICS)[number];
export const kpiMetricSchema = z.enum(KPI_METRICS);
export type MetricUnit = 'percent' | 'seconds' | 'hours';
export const METRIC_UNITS: Record<KpiMetric, MetricUnit> = {
  active_rate: 'percent',
  reply_latency: 'seconds',
  cross_team_reply_latency: 'seconds',
  approval_cycle_time: 'seconds',
  meeting_hours_per_person_week: 'hours',
};
export function isKpiMetric(id: string): id is KpiMetric {
  return (KPI_METRICS as readonly string[]).includes(id);
}

export const granularitySchema = z.enum(['day', 'week']);

// Step 1 — the baseline window's hotspots and what the waiting costs.
export const diagnoseSchema = z.object({
  window: dayRange,
  crossTeam: z.object({ replies: num, median: maybe, repliesPerWeek: num, waitingHoursPerWeek: maybe }),
  cost: z.object({ perWeek: maybe, hourlyCost: num, productiveFraction: num, capHours: num, blockingShare: num, currency: z.string() }),
  siloIndex: maybe,
  slowestPairs: z.array(z.object({ department: z.string(), counterpart: z.string(), median: num, n: num, people: num })),
  departments: z.array(z.object({ department: z.string(), inside: num, total: num, siloIndex: maybe, people: num })),
  approvalKinds: z.array(z.object({ kind: z.string(), n: num, median: maybe })),
});

// Step 2 — each KPI target against its baseline and the last 28 days.
export const kpiStatusSchema = z.enum(['met', 'on_track', 'at_risk', 'missed']);
export const kpiRowSchema = z.object({
  id: z.string(),
  metric: z.string(),
  unit: z.enum(['percent', 'seconds', 'hours']).nullable(),
  owner: z.string(),
  baselineWindow: dayRange,
  baseline: maybe,
  target: num,
  current: maybe,
  currentWindow: dayRange,
  deadline: z.string(),
  progress: maybe,
  status: kpiStatusSchema.nullable(),
  fromSettings: z.boolean(),
});
export const kpisSchema = z.object({ rows: z.array(kpiRowSchema), fromSettings: z.boolean() });

// Step 3 — difference-in-differences per KPI metric with its 90% bootstrap interval.
export const effectSchema = z.object({
  metric: kpiMetricSchema,
  effect: num,
  low: num,
  high: num,
  relative: z.object({ effect: num, low: num, high: num }).nullable(),
  pilotBaseline: maybe,
  pilotChange: num,
  controlChange: num,
  n: z.object({ pilotBefore: num, pilotAfter: num, controlBefore: num, controlAfter: num }),
  resamples: num,
  /** What one bootstrap unit is (one day's value of the group). */
  unit: z.literal('day'),
});
export const pilotVsControlSchema = z.object({
  pilotStart: dateSchema.nullable(),
  pilotDepartments: z.array(z.string()),
  windows: z.object({ before: dayRange, after: dayRange }).nullable(),
  effects: z.array(effectSchema),
  activeRate: maybe,
  activeRateBefore: maybe,
  planSaved: z.boolean(),
});

// Step 3 — adoption curves per wave (per department, so a department manager's subtree can be summed) and pilot vs control.
export const adoptionSchema = z.object({
  granularity: granularitySchema,
  periods: z.array(z.string()),
  waves: z.array(z.object({ id: z.string(), name: z.string(), start: z.string().nullable(), departments: z.array(z.string()) })),
  /** Active licensed people and licensed headcount per period and department (headcount averaged over the period's days). */
  byDepartment: z.array(z.object({ period: z.string(), department: z.string(), active: num, licensed: num })),
  groups: z.object({ overall: z.array(maybe), pilot: z.array(maybe), control: z.array(maybe) }),
  funnel: z.array(z.object({ department: z.string(), wave: z.string(), invited: num, activated: num, weekly: num, habitual: num })),
});

// Step 3 — ambassadors and the colleagues they reached.
export const ambassadorsSchema = z.object({
  windowDays: num,
  departments: z.array(
    z.object({
      department: z.string(),
      ambassadors: num,
      colleagues: num,
      /** Colleagues who acted in a conversation an ambassador wrote in, and of them those activated within `windowDays` of that first interaction. */
      interacted: num,
      reached: num,
      reach: maybe,
      people: num,
    }),
  ),
});

// Step 4 — workflow automation.
export const integrationSchema = z.object({
  months: z.array(z.object({ month: z.string(), workflowEvents: num, automated: num, share: maybe })),
  last30Days: z.object({ from: dateSchema, to: dateSchema, workflowEvents: num, automated: num, share: maybe }),
  manualOperationsSavedPerMonth: num,
  minutesPerManualOperation: num,
  hoursSavedPerMonth: num,
});

// Step 5 — where engagement is low and what to do, the fastest-response team, document co-editing.
export const actionSchema = z.enum(['training', 'ambassador_visit', 'incentive']);
export const optimisationSchema = z.object({
  recent: dayRange,
  departments: z.array(
    z.object({
      department: z.string(),
      licensed: num,
      active: num,
      reach: maybe,
      eventsPerPerson: maybe,
      activityDrop: maybe,
      ambassadors: num,
      activation: maybe,
      people: num,
    }),
  ),
  lowEngagement: z.array(
    z.object({
      department: z.string(),
      reasons: z.array(z.enum(['bottom_decile', 'activity_drop', 'low_reach'])),
      action: actionSchema,
      evidence: z.object({ reach: maybe, eventsPerPerson: maybe, decileCutoff: maybe, activityDrop: maybe, activation: maybe, ambassadors: num }),
      people: num,
    }),
  ),
  fastestTeams: z.array(z.object({ month: z.string(), department: z.string(), median: num, replies: num, people: num })),
  docCoEditing: z.array(z.object({ week: z.string(), docs: num, coEdited: num, share: maybe, people: num })),
  thresholds: z.object({ lowReach: num, activityDrop: num, fastestMinReplies: num }),
});

// The five steps' exit criteria, evaluated from the data.
export const gateCriterionSchema = z.object({
  id: z.string(),
  description: z.string(),
  value: maybe,
  threshold: num,
  comparison: z.enum(['>=', '<=']),
  met: z.boolean().nullable(),
});
export const stageGatesSchema = z.object({
  stages: z.array(
    z.object({
      step: z.enum(['diagnose', 'commitment', 'pilot', 'integration', 'optimisation']),
      start: z.string().nullable(),
      criteria: z.array(gateCriterionSchema),
      met: z.boolean().nullable(),
    }),
  ),
});

// ROI low/base/high with what every figure came from.
const roiComponentSchema = z.object({ id: z.enum(['meetings', 'waiting', 'approvals', 'automation']), monthly: num, formula: z.string(), inputs: z.record(z.string(), num) });
export const roiResultSchema = z.object({
  scenario: z.enum(['low', 'base', 'high']),
  currency: z.string(),
  hourlyCost: num,
  components: z.array(roiComponentSchema),
  monthlyBenefit: num,
  monthlyLicence: num,
  oneOffCost: num,
  horizonMonths: num,
  totalBenefit: num,
  totalCost: num,
  netBenefit: num,
  roi: num,
  paybackMonth: num.nullable(),
});
export const roiMeasuresSchema = z.object({
  seats: num,
  people: num,
  levelMix: z.record(z.string(), num),
  meetingHoursSavedPerPersonWeek: num,
  replyWait: z.object({ baselineSeconds: num, effectSeconds: num, repliesPerPersonWeek: num }),
  approvals: z.record(z.string(), z.object({ daysSavedPerApproval: num, approvalsPerMonth: num })),
  automatedOperationsPerMonth: num,
});
export const roiSectionSchema = z.object({
  scenarios: z.object({ low: roiResultSchema, base: roiResultSchema, high: roiResultSchema }).nullable(),
  measures: roiMeasuresSchema.nullable(),
  currency: z.string(),
  assumptionsSaved: z.boolean(),
  provenance: z.object({
    effects: z.array(z.object({ metric: kpiMetricSchema, effect: num, low: num, high: num })),
    windows: z.object({ before: dayRange, after: dayRange }).nullable(),
    volumeWindow: dayRange,
    repliesInWindow: num,
    personDaysInWindow: num,
    repliesPerPersonWeek: num,
  }),
});

export const ROLLOUT_SECTIONS = {
  diagnose: diagnoseSchema,
  kpis: kpisSchema,
  'pilot-vs-control': pilotVsControlSchema,
  adoption: adoptionSchema,
  ambassadors: ambassadorsSchema,
  integration: integrationSchema,
  optimisation: optimisationSchema,
  'stage-gates': stageGatesSchema,
  roi: roiSectionSchema,
} as const;
export type RolloutSection = keyof typeof ROLLOUT_SECTIONS;
export const ROLLOUT_SECTION_IDS = Object.keys(ROLLOUT_SECTIONS) as RolloutSection[];
export type RolloutBody<S extends RolloutSection> = z.output<(typeof ROLLOUT_SECTIONS)[S]>;
export type RolloutResults = { [S in RolloutSection]: RolloutBody<S> };

export function isRolloutSection(id: string): id is RolloutSection {
  return Object.hasOwn(ROLLOUT_SECTIONS, id);
}

/** One stored computation of one section, as read back. */
export interface StoredSection<S extends RolloutSection> {
  section: S;
  computedAt: string;
  /** The settings versions the computation used, e.g. `rollout=2;kpis=1;roi=0` (0 = never saved). */
  settingsVersion: string;
  range: { from: string; to: string };
  body: RolloutBody<S>;
}

/** Each section's body as JSON Schema (for the OpenAPI document), from the same zod schemas. */
export function rolloutSectionJsonSchemas(): Record<RolloutSection, unknown> {
  return Object.fromEntries(ROLLOUT_SECTION_IDS.map((s) => [s, z.toJSONSchema(ROLLOUT_SECTIONS[s], { io: 'output', unrepresentable: 'any' })])) as Record<RolloutSection, unknown>;
}
