// Which rollup days a run recomputes for the days its new events touched.
import { describe, expect, it } from 'vitest';
import { rangesToRecompute, recentRange } from '../../../jobs/plan-ranges.ts';
import { chunkRange, coveredDays } from '../../../warehouse/queries/rollups/write-rollup.ts';
import { ROLLUPS } from '../../../warehouse/queries/rollups/rollups.ts';
import { mondayOf } from '../../../jobs/days.ts';

describe('rangesToRecompute', () => {
  it('keeps separate days apart and merges adjacent ones', () => {
    expect(rangesToRecompute(['2024-05-10', '2024-05-01', '2024-05-02', '2024-05-01'], { back: 0, forward: 0 }, '2024-05-31')).toEqual([
      { from: '2024-05-01', to: '2024-05-02' },
      { from: '2024-05-10', to: '2024-05-10' },
    ]);
  });

  it('widens each day by what its events can change, never past today', () => {
    expect(rangesToRecompute(['2024-05-20', '2024-05-30'], { back: 8, forward: 1 }, '2024-05-30')).toEqual([{ from: '2024-05-12', to: '2024-05-30' }]);
    expect(rangesToRecompute(['2024-05-01'], { back: 0, forward: 31 }, '2024-05-10')).toEqual([{ from: '2024-05-01', to: '2024-05-10' }]);
  });

  it('has nothing to do for no touched days', () => {
    expect(rangesToRecompute([], { back: 8, forward: 1 }, '2024-05-30')).toEqual([]);
  });
});

describe('recentRange', () => {
  it('covers the last N days and the days their events can change', () => {
    expect(recentRange('2024-05-10', 3, { back: 0, forward: 0 })).toEqual({ from: '2024-05-08', to: '2024-05-10' });
    expect(recentRange('2024-05-10', 3, { back: 8, forward: 1 })).toEqual({ from: '2024-04-30', to: '2024-05-10' });
  });
});

describe('rollup chunks and versions', () => {
  it('splits long ranges into bounded chunks that tile the range', () => {
    const chunks = chunkRange({ ...ROLLUPS.response_daily, chunkDays: 31 }, '2024-01-01', '2024-03-15');
    expect(chunks[0]).toEqual({ from: '2024-01-01', to: '2024-01-31' });
    expect(chunks[1]).toEqual({ from: '2024-02-01', to: '2024-03-02' });
    expect(chunks.at(-1)).toEqual({ from: '2024-03-03', to: '2024-03-15' });
    expect(chunks.length).toBe(3);
  });

  it('registers Mondays for weekly rollups and one sentinel day for whole-org ones', () => {
    expect(coveredDays(ROLLUPS.doc_weekly, '2024-04-29', '2024-05-12')).toEqual(['2024-04-29', '2024-05-06']);
    expect(coveredDays(ROLLUPS.adoption_people, '2024-04-29', '2024-05-12')).toEqual(['1970-01-01']);
    expect(mondayOf('2024-05-05')).toBe('2024-04-29');
    expect(mondayOf('2024-04-29')).toBe('2024-04-29');
  });
});
