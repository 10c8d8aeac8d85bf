// Scenario files: the zod schema every `simulations/scenarios/*.json` must satisfy (with the defaults
// that keep the files short) and the loader. docs/simulations.md explains each parameter.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { APPROVAL_KINDS, idSchema, orgIdSchema } from '../contracts/events.ts';
import { dateSchema, timezoneSchema } from '../contracts/directory.ts';

/** Simulated time must stay before this day (events later than "now" are refused by the collector). */
export const LATEST_END_DATE = '2026-11-19';

const day = z.number().int().min(0).max(5000);
const share = z.number().min(0).max(1);
const positive = z.number().positive();
const byChannel = z.strictObject({ email: positive, im: positive });

const departmentSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(200),
  parent: idSchema.nullable().default(null),
  /** Relative headcount weight; 0 makes a grouping node with no staff of its own. */
  size: z.number().min(0).default(0),
  /** Location id of most of its staff (default: the first location). */
  location: idSchema.optional(),
  /** Rollout wave of its staff; required when size > 0. */
  wave: z.string().nullable().default(null),
  /** 0..1: lowers activation and daily use (a team that resists). */
  resistance: share.default(0),
  /** From `fromDay`, daily use is multiplied by `factor` (a team that regresses). */
  regression: z.strictObject({ fromDay: day, factor: share }).optional(),
  /** Departments it works with most; cross-department traffic goes to them first. */
  partners: z.array(idSchema).default([]),
  /** Its managers send the urgent (DING) notices, e.g. compliance. */
  sendsUrgentNotices: z.boolean().default(false),
  /** Receives automated sensor alerts and raises procurement approvals in response. */
  receivesAlerts: z.boolean().default(false),
});

const waveSchema = z.strictObject({
  id: z.string().min(1).max(32),
  startDay: day,
  /** Share of the wave's people who are ambassadors (weekly best-practice posts, higher use). */
  ambassadorShare: share.default(0),
});

const approvalKindSchema = z.strictObject({
  kind: z.enum(APPROVAL_KINDS),
  share: positive,
  /** Median cycle in working hours: over e-mail (before the requester adopts) and on the platform. */
  hours: z.strictObject({ email: positive, platform: positive }),
  /** Median amount (currency units); omitted for kinds without one (leave). */
  amount: positive.optional(),
  /** After integration, `automation.approvalShare` of this kind is requested and decided by workflow. */
  automatable: z.boolean().default(false),
});

