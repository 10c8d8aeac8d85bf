// The one choice between a rollup and raw events.
import { describe, expect, it } from 'vitest';
import { chooseSource, MAX_RAW_DAYS } from '../../../warehouse/read-api/choose-source.ts';

describe('chooseSource', () => {
  it('reads the rollup when it covers every day asked for', () => {
    expect(chooseSource({ needed: 365, covered: 365, rangeDays: 365 })).toBe('rollup');
    expect(chooseSource({ needed: 1, covered: 1, rangeDays: 1 })).toBe('rollup');
  });

  it('computes a short uncovered range from raw events', () => {
    expect(chooseSource({ needed: 7, covered: 6, rangeDays: 7 })).toBe('events');
    expect(chooseSource({ needed: MAX_RAW_DAYS, covered: 0, rangeDays: MAX_RAW_DAYS })).toBe('events');
  });

  it('keeps a long range on the rollup even when partly uncovered (raw would be too slow)', () => {
    expect(chooseSource({ needed: MAX_RAW_DAYS + 1, covered: MAX_RAW_DAYS, rangeDays: MAX_RAW_DAYS + 1 })).toBe('rollup');
  });
});
