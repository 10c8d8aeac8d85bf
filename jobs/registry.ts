// Every job Waypoint runs, in the order they run (later jobs may read earlier rollups).
import { ROLLUP_TABLES, ROLLUPS } from '../warehouse/queries/rollups/rollups.ts';
import type { Job } from './job.ts';
import { retentionJob } from './retention.ts';
import { rolloutJob } from './rollout/rollout-job.ts';
import { rollupJob } from './rollup-job.ts';

// message_daily has no job of its own: the response-daily job fills it (see rollups.ts).
export const ROLLUP_JOBS: readonly Job[] = ROLLUP_TABLES.filter((table) => !ROLLUPS[table].filledBy).map((table) => rollupJob(ROLLUPS[table]));

// Retention runs last: it deletes expired raw events only after the rollups of those days are written.
export const JOBS: readonly Job[] = [...ROLLUP_JOBS, rolloutJob, retentionJob];