const behaviourSchema = z.strictObject({
  /** Multiplies every rate below: the knob that sets the event volume. */
  volume: positive.default(1),
  messagesPerDay: positive.default(5),
  groupShare: share.default(0.35),
  crossDepartmentShare: share.default(0.25),
  groupRecipients: z.strictObject({ min: z.number().int().min(2), max: z.number().int().min(2) }).prefault({ min: 3, max: 10 }),
  replyProbability: z.strictObject({ direct: share, group: share }).prefault({ direct: 0.7, group: 0.4 }),
  /** Median reply delay in working minutes. */
  replyMinutes: byChannel.prefault({ email: 240, im: 20 }),
  replySigma: positive.default(1),
  /** Multiplies reply delay when the replier is in another department. */
  crossTeamFactor: byChannel.prefault({ email: 2.5, im: 1.3 }),
  /** Extra reply-delay multipliers for named department pairs (silo hot spots). */
  pairFactors: z.array(z.strictObject({ a: idSchema, b: idSchema, email: positive, im: positive })).default([]),
  readProbability: share.default(0.92),
  /** Share of e-mail reads that leave a read receipt in the imported logs. */
  emailReceiptShare: share.default(0.5),
  readMinutes: byChannel.prefault({ email: 150, im: 10 }),
  readSigma: positive.default(1.2),
  reactionProbability: share.default(0.1),
  /** Chance the original sender answers a reply (one more turn). */
  followUpProbability: share.default(0.3),
  urgent: z
    .strictObject({
      perWeek: z.number().min(0),
      recipients: z.number().int().min(1),
      readMinutes: byChannel,
      ackProbability: share,
    })
    .prefault({ perWeek: 2, recipients: 30, readMinutes: { email: 60, im: 5 }, ackProbability: 0.2 }),
  tasks: z
    .strictObject({
      perPersonWeek: z.number().min(0),
      within7Days: z.strictObject({ initial: share, adopted: share }),
      medianDays: positive,
    })
    .prefault({ perPersonWeek: 3, within7Days: { initial: 0.46, adopted: 0.7 }, medianDays: 2 }),
  approvals: z
    .strictObject({ perPersonWeek: z.number().min(0), rejectShare: share, kinds: z.array(approvalKindSchema).min(1) })
    .prefault({
      perPersonWeek: 0.5,
      rejectShare: 0.1,
      kinds: [
        { kind: 'procurement', share: 3, hours: { email: 40, platform: 8 }, amount: 20000, automatable: true },
        { kind: 'expense', share: 4, hours: { email: 24, platform: 10 }, amount: 800, automatable: true },
        { kind: 'leave', share: 3, hours: { email: 16, platform: 6 } },
      ],
    }),
  meetings: z
    .strictObject({
      perPersonWeek: z.number().min(0),
      minutes: z.strictObject({ email: positive, platform: positive }),
      attendees: z.strictObject({ min: z.number().int().min(2), max: z.number().int().min(2) }),
    })
    .prefault({ perPersonWeek: 3, minutes: { email: 60, platform: 42 }, attendees: { min: 2, max: 8 } }),
  docs: z
    .strictObject({ editsPerPersonWeek: z.number().min(0), coEditProbability: share })
    .prefault({ editsPerPersonWeek: 4, coEditProbability: 0.5 }),
});

const adoptionSchema = z.strictObject({
  /** Median days from a wave's start to a person's activation. */
  activationMedianDays: positive.default(4),
  /** Share who never activate (raised by department resistance). */
  neverShare: share.default(0.05),
  /** Daily-use probability right after activation, and the plateau it ramps to. */
  dailyActive: z.strictObject({ initial: share, plateau: share }).prefault({ initial: 0.5, plateau: 0.88 }),
  /** Days for the ramp to close ~63% of the gap (exponential). */
  rampDays: positive.default(30),
  /** Added to daily use in departments with ambassadors (per ambassador share point ×10). */
  ambassadorBoost: share.default(0.05),
  /** After the optimisation day, resisting/regressing departments close this share of their gap. */
  nudgeLift: share.default(0.5),
});

const workforceSchema = z.strictObject({
  /** Share of headcount leaving per year (each replaced by a hire). */
  turnoverPerYear: share.default(0.12),
  unlicensedShare: share.default(0.03),
  /** People who never open messages on the platform. */
  neverReadShare: share.default(0.04),
  /** Share of people placed at a random other location. */
  remoteShare: share.default(0.05),
  workStartHour: z.number().int().min(0).max(23).default(9),
  workEndHour: z.number().int().min(1).max(24).default(18),
  /** Share of a person's own activity that falls after working hours (on workdays). */
  afterHoursShare: share.default(0.08),
  /** Activity on weekends and holidays, relative to a workday. */
  weekendActivity: share.default(0.04),
});

const automationSchema = z.strictObject({
  /** Share of automatable approvals that become workflow events after integration. */
  approvalShare: share.default(0.35),
  /** Automated workflow notices per 100 people per workday after integration. */
  noticesPer100: z.number().min(0).default(4),
  /** Offboarding hand-over task created by workflow for each leaver after integration. */
  handover: z.boolean().default(true),
  /** Sensor alerts per workday to departments with `receivesAlerts`, and alert→action hours. */
  alerts: z
    .strictObject({ perDay: z.number().min(0), actionHours: z.strictObject({ email: positive, platform: positive }) })
    .prefault({ perDay: 0, actionHours: { email: 72, platform: 2 } }),
});

