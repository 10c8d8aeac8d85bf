// The true effect of the rollout on the pilot cohort (the average effect of the treatment on the
// treated): for each pilot event in a window, the metric as generated and the metric the same event
// would have had without the rollout, both from the same random draws. A pilot-vs-control
// difference-in-differences estimate can be checked against it. docs/simulations.md defines it.
import { departmentOn, type Organisation, type SimPerson } from './build-organisation.ts';
import { generateCompany, type GenerateCompanyOptions } from './generate-company.ts';
import { dateOfDayNumber, dayNumberOf } from './zone-clock.ts';

/** Org-local calendar days, `YYYY-MM-DD`, inclusive. */
export interface EffectWindow {
  from: string;
  to: string;
}

/** A latency metric's p50 with and without the rollout, over the same events (whole seconds). */
export interface LatencyEffect {
  /** Events (replies, reads, decisions) of the cohort in the window. */
  count: number;
  /** Upper median of the latencies as generated / as they would have been without the rollout. */
  treatedP50Sec: number | null;
  untreatedP50Sec: number | null;
  /** treated − untreated (negative: the rollout made it faster). */
  effectSec: number | null;
  /** effectSec ÷ untreatedP50Sec. */
  relative: number | null;
  /** The same, as the count-weighted mean of daily p50s (how the dashboard combines days). */
  dailyMedian: { treatedSec: number | null; untreatedSec: number | null; effectSec: number | null };
}

export interface TrueEffects {
  definition: string;
  /** The pilot wave and its departments (the treated cohort: people whose department that day is one of them). */
  cohort: { wave: string; departments: string[] };
  window: EffectWindow;
  /** How the window was chosen: `pilot` (pilot start to the day before the next wave starts) or `given`. */
  windowSource: 'pilot' | 'given';
  reply_latency: LatencyEffect;
  cross_team_reply_latency: LatencyEffect;
  urgent_ack_latency: LatencyEffect;
  approval_cycle: LatencyEffect & { byKind: Record<string, LatencyEffect> };
  active_rate: {
    /** Licensed cohort person-days in the window (employed, licensed, department in the cohort). */
    licensedPersonDays: number;
    activePersonDays: { treated: number; untreated: number };
    treated: number | null;
    untreated: number | null;
    effect: number | null;
  };
  meeting_hours_per_person: {
    attendeeHours: { treated: number; untreated: number };
    /** Employed (licensed or not) and licensed cohort person-days in the window. */
    employedPersonDays: number;
    licensedPersonDays: number;
    /** Hours per employed person per week (docs/metrics.md `meeting_hours_per_person`). */
    perPersonWeek: { treated: number | null; untreated: number | null; effect: number | null; relative: number | null };
    /** Hours per licensed person per week (the dashboard's KPI `meeting_hours_per_person_week`). */
    perLicensedPersonWeek: { treated: number | null; untreated: number | null; effect: number | null };
  };
  /** Counterfactual latencies beyond 60 days of working time (left out of both sides); expected 0. */
  droppedCounterfactuals: number;
}

export const TRUE_EFFECTS_DEFINITION =
  'ATT: for the pilot cohort (people whose department that org-local day belongs to the first wave) and the events of the window, ' +
  'the metric as generated minus the metric over the same events without the rollout. Untreated = the e-mail parameters ' +
  '(reply/read/approval working-time medians, meeting minutes) applied to the same random draw, on the working-hours ' +
  'calendar (no chat extended hours); automated approvals get an e-mail decision time from a separate seeded stream; ' +
  'without the rollout a person is active only through events no activation gates (hand-over completions). ' +
  'Latencies: upper-median p50 of each side and their difference.';

/** Pairs (day, treated, untreated) of one latency metric, in growable columns. */
class PairColumn {
  days: number[] = [];
  treated: number[] = [];
  untreated: number[] = [];

  add(day: number, y1: number, y0: number): void {
    this.days.push(day);
    this.treated.push(y1);
    this.untreated.push(y0);
  }

