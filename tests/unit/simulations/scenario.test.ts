// Every scenario file is valid, dated before the cut-off, and the set covers the brief.
import { describe, expect, it } from 'vitest';
import { dayNumberOf, dateOfDayNumber } from '../../../simulations/zone-clock.ts';
import { LATEST_END_DATE, listScenarios, loadScenario, parseScenario, ScenarioError } from '../../../simulations/scenario.ts';

describe('scenario files', () => {
  it('has the five scenarios the brief names', () => {
    expect(listScenarios()).toEqual(['default', 'enterprise', 'hk-bank', 'manufacturing-inventory', 'retail-promo']);
  });

  it.each(listScenarios())('%s parses and ends by the cut-off', (name) => {
    const s = loadScenario(name);
    expect(s.name).toBe(name);
    expect(dateOfDayNumber(dayNumberOf(s.start) + s.days - 1) <= LATEST_END_DATE).toBe(true);
    expect(s.waves.length).toBeGreaterThan(0);
  });

  it('sizes default and enterprise as the brief asks', () => {
    const d = loadScenario('default');
    expect(d.timezone).toBe('Asia/Hong_Kong');
    expect(d.people).toBeGreaterThanOrEqual(30);
    expect(d.people).toBeLessThanOrEqual(50);
    const e = loadScenario('enterprise');
    expect(e.people).toBe(2000);
    expect(e.days).toBe(365);
  });

  it('has cross-region scenarios spanning at least two UTC offsets', () => {
    const offsets = (name: string) => {
      const s = loadScenario(name);
      const at = new Date(`${s.start}T12:00:00Z`);
      return new Set(s.locations.map((l) => new Intl.DateTimeFormat('en-US', { timeZone: l.timezone, timeZoneName: 'longOffset' }).format(at).split(' ').pop()));
    };
    expect(offsets('retail-promo').size).toBeGreaterThanOrEqual(2);
    expect(offsets('enterprise').size).toBeGreaterThanOrEqual(2);
  });

  it('names the field that is wrong in a bad scenario', () => {
    const bad = { ...loadScenario('default'), departments: [{ id: 'a', name: 'A', size: 3, wave: 'nope' }] };
    expect(() => parseScenario(bad, 'bad.json')).toThrow(ScenarioError);
    expect(() => parseScenario(bad, 'bad.json')).toThrow(/departments\.0\.wave/);
    expect(() => loadScenario('../etc/passwd')).toThrow(/unknown scenario/);
  });
});