export const scenarioSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9-]+$/),
    description: z.string(),
    org: orgIdSchema,
    orgName: z.string().min(1).max(200),
    timezone: timezoneSchema,
    start: dateSchema,
    days: z.number().int().min(1).max(800),
    people: z.number().int().min(5).max(200_000),
    locations: z.array(z.strictObject({ id: idSchema, name: z.string().min(1).max(64), timezone: timezoneSchema })).min(1),
    departments: z.array(departmentSchema).min(1),
    waves: z.array(waveSchema).min(1),
    phases: z.strictObject({ kpiCommitmentDay: day, integrationDay: day, optimisationDay: day }),
    holidays: z.array(dateSchema).default([]),
    bursts: z
      .array(
        z.strictObject({
          name: z.string(),
          fromDay: day,
          toDay: day,
          departments: z.array(idSchema).default([]),
          factor: positive,
          /** Under the burst's load, cross-department replies from these departments are this much slower. */
          replyFactor: z.strictObject({ email: positive, im: positive }).default({ email: 1, im: 1 }),
        }),
      )
      .default([]),
    moves: z.array(z.strictObject({ from: idSchema, to: idSchema, day })).default([]),
    workforce: workforceSchema.prefault({}),
    adoption: adoptionSchema.prefault({}),
    behaviour: behaviourSchema.prefault({}),
    automation: automationSchema.prefault({}),
  })
  .superRefine((s, ctx) => {
    const ids = new Set(s.departments.map((d) => d.id));
    const waves = new Set(s.waves.map((w) => w.id));
    const locations = new Set(s.locations.map((l) => l.id));
    s.departments.forEach((d, i) => {
      if (d.parent !== null && !ids.has(d.parent)) ctx.addIssue({ code: 'custom', path: ['departments', i, 'parent'], message: `unknown department ${d.parent}` });
      if (d.size > 0 && (d.wave === null || !waves.has(d.wave))) ctx.addIssue({ code: 'custom', path: ['departments', i, 'wave'], message: 'a department with staff needs a known wave' });
      if (d.location !== undefined && !locations.has(d.location)) ctx.addIssue({ code: 'custom', path: ['departments', i, 'location'], message: `unknown location ${d.location}` });
      d.partners.forEach((p, j) => {
        if (!ids.has(p)) ctx.addIssue({ code: 'custom', path: ['departments', i, 'partners', j], message: `unknown department ${p}` });
      });
    });
    s.moves.forEach((m, i) => {
      if (!ids.has(m.from) || !ids.has(m.to)) ctx.addIssue({ code: 'custom', path: ['moves', i], message: 'moves between unknown departments' });
    });
    if (!s.departments.some((d) => d.size > 0)) ctx.addIssue({ code: 'custom', path: ['departments'], message: 'no department has staff' });
  });

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

export const SCENARIO_DIR = join(dirname(fileURLToPath(import.meta.url)), 'scenarios');

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

export function listScenarios(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Reads and validates `simulations/scenarios/NAME.json`. */
export function loadScenario(name: string): Scenario {
  if (!/^[a-z0-9-]+$/.test(name) || !listScenarios().includes(name)) {
    throw new ScenarioError(`unknown scenario "${name}" (available: ${listScenarios().join(', ')})`);
  }
  const raw: unknown = JSON.parse(readFileSync(join(SCENARIO_DIR, `${name}.json`), 'utf8'));
  return parseScenario(raw, `${name}.json`);
}

export function parseScenario(raw: unknown, label = 'scenario'): Scenario {
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ScenarioError(`${label}: ${issue ? `${issue.path.join('.') || '(root)'} ${issue.message}` : 'invalid'}`);
  }
  return parsed.data;
}
