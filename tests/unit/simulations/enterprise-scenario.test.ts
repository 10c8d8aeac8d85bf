// The `enterprise` scenario (2,000 people, one year, about 10 M events) is the benchmark company. A
// full year takes tens of seconds, so this test checks its structure at full size over its first
// week, and its story (three waves, two resisting departments, a regressing one, a move, integration,
// size per person) over the full year at a tenth of the people. The full size and the ~10 M events
// are checked by the benchmark (`npm run bench:simulate` fails outside 9.5–10.6 M).
import { describe, expect, it } from 'vitest';
import type { EventInput } from '../../../contracts/events.ts';
import { generateCompany } from '../../../simulations/generate-company.ts';
import { loadScenario } from '../../../simulations/scenario.ts';
import { addDays } from '../../../jobs/days.ts';

const scenario = loadScenario('enterprise');

describe('enterprise at full size (first week)', () => {
  const company = generateCompany({ scenario: 'enterprise', seed: 1, org: 'meridian-group', days: 7 });
  const people = company.directory.people ?? [];

  it('has 2,000 people at the start in 17 staffed departments of a 22-node tree, across four timezones', () => {
    const atStart = new Set(people.filter((p) => (p.hiredAt ?? '') <= company.from && !(p.leftAt && p.leftAt <= company.from)).map((p) => p.id));
    expect(atStart.size).toBe(2000);
    expect(company.directory.departments).toHaveLength(22);
    expect(new Set(people.map((p) => p.department)).size).toBe(17);
    expect(new Set(people.map((p) => p.timezone))).toEqual(new Set(['Asia/Hong_Kong', 'Asia/Shanghai', 'Asia/Singapore', 'Europe/London']));
    expect(new Set(people.filter((p) => p.wave === 'pilot').map((p) => p.department))).toEqual(new Set(['finance', 'procurement', 'it']));
  });

  it('works over e-mail before the pilot, at the volume that makes a year about 10 M events', () => {
    const truth = company.groundTruth();
    expect(Object.keys(truth.totals.byChannel)).toEqual(['email']);
    // Day 0 (2 June 2025) is a holiday: the four workdays 3–6 June carry the week.
    const workdays = truth.eventsPerDay.filter((d) => d.day >= '2025-06-03' && d.day <= '2025-06-06');
    const perWorkday = workdays.reduce((s, d) => s + d.events, 0) / workdays.length;
    // Measured 2026-11-25: 25,968 e-mail events per baseline workday (seed 1).
    expect(perWorkday).toBeGreaterThan(23_000);
    expect(perWorkday).toBeLessThan(29_000);
  });
});

describe('enterprise story over the full year (200 people)', () => {
  const company = generateCompany({ scenario: 'enterprise', seed: 1, org: 'meridian-group', people: 200 });
  const dayOf = (n: number) => addDays(company.from, n);
  const truth = company.groundTruth();
  const activation = new Map<string, string>();
  let firstAutomated: string | undefined;
  /** New (not reply, not automated) messages per `department/period`: [on the platform, on e-mail]. */
  const newMessages = new Map<string, [number, number]>();
  const PERIODS: [string, number, number][] = [
    ['before-optimisation', 189, 280],
    ['hr-before-regression', 200, 230],
    ['hr-regressing', 231, 280],
  ];
  const versions = new Map<string, string[]>();
  for (const p of company.directory.people ?? []) versions.set(p.id, [...(versions.get(p.id) ?? []), p.department]);
  const departmentOf = new Map((company.directory.people ?? []).map((p) => [p.id, p.department]));
  for (const e of company.events() as Iterable<EventInput>) {
    const day = e.time.slice(0, 10);
    if (e.type === 'member.activated') {
      const dept = departmentOf.get(e.actor) ?? '';
      if (!activation.has(dept) || day < activation.get(dept)!) activation.set(dept, day);
    }
    const automated = (e.attrs as { automated?: boolean } | undefined)?.automated === true;
    // Sensor alerts are automated e-mail from the start; workflow automation starts with integration.
    if (automated && e.channel === 'workflow' && firstAutomated === undefined) firstAutomated = day;
    if (e.type !== 'message.sent' || e.parent !== undefined || automated) continue;
    for (const [period, from, to] of PERIODS) {
      if (day < dayOf(from) || day >= dayOf(to)) continue;
      const key = `${departmentOf.get(e.actor)}/${period}`;
      const counts = newMessages.get(key) ?? [0, 0];
      counts[e.channel === 'email' ? 1 : 0]++;
      newMessages.set(key, counts);
    }
  }
  /** Share of a department's new messages sent on the platform in a period: how much it works there. */
  const platformShare = (department: string, period: string) => {
    const [platform, email] = newMessages.get(`${department}/${period}`) ?? [0, 0];
    return platform / (platform + email);
  };
  /** Σ active ÷ Σ licensed over days [from, to) for a department. */
  const activeRate = (department: string, from: number, to: number) => {
    const rows = truth.activeUsers.filter((r) => r.department === department && r.day >= dayOf(from) && r.day < dayOf(to));
    return rows.reduce((s, r) => s + r.active, 0) / rows.reduce((s, r) => s + r.licensedHeadcount, 0);
  };

  it('rolls out in three waves on their days (pilot day 63, wave 2 day 133, wave 3 day 189)', () => {
    const wave = (id: string) => scenario.departments.filter((d) => d.wave === id).map((d) => d.id);
    for (const [id, day] of [['pilot', 63], ['wave-2', 133], ['wave-3', 189]] as const) {
      for (const dept of wave(id)) if (activation.has(dept)) expect(activation.get(dept), `${dept} activates with ${id}`).toBe(dayOf(day));
    }
    expect(activeRate('finance', 56, 63)).toBe(0);
    expect(activeRate('finance', 91, 133)).toBeGreaterThan(0.6);
    // Control departments are not on the platform before their wave; the only activity they get is
    // deciding a pilot colleague's workflow approval (measured 0.1% of person-days).
    expect(activeRate('sales-hk', 91, 133)).toBeLessThan(0.01);
  });

  it('has its resisting departments (marketing, production) behind and HR regressing after day 230', () => {
    // The active rate barely shows it (reading chat counts as activity); where people send their new
    // messages does. Measured (seed 1): marketing 0.42 vs sales-hk 0.77, production 0.40 vs quality
    // 0.56 before the optimisation nudge (day 280); HR 0.92 → 0.71 once regressing.
    expect(platformShare('marketing', 'before-optimisation')).toBeLessThan(platformShare('sales-hk', 'before-optimisation') - 0.2);
    expect(platformShare('production', 'before-optimisation')).toBeLessThan(platformShare('quality', 'before-optimisation') - 0.1);
    expect(platformShare('hr', 'hr-regressing')).toBeLessThan(platformShare('hr', 'hr-before-regression') - 0.1);
  });

  it('moves logistics to supply-chain on day 240 and automates workflows from integration (day 210)', () => {
    const movers = [...versions.values()].filter((v) => v.includes('logistics') && v.includes('supply-chain'));
    expect(movers.length).toBeGreaterThan(5);
    expect(firstAutomated).toBe(dayOf(210));
  });

  it('produces about 10 M events for 2,000 people: 4,500–5,500 events per starting person-year', () => {
    // Measured 2026-11-25: 10,063,290 events at full size (5,032 per person); here the same rate at 200.
    const perPerson = truth.totals.events / 200;
    expect(perPerson).toBeGreaterThan(4_500);
    expect(perPerson).toBeLessThan(5_500);
  });
});
