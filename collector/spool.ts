// The append-only spool on local disk: the collector acknowledges a batch only once it is here and
// fsync'd. Concurrent appends share one write + fdatasync (group commit). Segments are numbered
// files; the open one is sealed on request or when full, and only sealed segments are flushed.
//
// Record layout (little-endian): magic "WPS1" | payload bytes u32 | rows u32 | crc32(payload) u32 | payload.
// A record whose header, length or checksum does not hold (power loss mid-write, bit rot) is skipped:
// the reader searches forward for the next valid record and reports how many bytes it skipped.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { open, readFile, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';

const MAGIC = 0x31535057; // "WPS1" read as a little-endian u32
const HEADER_BYTES = 16;
const SEGMENT_FILE = /^(\d{12})\.seg$/;

export class SpoolError extends Error {
  override name = 'SpoolError';
}

export interface SpoolSegment {
  seq: number;
  file: string;
  bytes: number;
  rows: number;
  /** When its first record was written (for a replayed segment: its file's mtime). */
  createdAt: number;
}

export interface SegmentContents {
  payloads: Buffer[];
  rows: number;
  records: number;
  skippedBytes: number;
}

export interface SpoolOptions {
  dir: string;
  /** The open segment is sealed once it holds this many bytes or rows. */
  segmentMaxBytes: number;
  segmentMaxRows: number;
  onCommit?: (info: { requests: number; bytes: number; seconds: number }) => void;
}

export interface Spool {
  readonly dir: string;
  /** Resolves with the sequence number of the segment holding the payload once it is on disk. */
  append(payload: Buffer, rows: number): Promise<number>;
  /** Closes the open segment (if it holds anything), so that it becomes flushable. */
  seal(): Promise<void>;
  /** Sealed segments, oldest first. */
  sealed(): readonly SpoolSegment[];
  remove(segment: SpoolSegment): Promise<void>;
  /** Bytes on disk, sealed and open. */
  bytes(): number;
  /** Acknowledged rows not yet flushed, sealed and open (a previous process's too). */
  rows(): number;
  /** Creation time of the oldest unflushed data, or undefined when the spool is empty. */
  oldestAt(): number | undefined;
  close(): Promise<void>;
}

function encodeHeader(payload: Buffer, rows: number): Buffer {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(payload.length, 4);
  header.writeUInt32LE(rows, 8);
  header.writeUInt32LE(crc32(payload), 12);
  return header;
}

/** Splits a segment's bytes into valid records; invalid stretches are skipped and counted. */
export function decodeSegment(data: Buffer): SegmentContents {
  const payloads: Buffer[] = [];
  let rows = 0;
  let skippedBytes = 0;
  let offset = 0;
  while (offset < data.length) {
    const record = readRecordAt(data, offset);
    if (record) {
      payloads.push(record.payload);
      rows += record.rows;
      offset = record.end;
      continue;
    }
    // Resynchronise on the next magic that starts a valid record; everything before it is lost.
    let next = data.indexOf('WPS1', offset + 1, 'latin1');
    while (next !== -1 && !readRecordAt(data, next)) next = data.indexOf('WPS1', next + 1, 'latin1');
    const stop = next === -1 ? data.length : next;
    skippedBytes += stop - offset;
    offset = stop;
  }
  return { payloads, rows, records: payloads.length, skippedBytes };
}

function readRecordAt(data: Buffer, offset: number): { payload: Buffer; rows: number; end: number } | undefined {
  if (data.length - offset < HEADER_BYTES || data.readUInt32LE(offset) !== MAGIC) return undefined;
  const length = data.readUInt32LE(offset + 4);
  const rows = data.readUInt32LE(offset + 8);
  const end = offset + HEADER_BYTES + length;
  if (end > data.length) return undefined;
  const payload = data.subarray(offset + HEADER_BYTES, end);
  if (crc32(payload) !== data.readUInt32LE(offset + 12)) return undefined;
  return { payload, rows, end };
}

export function readSegment(segment: SpoolSegment): Promise<SegmentContents> {
  return readFile(segment.file).then(decodeSegment);
}

function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The rows a segment's record headers declare, read header by header (payloads are skipped, not
 * read). A header that does not hold means a torn or corrupt stretch: then the whole segment is
 * decoded, as the flusher will (which also drops records whose checksum fails).
 */
export function countSegmentRows(file: string, size: number): number {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    let rows = 0;
    for (let offset = 0; offset < size; ) {
      const valid = readSync(fd, header, 0, HEADER_BYTES, offset) === HEADER_BYTES && header.readUInt32LE(0) === MAGIC;
      const end = offset + HEADER_BYTES + (valid ? header.readUInt32LE(4) : 0);
      if (!valid || end > size) return decodeSegment(readFileSync(file)).rows;
      rows += header.readUInt32LE(8);
      offset = end;
    }
    return rows;
  } finally {
    closeSync(fd);
  }
}

/** Existing segments (from a previous run, possibly killed) become sealed segments to replay. */
function scanSegments(dir: string): SpoolSegment[] {
  const found: SpoolSegment[] = [];
  for (const name of readdirSync(dir)) {
    const match = SEGMENT_FILE.exec(name);
    if (!match) continue;
    const file = path.join(dir, name);
    const stat = statSync(file);
    // Rows from the record headers, so the backlog counts events left by an earlier process; at least
    // one, so a segment with nothing readable is still picked up (and removed) by the flusher.
    found.push({ seq: Number(match[1]), file, bytes: stat.size, rows: Math.max(1, countSegmentRows(file, stat.size)), createdAt: stat.mtimeMs });
  }
  return found.sort((a, b) => a.seq - b.seq);
}