  summarise(): LatencyEffect {
    const m1 = upperMedian(this.treated);
    const m0 = upperMedian(this.untreated);
    const byDay = new Map<number, { y1: number[]; y0: number[] }>();
    for (let i = 0; i < this.days.length; i++) {
      const day = this.days[i] as number;
      let cell = byDay.get(day);
      if (!cell) byDay.set(day, (cell = { y1: [], y0: [] }));
      cell.y1.push(this.treated[i] as number);
      cell.y0.push(this.untreated[i] as number);
    }
    let s1 = 0;
    let s0 = 0;
    for (const cell of byDay.values()) {
      s1 += (upperMedian(cell.y1) as number) * cell.y1.length;
      s0 += (upperMedian(cell.y0) as number) * cell.y0.length;
    }
    const n = this.days.length;
    const d1 = n > 0 ? s1 / n : null;
    const d0 = n > 0 ? s0 / n : null;
    return {
      count: n,
      treatedP50Sec: m1,
      untreatedP50Sec: m0,
      effectSec: m1 !== null && m0 !== null ? m1 - m0 : null,
      relative: m1 !== null && m0 !== null && m0 !== 0 ? (m1 - m0) / m0 : null,
      dailyMedian: { treatedSec: d1, untreatedSec: d0, effectSec: d1 !== null && d0 !== null ? d1 - d0 : null },
    };
  }
}

