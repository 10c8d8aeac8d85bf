// The spool keeps every acknowledged record across restarts and skips a torn or corrupt stretch
// without losing the records around it.
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countSegmentRows, decodeSegment, openSpool, readSegment } from '../../../collector/spool.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'spool-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const payload = (text: string) => Buffer.from(text);

describe('spool', () => {
  it('commits concurrent appends together and reads them back in order after sealing', async () => {
    const commits: number[] = [];
    const spool = openSpool({ dir: tempDir(), segmentMaxBytes: 1 << 20, segmentMaxRows: 1_000_000, onCommit: (c) => commits.push(c.requests) });
    const seqs = await Promise.all(Array.from({ length: 20 }, (_, i) => spool.append(payload(`{"n":${i}}\n`), 1)));
    expect(new Set(seqs).size).toBe(1);
    // The first append commits alone; the 19 queued behind it share the next fsync.
    expect(commits.length).toBeLessThan(20);
    await spool.seal();
    expect(spool.sealed()).toHaveLength(1);
    const contents = await readSegment(spool.sealed()[0]!);
    expect(contents.rows).toBe(20);
    expect(contents.payloads.map((p) => p.toString())).toEqual(Array.from({ length: 20 }, (_, i) => `{"n":${i}}\n`));
    expect(contents.skippedBytes).toBe(0);
  });

  it('rotates a full segment and removes a segment only when asked', async () => {
    const spool = openSpool({ dir: tempDir(), segmentMaxBytes: 64, segmentMaxRows: 1_000_000 });
    await spool.append(payload('x'.repeat(60)), 1);
    await spool.append(payload('y'.repeat(60)), 1);
    await spool.seal();
    expect(spool.sealed().map((s) => s.rows)).toEqual([1, 1]);
    const before = spool.bytes();
    await spool.remove(spool.sealed()[0]!);
    expect(spool.sealed()).toHaveLength(1);
    expect(spool.bytes()).toBe(before - (60 + 16));
  });

  it('removes the right segments when two inserts finish at once (concurrent removes)', async () => {
    const spool = openSpool({ dir: tempDir(), segmentMaxBytes: 64, segmentMaxRows: 1_000_000 });
    for (const ch of 'abcd') await spool.append(payload(ch.repeat(60)), 1);
    await spool.seal();
    const [a, b, c, d] = spool.sealed();
    await Promise.all([spool.remove(a!), spool.remove(c!)]);
    expect(spool.sealed()).toEqual([b, d]);
    for (const s of spool.sealed()) expect(existsSync(s.file), s.file).toBe(true);
    for (const s of [a!, c!]) expect(existsSync(s.file), s.file).toBe(false);
  });

  it('replays segments left by a previous process, and new segments number after them', async () => {
    const dir = tempDir();
    const first = openSpool({ dir, segmentMaxBytes: 1 << 20, segmentMaxRows: 1_000_000 });
    await first.append(payload('a\n'), 1);
    // No seal, no close: the process "dies" here.
    const second = openSpool({ dir, segmentMaxBytes: 1 << 20, segmentMaxRows: 1_000_000 });
    expect(second.sealed()).toHaveLength(1);
    expect((await readSegment(second.sealed()[0]!)).payloads.map(String)).toEqual(['a\n']);
    const seq = await second.append(payload('b\n'), 1);
    expect(seq).toBeGreaterThan(second.sealed()[0]!.seq);
  });

  it('counts the rows a previous process left (its record headers), and what this one adds', async () => {
    const dir = tempDir();
    const first = openSpool({ dir, segmentMaxBytes: 64, segmentMaxRows: 1_000_000 });
    await first.append(payload('x'.repeat(40)), 3);
    await first.append(payload('y'.repeat(40)), 4); // 112 bytes: the segment is full and sealed
    await first.append(payload('z'), 2);
    expect(first.rows()).toBe(9);
    // The process "dies"; the next one sees 9 rows in two segments, before reading any payload.
    const second = openSpool({ dir, segmentMaxBytes: 64, segmentMaxRows: 1_000_000 });
    expect(second.sealed().map((s) => s.rows)).toEqual([7, 2]);
    await second.append(payload('w'), 5);
    expect(second.rows()).toBe(14);
    await second.remove(second.sealed()[0]!);
    expect(second.rows()).toBe(7);
  });

  it('counts a torn segment as the flusher will read it', async () => {
    const dir = tempDir();
    const first = openSpool({ dir, segmentMaxBytes: 1 << 20, segmentMaxRows: 1_000_000 });
    await first.append(payload('one\n'), 2);
    await first.append(payload('two\n'), 3);
    await first.seal();
    const file = first.sealed()[0]!.file;
    truncateSync(file, readFileSync(file).length - 2); // the second record is torn
    expect(countSegmentRows(file, readFileSync(file).length)).toBe(2);
    const second = openSpool({ dir, segmentMaxBytes: 1 << 20, segmentMaxRows: 1_000_000 });
    expect(second.rows()).toBe(2);
    truncateSync(file, 5); // nothing readable left: still one row, so the flusher picks it up
    expect(openSpool({ dir: dir, segmentMaxBytes: 1 << 20, segmentMaxRows: 1_000_000 }).sealed()[0]?.rows).toBe(1);
  });

  it('skips a torn tail (power loss mid-write) and keeps the records before it', async () => {
    const dir = tempDir();
    const spool = openSpool({ dir, segmentMaxBytes: 1 << 20, segmentMaxRows: 1_000_000 });
    await spool.append(payload('one\n'), 1);
    await spool.append(payload('two\n'), 1);
    await spool.seal();
    const file = spool.sealed()[0]!.file;
    const size = readFileSync(file).length;
    truncateSync(file, size - 3); // the last record lost its last bytes
    appendFileSync(file, Buffer.from('WPS1')); // and a header was half written after it
    const contents = decodeSegment(readFileSync(file));
    expect(contents.payloads.map(String)).toEqual(['one\n']);
    expect(contents.skippedBytes).toBe(16 + 4 - 3 + 4);
  });

  it('resynchronises after a corrupt record in the middle', async () => {
    const dir = tempDir();
    const spool = openSpool({ dir, segmentMaxBytes: 1 << 20, segmentMaxRows: 1_000_000 });
    for (const word of ['alpha\n', 'bravo\n', 'charlie\n']) await spool.append(payload(word), 1);
    await spool.seal();
    const file = spool.sealed()[0]!.file;
    const data = readFileSync(file);
    data[16 + 6 + 16 + 2]! ^= 0xff; // flip a byte inside "bravo"
    writeFileSync(file, data);
    const contents = decodeSegment(data);
    expect(contents.payloads.map(String)).toEqual(['alpha\n', 'charlie\n']);
    expect(contents.rows).toBe(2);
    expect(contents.skippedBytes).toBe(16 + 6);
  });

  it('treats a file of garbage as fully skipped, not as an error', () => {
    const contents = decodeSegment(Buffer.from('not a spool segment at all'));
    expect(contents).toMatchObject({ rows: 0, records: 0, skippedBytes: 26 });
  });

  it('deletes an empty segment on seal instead of keeping it', async () => {
    const dir = tempDir();
    const spool = openSpool({ dir, segmentMaxBytes: 1 << 20, segmentMaxRows: 1_000_000 });
    await spool.seal();
    expect(readdirSync(dir)).toEqual([]);
    expect(spool.oldestAt()).toBeUndefined();
  });
});
