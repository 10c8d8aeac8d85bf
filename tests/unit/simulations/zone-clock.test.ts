// Offsets and RFC 3339 strings agree with Intl, across a daylight-saving change.
import { describe, expect, it } from 'vitest';
import { dayNumberOf, mondayOf, dateOfDayNumber, ZoneClock } from '../../../simulations/zone-clock.ts';

describe('ZoneClock', () => {
  it('formats instants with the zone offset, before and after a DST change', () => {
    const london = new ZoneClock('Europe/London', Date.parse('2026-03-01T00:00:00Z'), Date.parse('2026-04-30T00:00:00Z'));
    expect(london.format(Date.parse('2026-03-28T12:00:00Z'))).toBe('2026-03-28T12:00:00+00:00');
    expect(london.format(Date.parse('2026-03-29T00:59:59Z'))).toBe('2026-03-29T00:59:59+00:00');
    expect(london.format(Date.parse('2026-03-29T01:00:00Z'))).toBe('2026-03-29T02:00:00+01:00');
    expect(london.midnight(dayNumberOf('2026-03-30'))).toBe(Date.parse('2026-03-29T23:00:00Z'));
  });

  it('gives local days and times for Hong Kong', () => {
    const hk = new ZoneClock('Asia/Hong_Kong', Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-02-01T00:00:00Z'));
    const t = Date.parse('2026-01-05T16:30:00Z'); // 00:30 on the 6th in Hong Kong
    expect(dateOfDayNumber(hk.localDay(t))).toBe('2026-01-06');
    expect(hk.format(t)).toBe('2026-01-06T00:30:00+08:00');
    expect(Date.parse(hk.format(t))).toBe(t);
    expect(hk.instantOf(dayNumberOf('2026-01-06'), 30 * 60_000)).toBe(t);
  });

  it('starts weeks on Monday', () => {
    expect(dateOfDayNumber(mondayOf(dayNumberOf('2026-01-11')))).toBe('2026-01-05'); // a Sunday
    expect(dateOfDayNumber(mondayOf(dayNumberOf('2026-01-12')))).toBe('2026-01-12');
  });
});