/** sorted[floor(n/2)]: ClickHouse quantileExact(0.5), as the ground truth uses. */
function upperMedian(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * The pilot wave (earliest start) and the default window: pilot start to the day before the next
 * wave, within the run (`toDay < fromDay` when the pilot starts after the run's last day).
 */
export function pilotWindowOf(model: Organisation): { wave: number; fromDay: number; toDay: number } {
  const staffedWaves = new Set(model.departments.filter((d) => d.staffed && d.wave >= 0).map((d) => d.wave));
  const order = [...staffedWaves].sort((a, b) => (model.waveStarts[a] as number) - (model.waveStarts[b] as number) || a - b);
  const wave = order[0];
  if (wave === undefined) throw new RangeError(`scenario ${model.scenario.name} has no wave with staffed departments`);
  const start = model.waveStarts[wave] as number;
  const next = order.map((w) => model.waveStarts[w] as number).find((s) => s > start);
  return { wave, fromDay: start, toDay: Math.min(model.days - 1, (next ?? model.days) - 1) };
}

/**
 * Collects the potential outcomes while the simulation runs. The simulation asks `cohortDay` whether
 * an event counts (its org-local day in the window and its person in the cohort) and reports the pair.
 */
export class EffectsRecorder {
  readonly fromDay: number;
  readonly toDay: number;
  private readonly cohort: Uint8Array;
  private readonly waveId: string;
  private readonly windowSource: 'pilot' | 'given';
  /** The window as instants: [fromMs, toMs). */
  private readonly fromMs: number;
  private readonly toMs: number;
  readonly reply = new PairColumn();
  readonly crossTeamReply = new PairColumn();
  readonly urgentRead = new PairColumn();
  readonly approval = new PairColumn();
  readonly approvalByKind = new Map<string, PairColumn>();
  private meetingTreatedSec = 0;
  private meetingUntreatedSec = 0;
  /** Per person × window day: 1 = active as generated, 2 = active without the rollout (bit flags). */
  private readonly activity: Uint8Array;
  dropped = 0;

  constructor(
    private readonly model: Organisation,
    window?: EffectWindow,
  ) {
    const pilot = pilotWindowOf(model);
    this.waveId = model.waveIds[pilot.wave] as string;
    this.cohort = Uint8Array.from(model.departments, (d) => (d.wave === pilot.wave && d.staffed ? 1 : 0));
    if (window) {
      const from = dayNumberOf(window.from) - model.startDay;
      const to = dayNumberOf(window.to) - model.startDay;
      if (!(from >= 0 && to < model.days && from <= to)) {
        throw new RangeError(`effects window ${window.from}..${window.to} must lie within the simulated days ${dateOfDayNumber(model.startDay)}..${dateOfDayNumber(model.startDay + model.days - 1)}`);
      }
      this.fromDay = from;
      this.toDay = to;
      this.windowSource = 'given';
    } else {
      if (pilot.toDay < pilot.fromDay) {
        throw new RangeError(`the pilot starts on ${dateOfDayNumber(model.startDay + pilot.fromDay)}, after the run's last day: there is no pilot window (pass one)`);
      }
      this.fromDay = pilot.fromDay;
      this.toDay = pilot.toDay;
      this.windowSource = 'pilot';
    }
    this.fromMs = model.orgClock.midnight(model.startDay + this.fromDay);
    this.toMs = model.orgClock.midnight(model.startDay + this.toDay + 1);
    this.activity = new Uint8Array(model.people.length * Math.max(0, this.toDay - this.fromDay + 1));
  }

  /** The simulation day of `t` (org-local) when it is in the window; else -1. */
  windowDay(t: number): number {
    // Most events fall outside the window: two comparisons settle them before any calendar work.
    if (t < this.fromMs || t >= this.toMs) return -1;
    return this.model.orgClock.localDay(t) - this.model.startDay;
  }

  /** The simulation day of `t` (org-local) when it is in the window and `person` is in the cohort that day; else -1. */
  cohortDay(person: SimPerson, t: number): number {
    const d = this.windowDay(t);
    return d >= 0 && this.cohort[departmentOn(person, d)] === 1 ? d : -1;
  }

  /** Whether `person`'s department on simulation day `d` is in the cohort. */
  inCohort(person: SimPerson, d: number): boolean {
    return this.cohort[departmentOn(person, d)] === 1;
  }

  addApproval(day: number, kind: string, y1: number, y0: number): void {
    this.approval.add(day, y1, y0);
    let column = this.approvalByKind.get(kind);
    if (!column) this.approvalByKind.set(kind, (column = new PairColumn()));
    column.add(day, y1, y0);
  }

  addMeeting(y1Sec: number, y0Sec: number): void {
    this.meetingTreatedSec += y1Sec;
    this.meetingUntreatedSec += y0Sec;
  }

  /** An activity event of `person` on cohort day `day`; `untreated`: it would happen without the rollout too. */
  markActive(person: SimPerson, day: number, untreated: boolean): void {
    const i = person.index * (this.toDay - this.fromDay + 1) + (day - this.fromDay);
    this.activity[i] = (this.activity[i] as number) | (untreated ? 3 : 1);
  }

  finish(): TrueEffects {
    const m = this.model;
    const span = this.toDay - this.fromDay + 1;
    let licensed = 0;
    let employed = 0;
    let active1 = 0;
    let active0 = 0;
    for (const p of m.people) {
      for (let d = this.fromDay; d <= this.toDay; d++) {
        if (d < p.hiredDay || d >= p.leftDay || !this.inCohort(p, d)) continue;
        employed++;
        if (!p.licensed) continue;
        licensed++;
        const flags = this.activity[p.index * span + (d - this.fromDay)] as number;
        if (flags & 1) active1++;
        if (flags & 2) active0++;
      }
    }
    const rate = (n: number) => (licensed > 0 ? n / licensed : null);
    const perWeek = (sec: number, personDays: number) => (personDays > 0 ? (sec / 3600 / personDays) * 7 : null);
    const diff = (a: number | null, b: number | null) => (a !== null && b !== null ? a - b : null);
    const byKind: Record<string, LatencyEffect> = {};
    for (const kind of [...this.approvalByKind.keys()].sort()) byKind[kind] = (this.approvalByKind.get(kind) as PairColumn).summarise();
    const h1 = perWeek(this.meetingTreatedSec, employed);
    const h0 = perWeek(this.meetingUntreatedSec, employed);
    const l1 = perWeek(this.meetingTreatedSec, licensed);
    const l0 = perWeek(this.meetingUntreatedSec, licensed);
    return {
      definition: TRUE_EFFECTS_DEFINITION,
      cohort: { wave: this.waveId, departments: m.departments.filter((d) => this.cohort[d.index] === 1).map((d) => d.id) },
      window: { from: dateOfDayNumber(m.startDay + this.fromDay), to: dateOfDayNumber(m.startDay + this.toDay) },
      windowSource: this.windowSource,
      reply_latency: this.reply.summarise(),
      cross_team_reply_latency: this.crossTeamReply.summarise(),
      urgent_ack_latency: this.urgentRead.summarise(),
      approval_cycle: { ...this.approval.summarise(), byKind },
      active_rate: {
        licensedPersonDays: licensed,
        activePersonDays: { treated: active1, untreated: active0 },
        treated: rate(active1),
        untreated: rate(active0),
        effect: diff(rate(active1), rate(active0)),
      },
      meeting_hours_per_person: {
        attendeeHours: { treated: this.meetingTreatedSec / 3600, untreated: this.meetingUntreatedSec / 3600 },
        employedPersonDays: employed,
        licensedPersonDays: licensed,
        perPersonWeek: { treated: h1, untreated: h0, effect: diff(h1, h0), relative: h1 !== null && h0 !== null && h0 !== 0 ? (h1 - h0) / h0 : null },
        perLicensedPersonWeek: { treated: l1, untreated: l0, effect: diff(l1, l0) },
      },
      droppedCounterfactuals: this.dropped,
    };
  }
}

export interface TrueEffectsOptions extends GenerateCompanyOptions {
  /** Org-local days to measure over; default: pilot start to the day before the next wave starts. */
  window?: EffectWindow;
}

/**
 * The true rollout effects for (scenario, seed, org[, people, days]) over a window, without writing
 * files: one generation pass with the potential outcomes recorded (the events are not changed).
 */
export function trueEffects(opts: TrueEffectsOptions): TrueEffects {
  return generateCompany(opts).trueEffects(opts.window);
}
