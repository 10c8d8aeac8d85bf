// Every job Waypoint runs, in the order they run (later jobs may read earlier rollups).
import { dailyActiveJob } from './daily-active.ts';
import type { Job } from './job.ts';

export const JOBS: readonly Job[] = [dailyActiveJob];
