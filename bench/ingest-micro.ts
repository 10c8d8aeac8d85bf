// `tsx bench/ingest-micro.ts`: the collector's per-event CPU cost, step by step, on realistic
// batches (no HTTP, no disk) — to see where a request's time goes before tuning the pipeline.
import { eventSchema } from '../contracts/events.ts';
import { toEventRow } from '../warehouse/events.ts';
import { BatchBuilder, serializeEventRow } from '../collector/batch-builder.ts';
import { fastEventRow } from '../collector/fast-event-row.ts';
import { buildTemplates, fillIds } from './ingest-batches.ts';

const BATCH = 1000;
const ROUNDS = Number(process.env.MICRO_ROUNDS ?? 200);
const templates = buildTemplates({ org: 'acme', batchSize: BATCH, templates: 8 });
const bodies = Array.from({ length: 16 }, (_, i) => fillIds(templates[i % 8]!.body, templates[i % 8]!.idOffsets, 'abcd1234', 1, i * BATCH));
const parsed = bodies.map((b) => (JSON.parse(b.toString('utf8')) as { events: unknown[] }).events);

function time(label: string, fn: (round: number) => void): void {
  for (let r = 0; r < 20; r++) fn(r); // warm up
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < ROUNDS; r++) fn(r);
  const ns = Number(process.hrtime.bigint() - t0) / (ROUNDS * BATCH);
  console.log(`${label.padEnd(44)} ${(ns / 1000).toFixed(2)} µs/event`);
}

let sink = 0;
time('Buffer → string (utf8 decode)', (r) => (sink += bodies[r % 16]!.toString('utf8').length));
time('JSON.parse', (r) => (sink += (JSON.parse(bodies[r % 16]!.toString('utf8')) as { events: unknown[] }).events.length));
time('zod eventSchema.safeParse', (r) => {
  for (const e of parsed[r % 16]!) sink += eventSchema.safeParse(e).success ? 1 : 0;
});
const validated = parsed.map((events) => events.map((e) => eventSchema.parse(e)));
time('toEventRow', (r) => {
  for (const e of validated[r % 16]!) sink += toEventRow(e, 1_700_000_000_000).time_ms;
});
const rows = validated.map((events) => events.map((e) => toEventRow(e, 1_700_000_000_000)));
time('serializeEventRow', (r) => {
  for (const row of rows[r % 16]!) sink += serializeEventRow(row).length;
});
time('fastEventRow (validate + row text)', (r) => {
  for (const e of parsed[r % 16]!) sink += fastEventRow(e, 'acme', '2024-05-02 00:00:00')?.length ?? 0;
});
const texts = parsed.map((events) => events.map((e) => fastEventRow(e, 'acme', '2024-05-02 00:00:00')!));
time('rows → payload: concat + Buffer.from', (r) => {
  let p = '';
  for (const t of texts[r % 16]!) p += t;
  sink += Buffer.from(p, 'utf8').length;
});
time('rows → payload: write into one Buffer', (r) => {
  const buf = Buffer.allocUnsafe(1 << 19);
  let at = 0;
  for (const t of texts[r % 16]!) at += buf.latin1Write(t, at);
  sink += Buffer.from(buf.subarray(0, at)).length;
});
time('BatchBuilder add+build (validate → payload)', (r) => {
  const b = new BatchBuilder('acme');
  parsed[r % 16]!.forEach((e, i) => b.add(e, i));
  sink += b.build().payload.length;
});
time('whole: decode + parse + BatchBuilder', (r) => {
  const events = (JSON.parse(bodies[r % 16]!.toString('utf8')) as { events: unknown[] }).events;
  const b = new BatchBuilder('acme');
  events.forEach((e, i) => b.add(e, i));
  sink += b.build().payload.length;
});
console.log(`(bytes per event on the wire ≈ ${Math.round(bodies[0]!.length / BATCH)}; sink ${sink % 10})`);
