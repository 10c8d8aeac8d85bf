// Calendar-day helpers for jobs; the implementation lives with the rollup queries that share it.
export { addDays, dayDiff, dayInTimezone, daysBetween, mondayOf } from '../warehouse/queries/rollups/calendar.ts';
