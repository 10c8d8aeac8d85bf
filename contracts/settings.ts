// Organisation settings: the rollout plan (five steps, waves, pilot, ambassadors), KPI targets and ROI
// assumptions. One zod schema per section, shared by the settings API, the dashboard and the jobs.
import { z } from 'zod';
import { dateSchema } from './directory.ts';
import { idSchema } from './events.ts';

export const dayRangeSchema = z
  .strictObject({ from: dateSchema, to: dateSchema })
  .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['to'] });

export const STAGES = ['diagnose', 'commitment', 'pilot', 'waves', 'integration', 'optimisation'] as const;
export type Stage = (typeof STAGES)[number];

export const rolloutPlanSchema = z
  .strictObject({
    /** The diagnose step's baseline window (before the pilot). */
    baseline: dayRangeSchema,
    /** Start day of each step; each on or after the one before. */
    stages: z.strictObject(Object.fromEntries(STAGES.map((s) => [s, dateSchema])) as Record<Stage, typeof dateSchema>),
    waves: z
      .array(z.strictObject({ id: idSchema, name: z.string().min(1).max(100), start: dateSchema, departments: z.array(idSchema).max(1000) }))
      .max(50),
    pilotDepartments: z.array(idSchema).max(1000),
    ambassadors: z.array(idSchema).max(10_000),
  })
  .superRefine((plan, ctx) => {
    STAGES.slice(1).forEach((stage, i) => {
      if (plan.stages[stage] < plan.stages[STAGES[i]!]) {
        ctx.addIssue({ code: 'custom', path: ['stages', stage], message: `must not be before ${STAGES[i]}` });
      }
    });
    if (plan.baseline.to >= plan.stages.pilot) ctx.addIssue({ code: 'custom', path: ['baseline', 'to'], message: 'the baseline must end before the pilot starts' });
    const ids = plan.waves.map((w) => w.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['waves'], message: 'wave ids must be unique' });
  });
export type RolloutPlan = z.output<typeof rolloutPlanSchema>;

export const kpiTargetSchema = z.strictObject({
  id: idSchema,
  /** A metric id from docs/metrics.md, e.g. cross_team_reply_latency. */
  metric: z.string().regex(/^[a-z][a-z0-9_]*$/),
  /** null: the whole organisation; otherwise one department (and its subtree). */
  department: idSchema.nullable(),
  baseline: dayRangeSchema,
  target: z.number().finite(),
  deadline: dateSchema,
  owner: z.string().min(1).max(200),
});
export const kpiTargetsSchema = z.array(kpiTargetSchema).max(50);
export type KpiTarget = z.output<typeof kpiTargetSchema>;

const range = z
  .strictObject({ low: z.number().finite().min(0), base: z.number().finite().min(0), high: z.number().finite().min(0) })
  .refine((r) => r.low <= r.base && r.base <= r.high, 'must satisfy low ≤ base ≤ high');
export type AssumptionRange = z.output<typeof range>;

export const roiAssumptionsSchema = z.strictObject({
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
  // Why these two exist: reply latencies are wall-clock (nights, weekends, parallel waits), so
  // "latency saved × replies" overstates time anyone lost. Only some replies hold someone up, and only
  // for so long before they switch to other work. Defaults for settings saved before these existed.
  /** Share of replies someone is actually held up waiting for (0–1). */
  blockingReplyShare: range.refine((r) => r.high <= 1, 'is a fraction (≤ 1)').default({ low: 0.05, base: 0.1, high: 0.2 }),
  /** Hours of one wait that can cost anything; beyond it the person has moved on to other work. */
  maxBlockedHoursPerWait: range.default({ low: 0.5, base: 1, high: 2 }),
  /** Cost of one day of delay, per approval kind (`default` for kinds not listed). */
  delayCostPerDayByKind: z.record(z.string(), range).refine((r) => 'default' in r, 'needs a `default` kind'),
  horizonMonths: z.number().int().min(1).max(60).default(12),
});
export type RoiAssumptions = z.output<typeof roiAssumptionsSchema>;

export const SETTINGS_SECTIONS = {
  rollout: rolloutPlanSchema,
  kpis: kpiTargetsSchema,
  roi: roiAssumptionsSchema,
} as const;
export type SettingsSection = keyof typeof SETTINGS_SECTIONS;
export type SettingsValue<S extends SettingsSection> = z.output<(typeof SETTINGS_SECTIONS)[S]>;
