// The rollout's true effect on the pilot cohort (simulations/true-effects.ts): the treated side is
// exactly what the events show (checked from the event stream by independent code), the untreated
// side equals the treated one wherever nothing was treated, a scenario whose platform behaves like
// e-mail has no effect at all, a known multiplier gives its known shift, and recording the potential
// outcomes leaves the events byte for byte unchanged.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventInput } from '../../../contracts/events.ts';
import { generateCompany, generateCompanyFromScenario, type SimulatedCompany } from '../../../simulations/generate-company.ts';
import { loadScenario, parseScenario, type Scenario } from '../../../simulations/scenario.ts';
import { trueEffects, type EffectWindow } from '../../../simulations/true-effects.ts';

const company = generateCompany({ scenario: 'default', seed: 3, org: 'acme' });
const PILOT = new Set(loadScenario('default').departments.filter((d) => d.wave === 'pilot').map((d) => d.id));

function upperMedian(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** The treated side of each metric read straight off the events and the directory, as docs/metrics.md defines them. */
/** The org-local day of an event time, and a person's department on a day, from the directory. */
function calendarOf(c: SimulatedCompany) {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone: c.timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const versions = new Map<string, { from: string; department: string }[]>();
  for (const p of c.directory.people ?? []) versions.set(p.id, [...(versions.get(p.id) ?? []), { from: p.validFrom ?? '0000-00-00', department: p.department }].sort((a, b) => a.from.localeCompare(b.from)));
  return {
    dayOf: (time: string) => format.format(Date.parse(time)),
    departmentOn: (id: string, day: string) => (versions.get(id) ?? []).filter((v) => v.from <= day).at(-1)?.department,
  };
}

function measuredFromEvents(c: SimulatedCompany, window: EffectWindow, pilot: ReadonlySet<string>) {
  const { dayOf, departmentOn } = calendarOf(c);
  const people = c.directory.people ?? [];
  const inWindow = (day: string) => day >= window.from && day <= window.to;
  const treated = (actor: string, day: string) => pilot.has(departmentOn(actor, day) ?? '');
  const sent = new Map<string, { at: number; actor: string; day: string; urgent: boolean }>();
  const replied = new Set<string>();
  const reads = new Set<string>();
  const requests = new Map<string, { at: number; actor: string; day: string }>();
  const decided = new Set<string>();
  const replies: number[] = [];
  const crossReplies: number[] = [];
  const urgentReads: number[] = [];
  const approvals: number[] = [];
  const active = new Set<string>();
  let meetingSec = 0;
  for (const e of c.events() as Iterable<EventInput>) {
    const at = Date.parse(e.time);
    const day = dayOf(e.time);
    const attrs = (e.attrs ?? {}) as Record<string, unknown>;
    if (inWindow(day) && attrs.automated !== true && e.channel !== 'email' && treated(e.actor, day)) active.add(`${e.actor}/${day}`);
    if (e.type === 'message.sent') {
      sent.set(e.object, { at, actor: e.actor, day, urgent: attrs.urgent === true });
      const m = e.parent !== undefined ? sent.get(e.parent) : undefined;
      if (m && m.actor !== e.actor && !replied.has(e.parent!)) {
        replied.add(e.parent!);
        if (inWindow(day) && treated(e.actor, day)) {
          replies.push((at - m.at) / 1000);
          if (departmentOn(e.actor, day) !== departmentOn(m.actor, m.day)) crossReplies.push((at - m.at) / 1000);
        }
      }
    } else if (e.type === 'message.read') {
      const m = sent.get(e.object);
      const key = `${e.object}/${e.actor}`;
      if (m && m.actor !== e.actor && !reads.has(key)) {
        reads.add(key);
        if (m.urgent && inWindow(day) && treated(e.actor, day)) urgentReads.push((at - m.at) / 1000);
      }
    } else if (e.type === 'approval.requested') {
      if (!requests.has(e.object)) requests.set(e.object, { at, actor: e.actor, day });
    } else if (e.type === 'approval.decided') {
      const r = requests.get(e.object);
      if (r && !decided.has(e.object)) {
        decided.add(e.object);
        if (inWindow(day) && treated(r.actor, r.day)) approvals.push((at - r.at) / 1000);
      }
    } else if (e.type === 'meeting.held' && inWindow(day) && treated(e.actor, day)) {
      meetingSec += attrs.durationSec as number;
    }
  }
  let licensedPersonDays = 0;
  let activeLicensed = 0;
  const ids = [...new Set(people.map((p) => p.id))];
  for (let day = window.from; day <= window.to; day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) {
    for (const id of ids) {
      const p = people.find((x) => x.id === id)!;
      if (!p.licensed || (p.hiredAt ?? '') > day || (p.leftAt !== undefined && p.leftAt !== null && p.leftAt <= day) || !treated(id, day)) continue;
      licensedPersonDays++;
      if (active.has(`${id}/${day}`)) activeLicensed++;
    }
  }
  return { replies, crossReplies, urgentReads, approvals, meetingSec, licensedPersonDays, activeLicensed };
}

describe('true effects of the rollout on the pilot cohort', () => {
  const effects = company.trueEffects();

  it('uses the pilot window: pilot start to the day before the next wave starts', () => {
    // default: pilot on day 14 (2026-01-19), wave 2 on day 35 (2026-02-09).
    expect(effects.window).toEqual({ from: '2026-01-19', to: '2026-02-08' });
    expect(effects.windowSource).toBe('pilot');
    expect(new Set(effects.cohort.departments)).toEqual(PILOT);
    expect(effects.droppedCounterfactuals).toBe(0);
  });

  it('has as its treated side exactly what the events show for the cohort in the window', () => {
    const m = measuredFromEvents(company, effects.window, PILOT);
    expect(m.replies.length).toBeGreaterThan(100);
    expect(effects.reply_latency.count).toBe(m.replies.length);
    expect(effects.reply_latency.treatedP50Sec).toBe(upperMedian(m.replies));
    expect(effects.cross_team_reply_latency.count).toBe(m.crossReplies.length);
    expect(effects.cross_team_reply_latency.treatedP50Sec).toBe(upperMedian(m.crossReplies));
    expect(effects.urgent_ack_latency.count).toBe(m.urgentReads.length);
    expect(effects.urgent_ack_latency.treatedP50Sec).toBe(upperMedian(m.urgentReads));
    expect(effects.approval_cycle.count).toBe(m.approvals.length);
    expect(effects.approval_cycle.treatedP50Sec).toBe(upperMedian(m.approvals));
    expect(effects.meeting_hours_per_person.attendeeHours.treated * 3600).toBeCloseTo(m.meetingSec, 6);
    expect(effects.active_rate.licensedPersonDays).toBe(m.licensedPersonDays);
    expect(effects.active_rate.activePersonDays.treated).toBe(m.activeLicensed);
  }, 60_000);

  it('finds the platform faster and more active than e-mail would have been for the same events', () => {
    expect(effects.reply_latency.effectSec).toBeLessThan(0);
    expect(effects.urgent_ack_latency.effectSec).toBeLessThan(0);
    expect(effects.approval_cycle.effectSec).toBeLessThan(0);
    expect(effects.meeting_hours_per_person.perPersonWeek.effect).toBeLessThan(0);
    expect(effects.active_rate.effect).toBeGreaterThan(0.3);
  });

  it('is exactly zero before the pilot starts: the untreated side reproduces every untreated event', () => {
    const before = company.trueEffects({ from: '2026-01-05', to: '2026-01-18' });
    for (const metric of [before.reply_latency, before.cross_team_reply_latency, before.approval_cycle]) {
      expect(metric.count).toBeGreaterThan(0);
      expect(metric.effectSec).toBe(0);
      expect(metric.dailyMedian.effectSec).toBe(0);
    }
    expect(before.meeting_hours_per_person.attendeeHours.treated).toBeGreaterThan(0);
    expect(before.meeting_hours_per_person.perPersonWeek.effect).toBe(0);
    expect(before.active_rate.effect).toBe(0);
  });

  it('takes (scenario, seed, org) and a window through trueEffects() and says which window it used', () => {
    const given = trueEffects({ scenario: 'default', seed: 3, org: 'acme', window: { from: '2026-02-02', to: '2026-02-08' } });
    expect(given.window).toEqual({ from: '2026-02-02', to: '2026-02-08' });
    expect(given.windowSource).toBe('given');
    expect(given.reply_latency.count).toBeLessThan(effects.reply_latency.count);
    expect(() => trueEffects({ scenario: 'default', seed: 3, org: 'acme', window: { from: '2025-12-01', to: '2026-01-10' } })).toThrow(/effects window 2025-12-01\.\.2026-01-10 must lie within/);
  });

  it('is part of the ground truth', () => {
    expect(company.groundTruth().effects).toEqual(effects);
  });

  it('has no default window, and no effects in the truth, when the run ends before the pilot starts', () => {
    const short = generateCompany({ scenario: 'default', seed: 3, org: 'acme', days: 10 });
    expect(short.pilotStartsInRun).toBe(false);
    expect(short.groundTruth().effects).toBeUndefined();
    expect(() => short.trueEffects()).toThrow(/the pilot starts on 2026-01-19, after the run's last day/);
    expect(short.trueEffects({ from: '2026-01-05', to: '2026-01-14' }).reply_latency.effectSec).toBe(0);
  });

  it('leaves the events byte for byte unchanged when recording the potential outcomes', () => {
    const hash = (withEffects: boolean) => {
      const h = createHash('sha256');
      const truth = withEffects ? company.createGroundTruthBuilder() : undefined;
      for (const { body } of company.ndjsonBatches(4096, truth, withEffects ? company.createEffectsRecorder() : undefined)) h.update(body);
      return h.digest('hex');
    };
    expect(hash(true)).toBe(hash(false));
  });
});

/** Attendee hours of the cohort's platform meetings (channel `meeting`) in the window, from the events. */
function measuredPlatformMeetingHours(c: SimulatedCompany, window: EffectWindow, pilot: ReadonlySet<string>): number {
  const { dayOf, departmentOn } = calendarOf(c);
  let sec = 0;
  for (const e of c.events()) {
    if (e.type !== 'meeting.held' || e.channel !== 'meeting') continue;
    const day = dayOf(e.time);
    const dept = departmentOn(e.actor, day);
    if (day >= window.from && day <= window.to && pilot.has(dept ?? '')) sec += (e.attrs as { durationSec: number }).durationSec;
  }
  return sec / 3600;
}

/**
 * The default scenario with a platform that behaves exactly like e-mail, except `platform` overrides;
 * the pilot adopts fully on its first day, so every request the cohort makes in its window is on it.
 */
function likeEmail(platform: { approvalHours?: (email: number) => number; meetingMinutes?: number } = {}): Scenario {
  const base = loadScenario('default');
  const b = base.behaviour;
  return parseScenario({
    ...base,
    // A 24-hour working day: chat's extended hours are then the same as e-mail's.
    workforce: { ...base.workforce, workStartHour: 0, workEndHour: 24, afterHoursShare: 0, unlicensedShare: 0 },
    automation: { ...base.automation, approvalShare: 0, handover: false },
    phases: { ...base.phases, integrationDay: 0 },
    waves: base.waves.map((w) => ({ ...w, ambassadorShare: 0 })),
    adoption: { ...base.adoption, activationMedianDays: 0.001, neverShare: 0, dailyActive: { initial: 1, plateau: 1 } },
    behaviour: {
      ...b,
      replyMinutes: { email: b.replyMinutes.email, im: b.replyMinutes.email },
      crossTeamFactor: { email: b.crossTeamFactor.email, im: b.crossTeamFactor.email },
      pairFactors: b.pairFactors.map((p) => ({ ...p, im: p.email })),
      // Reads within a second or two, so a chat reply never has to wait for its read.
      readMinutes: { email: 0.001, im: 0.001 },
      urgent: { ...b.urgent, readMinutes: { email: b.urgent.readMinutes.email, im: b.urgent.readMinutes.email } },
      approvals: { ...b.approvals, kinds: b.approvals.kinds.map((k) => ({ ...k, hours: { email: k.hours.email, platform: (platform.approvalHours ?? ((h) => h))(k.hours.email) } })) },
      meetings: { ...b.meetings, minutes: { email: b.meetings.minutes.email, platform: platform.meetingMinutes ?? b.meetings.minutes.email } },
    },
    bursts: base.bursts.map((burst) => ({ ...burst, replyFactor: { email: burst.replyFactor.email, im: burst.replyFactor.email } })),
  });
}

describe('true effects of a rollout with known effects', () => {
  it('is zero exactly for every latency and meeting hours when the platform behaves like e-mail', () => {
    const effects = generateCompanyFromScenario(likeEmail(), { seed: 5, org: 'acme' }).trueEffects();
    for (const metric of [effects.reply_latency, effects.cross_team_reply_latency, effects.urgent_ack_latency, effects.approval_cycle]) {
      expect(metric.count).toBeGreaterThan(0);
      expect(metric.effectSec).toBe(0);
      expect(metric.dailyMedian.effectSec).toBe(0);
    }
    expect(effects.meeting_hours_per_person.perPersonWeek.effect).toBe(0);
    // Adoption itself is still the rollout's doing: without it nobody in the cohort is active.
    expect(effects.active_rate.untreated).toBe(0);
    expect(effects.active_rate.effect).toBeGreaterThan(0.3);
  });

  it('halves platform meetings when they are half as long, and approvals when they take half the working time', () => {
    const company = generateCompanyFromScenario(likeEmail({ approvalHours: (h) => h / 2, meetingMinutes: 30 }), { seed: 5, org: 'acme' });
    const effects = company.trueEffects();
    // Meetings the cohort attends on the platform would each have lasted twice as long: the hours saved
    // equal their hours (within 2%: lengths round to 5 minutes). Meetings on e-mail (organised by the
    // control group) are unchanged.
    const pilot = new Set(effects.cohort.departments);
    const platformHours = measuredPlatformMeetingHours(company, effects.window, pilot);
    const saved = effects.meeting_hours_per_person.attendeeHours.untreated - effects.meeting_hours_per_person.attendeeHours.treated;
    expect(platformHours).toBeGreaterThan(20);
    expect(saved / platformHours).toBeGreaterThan(0.98);
    expect(saved / platformHours).toBeLessThan(1.02);
    // Working time skips weekends, so elapsed time is not exactly proportional: within 10% of −50%.
    expect(effects.approval_cycle.relative).toBeGreaterThan(-0.6);
    expect(effects.approval_cycle.relative).toBeLessThan(-0.4);
    expect(effects.reply_latency.effectSec).toBe(0);
  });
});
