// The overview's date range as it travels in the URL.
import { describe, expect, it } from 'vitest';
import { isDay, listDays, parseRangeParams, rangeEndingOn, rangeSearch } from '../../../dashboard/src/lib/date-range.ts';

const params = (query: string) => new URLSearchParams(query);

describe('date range', () => {
  it('defaults to the 28 days ending on the latest day with data', () => {
    expect(rangeEndingOn('2025-03-28')).toEqual({ from: '2025-03-01', to: '2025-03-28' });
    expect(rangeEndingOn('2024-03-01', 7)).toEqual({ from: '2024-02-24', to: '2024-03-01' });
  });

  it('reads a valid ?from=&to= and reports a missing one as absent', () => {
    expect(parseRangeParams(params('from=2025-01-01&to=2025-01-31'))).toEqual({
      kind: 'valid',
      range: { from: '2025-01-01', to: '2025-01-31' },
    });
    expect(parseRangeParams(params(''))).toEqual({ kind: 'absent' });
  });

  it('rejects impossible, reversed, half-given and over-long ranges', () => {
    expect(parseRangeParams(params('from=2025-02-30&to=2025-03-01'))).toEqual({ kind: 'rejected', problem: 'invalid' });
    expect(parseRangeParams(params("from=2025-01-01'&to=2025-01-02"))).toEqual({ kind: 'rejected', problem: 'invalid' });
    expect(parseRangeParams(params('from=2025-01-01'))).toEqual({ kind: 'rejected', problem: 'invalid' });
    expect(parseRangeParams(params('from=2025-02-01&to=2025-01-01'))).toEqual({ kind: 'rejected', problem: 'reversed' });
    expect(parseRangeParams(params('from=2024-01-01&to=2025-01-01'))).toEqual({ kind: 'rejected', problem: 'too-long' });
    expect(parseRangeParams(params('from=2024-01-01&to=2024-12-31')).kind).toBe('valid');
  });

  it('lists every day of a range, both ends included, across a leap day', () => {
    expect(listDays({ from: '2024-02-28', to: '2024-03-01' })).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(isDay('2023-02-29')).toBe(false);
  });

  it('writes a range back as a query string', () => {
    expect(rangeSearch({ from: '2025-01-01', to: '2025-01-28' })).toBe('?from=2025-01-01&to=2025-01-28');
  });
});
