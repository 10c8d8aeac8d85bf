// Writes a simulated company to disk: FILE (NDJSON, one event per line, byte-identical for the same
// seed), FILE.directory.json and FILE.truth.json beside it.
import { open, writeFile } from 'node:fs/promises';
import type { SimulatedCompany } from './generate-company.ts';

export interface WriteEventsFileResult {
  file: string;
  directoryFile: string;
  truthFile: string;
  events: number;
  bytes: number;
  seconds: number;
}

/** Where the directory and truth go for an events file: `FILE.directory.json`, `FILE.truth.json`. */
export function companionFiles(file: string): { directoryFile: string; truthFile: string } {
  return { directoryFile: `${file}.directory.json`, truthFile: `${file}.truth.json` };
}

const CHUNK_EVENTS = 8192;

export async function writeEventsFile(opts: {
  file: string;
  company: SimulatedCompany;
  /** Compute and write FILE.truth.json (default true). */
  truth?: boolean;
  log?: (line: string) => void;
}): Promise<WriteEventsFileResult> {
  const started = performance.now();
  const { directoryFile, truthFile } = companionFiles(opts.file);
  const builder = opts.truth === false ? undefined : opts.company.createGroundTruthBuilder();
  const effects = builder === undefined || !opts.company.pilotStartsInRun ? undefined : opts.company.createEffectsRecorder();
  const handle = await open(opts.file, 'w');
  let events = 0;
  let bytes = 0;
  let nextLog = 1_000_000;
  // One write in flight while the next chunk is generated: the disk and the generator overlap.
  // (Each chunk is a fresh Buffer, so the one being written is never touched again.)
  let writing: Promise<unknown> = Promise.resolve();
  try {
    for (const { body, count } of opts.company.ndjsonBatches(CHUNK_EVENTS, builder, effects)) {
      await writing;
      writing = handle.write(body);
      events += count;
      bytes += body.length;
      if (opts.log && events >= nextLog) {
        opts.log(`${events.toLocaleString('en')} events written`);
        nextLog += 1_000_000;
      }
    }
    await writing;
  } finally {
    await writing.catch(() => undefined);
    await handle.close();
  }
  await writeFile(directoryFile, `${JSON.stringify(opts.company.directory, null, 2)}\n`);
  if (builder) await writeFile(truthFile, `${JSON.stringify({ ...builder.finish(), effects: effects?.finish() }, null, 1)}\n`);
  return { file: opts.file, directoryFile, truthFile, events, bytes, seconds: (performance.now() - started) / 1000 };
}
