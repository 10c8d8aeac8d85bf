// The rollup table definitions are data the jobs and readers trust: these checks keep them consistent.
import { describe, expect, it } from 'vitest';
import { ROLLUP_TABLES, ROLLUPS } from '../../../warehouse/queries/rollups/rollups.ts';
import { chunkRange } from '../../../warehouse/queries/rollups/write-rollup.ts';

describe('rollup definitions', () => {
  it('chunks weekly rollups in whole weeks, so no week is split between two versions', () => {
    for (const table of ROLLUP_TABLES.filter((t) => ROLLUPS[t].grain === 'week')) {
      expect(ROLLUPS[table].chunkDays % 7, table).toBe(0);
      // A year from a Monday: every chunk starts on a Monday.
      for (const chunk of chunkRange(ROLLUPS[table], '2024-01-01', '2024-12-29')) expect(new Date(`${chunk.from}T00:00:00Z`).getUTCDay(), `${table} ${chunk.from}`).toBe(1);
    }
  });

  it('gives a rollup filled by another’s job the same days and chunks as that job', () => {
    for (const table of ROLLUP_TABLES) {
      const filler = ROLLUPS[table].filledBy;
      if (!filler) continue;
      expect(ROLLUPS[filler].alsoFills, table).toContain(table);
      expect(ROLLUPS[filler].stage, `${filler} inserts through a stage`).toBeDefined();
      const { grain, affects, chunkDays } = ROLLUPS[table];
      expect({ grain, affects, chunkDays }, table).toEqual({ grain: ROLLUPS[filler].grain, affects: ROLLUPS[filler].affects, chunkDays: ROLLUPS[filler].chunkDays });
    }
  });
});
