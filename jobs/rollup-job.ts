// Turns a rollup definition into a job: computes the range in bounded chunks, each chunk one
// version, so a re-run supersedes exactly the days it covers.
import { listZones } from '../warehouse/queries/rollups/list-zones.ts';
import type { RollupDefinition } from '../warehouse/queries/rollups/rollups.ts';
import { chunkRange, writeRollup } from '../warehouse/queries/rollups/write-rollup.ts';
import { addDays, mondayOf } from './days.ts';
import type { Clock, Job } from './job.ts';

let lastVersion = 0;

/**
 * A version strictly greater than any this process issued before, from the clock (ms): two runs
 * within the same millisecond, or under a frozen test clock, must still supersede one another.
 */
export function nextVersion(clock: Clock): number {
  lastVersion = Math.max(clock.now(), lastVersion + 1);
  return lastVersion;
}

export function rollupJob(definition: RollupDefinition, schedule = '*/5 * * * *'): Job {
  return {
    name: definition.table.replaceAll('_', '-'),
    schedule,
    affects: definition.affects,
    wholeOrg: definition.grain === 'all',
    async run(deps, org, range) {
      const zones = await listZones(deps.warehouse, org.id);
      const from = definition.grain === 'week' ? mondayOf(range.from) : range.from;
      const to = definition.grain === 'week' ? addDays(mondayOf(range.to), 6) : range.to;
      let rows = 0;
      for (const chunk of chunkRange(definition, from, to)) {
        const version = nextVersion(deps.clock);
        rows += await writeRollup(deps.warehouse, definition, { org, ...chunk, zones }, version, deps.clock.now());
      }
      return rows;
    },
  };
}
