// Realistic ingest batches for the benchmark and load tests, made cheap to send: a few templates of
// contract events (a typical mix of chat, reads, tasks, approvals, meetings, docs) are serialised
// once, and each request copies a template and writes fresh ids into it, so millions of distinct
// events cost the sender almost nothing.
import type { EventInput } from '../contracts/events.ts';
import { toEventRow } from '../warehouse/events.ts';
import { serializeEventRow } from '../collector/batch-builder.ts';
import { eventSchema } from '../contracts/events.ts';

const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';

function pick<T>(items: readonly T[], i: number): T {
  return items[i % items.length]!;
}

/** One plausible event (without id) for person `p` at `time`; deterministic in `i`. */
export function realisticEvent(org: string, i: number, timeMs: number): EventInput {
  const actor = `p${(i * 7919) % 2000}`;
  const conversation = `g${(i * 104729) % 300}`;
  const time = new Date(timeMs + 8 * 3600_000).toISOString().replace('Z', '+08:00');
  const base = { id: PLACEHOLDER, org, actor, conversation, time, source: 'dingtalk' as const, channel: 'im' as const };
  const r = i % 100;
  if (r < 45) return { ...base, type: 'message.sent', object: `m${i}`, attrs: { recipients: 1 + (i % 12), ...(i % 50 === 0 ? { urgent: true } : {}) } };
  if (r < 75) return { ...base, type: 'message.read', object: `m${i - 1}`, parent: `m${i - 1}` };
  if (r < 80) return { ...base, type: 'message.reacted', object: `m${i - 2}`, parent: `m${i - 2}` };
  if (r < 85) return { ...base, type: pick(['task.created', 'task.assigned', 'task.completed'] as const, i), object: `t${i % 5000}`, channel: 'workflow' };
  if (r < 88) return { ...base, type: 'approval.requested', object: `a${i}`, channel: 'workflow', attrs: { kind: pick(['procurement', 'expense', 'leave'] as const, i), amount: (i % 900) * 10 } };
  if (r < 91) return { ...base, type: 'approval.decided', object: `a${i - 3}`, parent: `a${i - 3}`, channel: 'workflow', attrs: { kind: 'expense', outcome: i % 7 ? 'approved' : 'rejected', automated: i % 4 === 0 } };
  if (r < 94) return { ...base, type: 'meeting.held', object: `mt${i}`, channel: 'meeting', attrs: { durationSec: 900 + (i % 8) * 300, attendees: 2 + (i % 9) } };
  return { ...base, type: 'doc.edited', object: `d${i % 800}`, channel: 'doc' };
}

function placeholderOffsets(buffer: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = buffer.indexOf(PLACEHOLDER); at !== -1; at = buffer.indexOf(PLACEHOLDER, at + PLACEHOLDER.length)) offsets.push(at);
  return offsets;
}

export interface BatchTemplate {
  body: Buffer;
  /** The same events as JSONEachRow rows of the events table (for the raw clickhouse-client ceiling). */
  rows: Buffer;
  idOffsets: number[];
  rowIdOffsets: number[];
  size: number;
}

export function buildTemplates(options: { org: string; batchSize: number; templates: number; ndjson?: boolean }): BatchTemplate[] {
  const now = Date.now();
  const result: BatchTemplate[] = [];
  for (let t = 0; t < options.templates; t++) {
    const events = Array.from({ length: options.batchSize }, (_, k) => {
      const i = t * options.batchSize + k;
      // Spread over the last 30 days, working hours mostly.
      return realisticEvent(options.org, i, now - ((i * 7_777_777) % (30 * 86_400_000)) - 3_600_000);
    });
    const body = Buffer.from(options.ndjson ? events.map((e) => JSON.stringify(e)).join('\n') + '\n' : JSON.stringify({ events }));
    const rows = Buffer.from(events.map((e) => serializeEventRow(toEventRow(eventSchema.parse(e), now))).join(''));
    result.push({ body, rows, idOffsets: placeholderOffsets(body), rowIdOffsets: placeholderOffsets(rows), size: events.length });
  }
  return result;
}

/** A version-4-shaped UUID unique per (run, client, sequence number). */
export function sequentialId(run: string, client: number, seq: number): string {
  const n = seq.toString(16).padStart(18, '0');
  return `${run}-${client.toString(16).padStart(4, '0')}-4${n.slice(0, 3)}-8${n.slice(3, 6)}-${n.slice(6, 18)}`;
}

/** Copies `source` and writes ids `firstSeq…` at the offsets. */
export function fillIds(source: Buffer, offsets: readonly number[], run: string, client: number, firstSeq: number): Buffer {
  const out = Buffer.from(source);
  offsets.forEach((at, k) => out.write(sequentialId(run, client, firstSeq + k), at, 'latin1'));
  return out;
}
