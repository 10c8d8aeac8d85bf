// Where the integration suite records its SQL for the conformance check; a run starts the file afresh.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The recording `npm test` and `npm run test:conformance` write and then replay. */
export const RECORDING_FILE = path.join(ROOT, '.data', 'conformance', 'recording.jsonl');

/**
 * Empties the recording and points WAYPOINT_RECORD_SQL at it, so every warehouse the test workers
 * create (they inherit the environment) appends to it. Call once, before the tests start
 * (vitest globalSetup). An explicit WAYPOINT_RECORD_SQL wins over the default file.
 */
export function startRecording(file = process.env.WAYPOINT_RECORD_SQL || RECORDING_FILE): string {
  const absolute = path.resolve(file);
  // Every suite's globalSetup calls this; only the first in a run (or its parent, run.ts) empties the
  // file, so one suite's setup never erases what another already recorded (e.g. its migrations).
  if (process.env.WAYPOINT_RECORDING_STARTED === absolute) return absolute;
  mkdirSync(path.dirname(absolute), { recursive: true });
  writeFileSync(absolute, '');
  process.env.WAYPOINT_RECORD_SQL = absolute;
  process.env.WAYPOINT_RECORDING_STARTED = absolute;
  return absolute;
}