interface Pending {
  payload: Buffer;
  rows: number;
  resolve: (seq: number) => void;
  reject: (err: unknown) => void;
}

interface OpenSegment extends SpoolSegment {
  handle: FileHandle;
}

export function openSpool(options: SpoolOptions): Spool {
  const { dir } = options;
  mkdirSync(dir, { recursive: true });
  const sealedSegments = scanSegments(dir);
  let nextSeq = (sealedSegments.at(-1)?.seq ?? 0) + 1;
  let sealedBytes = sealedSegments.reduce((sum, s) => sum + s.bytes, 0);
  let current: OpenSegment | undefined;
  let queue: Pending[] = [];
  let sealWaiters: Array<() => void> = [];
  let writing: Promise<void> | undefined;
  let closed = false;

  async function openSegment(): Promise<OpenSegment> {
    const seq = nextSeq++;
    const file = path.join(dir, `${String(seq).padStart(12, '0')}.seg`);
    const handle = await open(file, 'wx');
    // The file's directory entry must survive a crash too, or an acknowledged record could vanish with it.
    fsyncDirectory(dir);
    return { seq, file, bytes: 0, rows: 0, createdAt: Date.now(), handle };
  }

  async function closeCurrent(): Promise<void> {
    const segment = current;
    if (!segment) return;
    current = undefined;
    await segment.handle.close();
    if (segment.rows === 0 && segment.bytes === 0) {
      await unlink(segment.file);
      return;
    }
    const { handle: _handle, ...sealed } = segment;
    sealedSegments.push(sealed);
    sealedBytes += sealed.bytes;
  }

  async function writeAll(handle: FileHandle, buffers: Buffer[]): Promise<number> {
    let total = 0;
    let pending = buffers;
    while (pending.length) {
      const { bytesWritten } = await handle.writev(pending);
      total += bytesWritten;
      // writev may write less than asked; continue from where it stopped.
      let skip = bytesWritten;
      const rest: Buffer[] = [];
      for (const b of pending) {
        if (skip >= b.length) skip -= b.length;
        else {
          rest.push(skip ? b.subarray(skip) : b);
          skip = 0;
        }
      }
      pending = rest;
    }
    return total;
  }

  async function commit(batch: Pending[]): Promise<void> {
    const started = process.hrtime.bigint();
    try {
      current ??= await openSegment();
      const segment = current;
      const buffers: Buffer[] = [];
      let rows = 0;
      for (const p of batch) {
        buffers.push(encodeHeader(p.payload, p.rows), p.payload);
        rows += p.rows;
      }
      const written = await writeAll(segment.handle, buffers);
      await segment.handle.datasync();
      segment.bytes += written;
      segment.rows += rows;
      options.onCommit?.({ requests: batch.length, bytes: written, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
      for (const p of batch) p.resolve(segment.seq);
      if (segment.bytes >= options.segmentMaxBytes || segment.rows >= options.segmentMaxRows) await closeCurrent();
    } catch (err) {
      for (const p of batch) p.reject(new SpoolError(`could not write the spool: ${(err as Error).message}`));
      // A failed write may have left a torn record; start a fresh segment and let replay skip the tear.
      await closeCurrent().catch(() => {});
    }
  }

  async function writeLoop(): Promise<void> {
    while (queue.length || sealWaiters.length) {
      if (queue.length) {
        const batch = queue;
        queue = [];
        await commit(batch);
        continue;
      }
      const waiters = sealWaiters;
      sealWaiters = [];
      await closeCurrent().catch(() => {});
      for (const w of waiters) w();
    }
  }

  function kick(): void {
    writing ??= writeLoop().finally(() => {
      writing = undefined;
      if (queue.length || sealWaiters.length) kick();
    });
  }

  return {
    dir,
    append(payload, rows) {
      if (closed) return Promise.reject(new SpoolError('the spool is closed'));
      return new Promise<number>((resolve, reject) => {
        queue.push({ payload, rows, resolve, reject });
        kick();
      });
    },
    seal() {
      if (!current && !writing) return Promise.resolve();
      return new Promise<void>((resolve) => {
        sealWaiters.push(resolve);
        kick();
      });
    },
    sealed: () => sealedSegments,
    async remove(segment) {
      if (!sealedSegments.includes(segment)) return;
      await unlink(segment.file).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
      // Look the segment up again after the await: two inserts finishing together remove concurrently,
      // and an index taken before the unlink may by now point at another segment.
      const i = sealedSegments.indexOf(segment);
      if (i === -1) return;
      sealedSegments.splice(i, 1);
      sealedBytes -= segment.bytes;
    },
    bytes: () => sealedBytes + (current?.bytes ?? 0),
    rows: () => sealedSegments.reduce((sum, s) => sum + s.rows, 0) + (current?.rows ?? 0),
    oldestAt: () => sealedSegments[0]?.createdAt ?? (current && current.bytes > 0 ? current.createdAt : undefined),
    async close() {
      await this.seal();
      closed = true;
    },
  };
}
